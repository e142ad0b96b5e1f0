import { randomUUID } from 'node:crypto';
import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IdentityService } from '../../gen/idm_pb.ts';
import { startApi, stopApi } from '../support/api.ts';
import { newClientIp, newEmail, postFrom } from './helpers.ts';

/**
 * Issue 11 item 12 (registration), CONTRACT F23: registrations per client address (API Gateway's
 * sourceIp, the local gateway's socket address) per hour, over REST and the Register RPC. This file
 * runs its platform with a limit of 5 and registers from loopback addresses of its own, so no other
 * test file's registrations are affected.
 */

const LIMIT = 5;
beforeAll(() => {
  vi.stubEnv('REGISTRATIONS_PER_ADDRESS_PER_HOUR', String(LIMIT));
});
afterAll(async () => {
  await stopApi();
  vi.unstubAllEnvs();
});

const register = (ip: string, body: Record<string, unknown>) => postFrom(ip, '/api/idm/auth/register', body);
const client = () => ({ email: newEmail('limit'), password: 'secret-12', role: 'client' });

describe('per-address registration limit', () => {
  it(`${LIMIT + 3} parallel registrations from one address: ${LIMIT} succeed, the rest 429 with Retry-After and nothing registered`, async () => {
    const ip = newClientIp();
    const bodies = Array.from({ length: LIMIT + 3 }, client);
    const answers = await Promise.all(bodies.map((body) => register(ip, body)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(LIMIT);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(3);
    for (const answer of refused) {
      const message = expect.stringMatching(/^too many registrations from this address; try again in \d+ seconds$/);
      expect(answer.body).toEqual({ error: message, detail: answer.body.error, code: 'RATE_LIMITED' });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(3500);
    }
    // The refused e-mails were never registered: they can register from elsewhere.
    const refusedBody = bodies[answers.findIndex((a) => a.status === 429)]!;
    expect((await register(newClientIp(), refusedBody)).status).toBe(201);
  });

  it('another address is not affected', async () => {
    const ip = newClientIp();
    for (let i = 0; i < LIMIT; i++) expect((await register(ip, client())).status).toBe(201);
    expect((await register(ip, client())).status).toBe(429);
    expect((await register(newClientIp(), client())).status).toBe(201);
  });

  it('requests that break the input rules (422) do not count', async () => {
    const ip = newClientIp();
    for (let i = 0; i < LIMIT + 2; i++) expect((await register(ip, { ...client(), role: 'admin' })).status).toBe(422);
    expect((await register(ip, client())).status).toBe(201);
  });

  it('the Register RPC counts against the same address', async () => {
    const ip = newClientIp();
    const { port } = await startApi();
    const rpc = createClient(IdentityService, createConnectTransport({ baseUrl: `http://127.0.0.1:${port}`, httpVersion: '1.1', nodeOptions: { localAddress: ip } }));
    for (let i = 0; i < LIMIT - 1; i++) expect((await rpc.register(client())).success).toBe(true);
    expect((await register(ip, client())).status).toBe(201); // REST, same address: the 5th
    const refused = await rpc.register({ ...client(), email: `rpc-${randomUUID()}@example.com` });
    expect(refused).toMatchObject({ success: false, message: expect.stringContaining('too many registrations from this address') });
  });
});
