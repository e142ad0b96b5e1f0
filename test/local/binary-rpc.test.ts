import { request } from 'node:http';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerifyTokenRequestSchema, VerifyTokenResponseSchema } from '../../gen/idm_pb.ts';
import { matchesBinaryMediaType } from '../../shared/kernel/binary-media.ts';
import { startApi, stopApi } from '../support/api.ts';

/**
 * API Gateway (REST, Lambda proxy) decodes a base64 answer to bytes only when the request's first
 * Accept type is a binary media type; the local gateway applies the same rule with the same list.
 */
describe('the binary media rule', () => {
  const PROTO_ONLY = ['application/proto', 'application/grpc-web+proto'];

  it('with a list of proto types, a client without a binary Accept gets base64 text', () => {
    expect(matchesBinaryMediaType(undefined, PROTO_ONLY)).toBe(false);
    expect(matchesBinaryMediaType('*/*', PROTO_ONLY)).toBe(false);
    expect(matchesBinaryMediaType('application/json, application/proto', PROTO_ONLY)).toBe(false); // the first one decides
    expect(matchesBinaryMediaType('application/proto; q=1', PROTO_ONLY)).toBe(true);
    expect(matchesBinaryMediaType('Application/GRPC-Web+Proto', PROTO_ONLY)).toBe(true);
    expect(matchesBinaryMediaType('application/*', ['application/*'])).toBe(true);
    expect(matchesBinaryMediaType('text/plain', ['application/*'])).toBe(false);
  });

  it('with the deployed list (*/*), everything matches, no Accept included', () => {
    for (const value of [undefined, '', '*/*', 'application/json', 'application/proto']) expect(matchesBinaryMediaType(value), String(value)).toBe(true);
  });
});

/** A raw HTTP/1.1 POST with exactly these headers (fetch would add `accept: *\/*`). */
function post(port: number, path: string, headers: Record<string, string>, body: Uint8Array) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('binary RPC through the local gateway, from clients that send no Accept', () => {
  let port = 0;
  beforeAll(async () => {
    port = (await startApi()).port;
  });
  afterAll(stopApi);
  const message = toBinary(VerifyTokenRequestSchema, create(VerifyTokenRequestSchema, { token: 'not-a-token' }));

  it('Connect binary: the answer is protobuf bytes, not base64 text', async () => {
    const res = await post(port, '/idm.IdentityService/VerifyToken', { 'Content-Type': 'application/proto', 'Connect-Protocol-Version': '1' }, message);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/proto');
    const answer = fromBinary(VerifyTokenResponseSchema, res.body);
    expect(answer).toMatchObject({ valid: false });
    expect(answer.message.length).toBeGreaterThan(0);
  });

  it('gRPC-Web: the answer is length-prefixed frames (a data frame, then the trailers), not base64 text', async () => {
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), message]);
    frame.writeUInt32BE(message.length, 1);
    const res = await post(port, '/idm.IdentityService/VerifyToken', { 'Content-Type': 'application/grpc-web+proto', 'X-Grpc-Web': '1' }, frame);
    expect(res.status).toBe(200);
    expect(res.body[0]).toBe(0); // data frame flag (base64 text would start with "A")
    const length = res.body.readUInt32BE(1);
    expect(fromBinary(VerifyTokenResponseSchema, res.body.subarray(5, 5 + length))).toMatchObject({ valid: false });
    expect(res.body[5 + length]).toBe(0x80); // trailers frame
    expect(res.body.subarray(10 + length).toString()).toMatch(/grpc-status: ?0/);
  });
});
