import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { type Client, createClient, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityService, VerifyTokenRequestSchema, VerifyTokenResponseSchema } from '../../gen/idm_pb.ts';
import { jwtConfig } from '../../shared/kernel/config.ts';
import { startApi, stopApi } from '../support/api.ts';
import { newClientIp, newEmail } from './helpers.ts';

/**
 * IdentityService (proto/idm.proto) over every transport we offer: Connect JSON, Connect binary and
 * gRPC-Web through the local API Gateway and the identity-service Lambda, and native gRPC on the
 * local HTTP/2 port. Each transport connects from a loopback address of its own (login throttling).
 */

afterAll(stopApi);

let apiUrl = '';
let grpcUrl = '';
beforeAll(async () => {
  const platform = await startApi();
  apiUrl = `http://127.0.0.1:${platform.port}`;
  grpcUrl = `http://127.0.0.1:${platform.grpcPort}`;
});

const transports: Record<string, () => Transport> = {
  'Connect JSON': () => createConnectTransport({ baseUrl: apiUrl, httpVersion: '1.1', nodeOptions: { localAddress: newClientIp() } }),
  'Connect binary': () =>
    createConnectTransport({ baseUrl: apiUrl, httpVersion: '1.1', useBinaryFormat: true, nodeOptions: { localAddress: newClientIp() } }),
  'Connect JSON with GET for VerifyToken': () =>
    createConnectTransport({ baseUrl: apiUrl, httpVersion: '1.1', useHttpGet: true, nodeOptions: { localAddress: newClientIp() } }),
  'gRPC-Web': () => createGrpcWebTransport({ baseUrl: apiUrl, httpVersion: '1.1', nodeOptions: { localAddress: newClientIp() } }),
  // gRPC always runs over HTTP/2 (the transport has no httpVersion option).
  'native gRPC (HTTP/2)': () =>
    createGrpcTransport({ baseUrl: grpcUrl, nodeOptions: { localAddress: newClientIp() } as object }),
};

describe.each(Object.keys(transports))('IdentityService over %s', (name) => {
  let client: Client<typeof IdentityService>;
  beforeAll(() => {
    client = createClient(IdentityService, transports[name]!());
  });

  it('Register → Login → VerifyToken → RevokeToken → VerifyToken', async () => {
    const email = newEmail('rpc');
    const registered = await client.register({ email, password: 'secret-1', role: 'owner' });
    expect(registered).toMatchObject({ success: true, message: 'Registration successful', userId: expect.stringMatching(/^\d+$/) });

    const login = await client.login({ email: email.toUpperCase(), password: 'secret-1' });
    expect(login).toMatchObject({ success: true, message: 'Login successful', userId: registered.userId, role: 'owner-event', email });

    const verified = await client.verifyToken({ token: login.token });
    expect(verified).toMatchObject({
      valid: true, message: 'Token is valid', email, userId: registered.userId, role: 'owner-event',
      issuer: (await jwtConfig()).issuer, expired: false, blacklisted: false,
    });
    expect(verified.expiresAt).toBeGreaterThan(BigInt(Math.floor(Date.now() / 1000)));

    expect(await client.revokeToken({ token: login.token })).toMatchObject({
      success: true, message: 'Token has been successfully revoked and added to blacklist',
    });
    expect(await client.verifyToken({ token: login.token })).toMatchObject({ valid: false, blacklisted: true });
    expect(await client.revokeToken({ token: login.token })).toMatchObject({ success: true, message: 'Token was already revoked' });
  });

  it('failures come back in the message, not as RPC errors', async () => {
    const email = newEmail('rpc-fail');
    expect(await client.register({ email, password: 'secret-12', role: 'admin' })).toMatchObject({ success: false, message: 'role: must be one of "client", "owner"' });
    expect(await client.register({ email, password: 'short', role: 'client' })).toMatchObject({ success: false, message: 'password: must be at least 8 characters long' });
    expect(await client.register({ email, password: 'x'.repeat(73), role: 'client' })).toMatchObject({ success: false, message: expect.stringContaining('72 bytes') });
    expect(await client.register({ email: 'a@system.local', password: 'secret-12', role: 'client' })).toMatchObject({ success: false });
    expect((await client.register({ email, password: 'secret-12', role: 'client' })).success).toBe(true);
    expect(await client.register({ email, password: 'secret-12', role: 'client' })).toMatchObject({
      success: false, message: "validation failed for 'email': User with this email already exists", userId: '',
    });
    expect(await client.login({ email, password: 'wrong' })).toEqual(expect.objectContaining({ success: false, message: 'Invalid email or password', token: '' }));
    expect(await client.verifyToken({ token: 'garbage' })).toMatchObject({ valid: false, blacklisted: false, expired: false });
    expect(await client.verifyToken({ token: 'x'.repeat(2_000) })).toMatchObject({ valid: false, message: 'token: must be at most 1000 characters long' });
    expect(await client.revokeToken({ token: 'garbage' })).toMatchObject({ success: false });
    expect(await client.login({ email: '', password: '' })).toMatchObject({ success: false });
  });
});

describe('IdentityService protocol details', () => {
  const rpc = (method: string, init: RequestInit & { query?: string } = {}) =>
    fetch(`${apiUrl}/idm.IdentityService/${method}${init.query ?? ''}`, init);

  it('a Connect GET request (no body) works and carries CORS and correlation headers', async () => {
    const message = encodeURIComponent(JSON.stringify({ token: 'garbage' }));
    const res = await rpc('VerifyToken', {
      query: `?connect=v1&encoding=json&message=${message}`,
      headers: { Origin: 'http://localhost:5173', 'X-Correlation-Id': 'rpc-corr-1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('x-correlation-id')).toBe('rpc-corr-1');
    expect(await res.json()).toMatchObject({ message: expect.stringMatching(/^token is invalid/) });
  });

  it('Connect binary with a hand-built message', async () => {
    const res = await rpc('VerifyToken', {
      method: 'POST',
      headers: { 'Content-Type': 'application/proto', 'Connect-Protocol-Version': '1' },
      body: toBinary(VerifyTokenRequestSchema, create(VerifyTokenRequestSchema, { token: 'garbage' })),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/proto');
    const answer = fromBinary(VerifyTokenResponseSchema, new Uint8Array(await res.arrayBuffer()));
    expect(answer.valid).toBe(false);
  });

  it('malformed requests get protocol errors (4xx), never 5xx', async () => {
    const cases: Array<[RequestInit, number, string]> = [
      [{ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"token":' }, 400, 'invalid_argument'],
      [{ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"token": 42}' }, 400, 'invalid_argument'],
      [{ method: 'POST', headers: { 'Content-Type': 'application/proto' }, body: new Uint8Array([0xff, 0xff, 0xff, 0xff]) }, 400, 'invalid_argument'],
    ];
    for (const [init, status, code] of cases) {
      const res = await rpc('VerifyToken', init);
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ code });
      expect(res.headers.get('access-control-allow-origin')).toBeTruthy();
    }
    expect((await rpc('VerifyToken', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' })).status).toBe(415);
    // Native gRPC needs trailers, which API Gateway cannot carry: refused there, served on the gRPC port.
    expect((await rpc('VerifyToken', { method: 'POST', headers: { 'Content-Type': 'application/grpc' }, body: new Uint8Array(5) })).status).toBe(415);
    const unknown = await rpc('DeleteEverything', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(unknown.status).toBe(404);
  });

  it('unknown JSON fields are ignored, as protobuf JSON does', async () => {
    const res = await rpc('VerifyToken', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"token":"x","extra":1}' });
    expect(res.status).toBe(200);
  });
});
