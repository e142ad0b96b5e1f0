import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSigningKey, publicJwks } from '../../shared/auth/signing-keys.ts';
import { reloadKeys } from '../../shared/auth/tokens.ts';
import { call, stopApi } from '../support/api.ts';
import { signWithForeignKey } from '../support/tokens.ts';
import { existingUser, newClientIp, postFrom } from './helpers.ts';

/**
 * ES256 tokens over HTTP: the published JWKS, a key outside it, and a rotation with overlap. (This
 * file's process owns its environment: the rotation below changes the run's keys for it alone.)
 */
afterAll(stopApi);

const PROTECTED = '/api/event-manager/event-packets/1';
const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

async function login() {
  const user = await existingUser('owner-event');
  const res = await postFrom(newClientIp(), '/api/idm/auth/login', { email: user.email, password: user.password });
  expect(res.status, res.text).toBe(200);
  return { token: res.body.token as string, userId: user.userId };
}

describe('GET /api/idm/.well-known/jwks.json', () => {
  it('publishes the public keys, each with its kid and never a private part; public and cacheable', async () => {
    const res = await call('GET', '/api/idm/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const kid = JSON.parse(process.env.JWT_SIGNING_KEY!).kid;
    expect(res.body.keys).toEqual([{ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid, alg: 'ES256', use: 'sig' }]);
    expect(res.text).not.toContain('"d"');
  });
});

describe('ES256 tokens', () => {
  it('a token signed by a key outside the JWKS is refused, whatever kid it names', async () => {
    const { userId } = await login();
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: String(userId), email: 'x@example.com', role: 'owner-event', iss: 'tix-idm', iat: now, exp: now + 600, jti: randomUUID() };
    for (const forged of [await signWithForeignKey(claims), await signWithForeignKey(claims, 'not-published')]) {
      expect((await call('GET', PROTECTED, { token: forged })).status).toBe(401);
      expect((await call('POST', '/api/idm/auth/verify', { body: { token: forged } })).body).toMatchObject({ valid: false });
    }
  });

  it('after a rotation, old tokens stay valid until their key leaves the JWKS; new ones carry the new kid', async () => {
    const old = await login();
    const oldKey = JSON.parse(process.env.JWT_SIGNING_KEY!);
    const fresh = generateSigningKey();

    // Rotation: the new key signs, both keys verify (overlap of at least one token lifetime).
    process.env.JWT_SIGNING_KEY = JSON.stringify(fresh);
    process.env.JWT_PUBLIC_KEYS = JSON.stringify(publicJwks([fresh, oldKey]));
    await reloadKeys(); // what JWT_KEYS_TTL_SECONDS does in every warm container
    const jwks = (await call('GET', '/api/idm/.well-known/jwks.json')).body;
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([fresh.kid, oldKey.kid]);

    const current = await login();
    expect(kidOf(current.token)).toBe(fresh.kid);
    expect(kidOf(old.token)).toBe(oldKey.kid);
    for (const { token } of [old, current]) {
      expect((await call('GET', PROTECTED, { token })).status).not.toBe(401);
      expect((await call('POST', '/api/idm/auth/verify', { body: { token } })).body.valid).toBe(true);
    }

    // Once the old tokens have expired, the old key is dropped: anything it signed is refused. (On
    // another route: the gateway may serve a decision it cached for PROTECTED, up to its TTL.)
    process.env.JWT_PUBLIC_KEYS = JSON.stringify(publicJwks([fresh]));
    await reloadKeys();
    expect((await call('POST', '/api/idm/auth/verify', { body: { token: old.token } })).body.valid).toBe(false);
    expect((await call('DELETE', '/api/event-manager/events/999999999', { token: old.token })).status).toBe(401);
    expect((await call('DELETE', '/api/event-manager/events/999999999', { token: current.token })).status).not.toBe(401);
  });
});
