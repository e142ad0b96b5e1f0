import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOGIN_LIMITS } from '../../shared/idm/domain/throttle.ts';
import { invokeFunction } from '../../shared/kernel/invoke.ts';
import { SERVICE_TOKEN_ISSUER } from '../../shared/auth/service-token-issuer.ts';
import { stopApi } from '../support/api.ts';
import { newClientIp, postFrom } from '../idm/helpers.ts';
import { buy, client, createEvent, owner } from './support.ts';

/**
 * Issue 11 item 10: nobody can stop all sales by locking the service account's public login. The
 * user manager gets its token from the IDM's internal issuer, which no public route reaches.
 *
 * The platform of this file runs with a service account of its own (seeded at start), so locking
 * its public login — counted in the Redis every test run shares — affects no other test.
 */

const SERVICE_EMAIL = `svc-${randomUUID()}@system.local`;
const SERVICE_PASSWORD = randomBytes(16).toString('base64url');

beforeAll(() => {
  vi.stubEnv('SERVICE_ACCOUNT_EMAIL', SERVICE_EMAIL);
  vi.stubEnv('SERVICE_ACCOUNT_PASSWORD', SERVICE_PASSWORD);
});
afterAll(async () => {
  await stopApi();
  vi.unstubAllEnvs();
});

describe('the service token cannot be locked from outside', () => {
  it('the public login of the service account is locked; a purchase from a cold container still → 201', async () => {
    const attacker = newClientIp();
    for (let i = 0; i < LOGIN_LIMITS.email.max; i++) {
      expect((await postFrom(attacker, '/api/idm/auth/login', { email: SERVICE_EMAIL, password: `guess-${i}` })).status).toBe(401);
    }
    // Locked: even the right password is refused, from anywhere.
    const locked = await postFrom(newClientIp(), '/api/idm/auth/login', { email: SERVICE_EMAIL, password: SERVICE_PASSWORD });
    expect(locked.status).toBe(429);

    // This file's container has never fetched a service token: the purchase must obtain one now.
    const seller = await owner();
    const buyer = await client();
    const event = await createEvent(seller, 5);
    const bought = await buy(buyer, { event_id: event });
    expect(bought.status, bought.text).toBe(201);
  });

  it('the issuer itself gives tokens only for the service account with its password', async () => {
    const issue = (request: unknown) => invokeFunction({ module: SERVICE_TOKEN_ISSUER, functionName: undefined }, request);
    expect(await issue({ email: SERVICE_EMAIL, password: SERVICE_PASSWORD })).toMatchObject({ ok: true, token: expect.any(String) });
    expect(await issue({ email: SERVICE_EMAIL, password: 'wrong' })).toMatchObject({ ok: false, code: 'SERVICE_CREDENTIALS_REFUSED' });
    expect(await issue({ email: 'admin@tix.test', password: process.env.ADMIN_PASSWORD })).toMatchObject({ ok: false, code: 'SERVICE_CREDENTIALS_REFUSED' });
    expect(await issue({ email: SERVICE_EMAIL })).toMatchObject({ ok: false, code: 'MALFORMED_REQUEST' });
  });
});
