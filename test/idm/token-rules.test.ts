import { randomUUID } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { MemoryBlacklist } from '../../shared/auth/blacklist.ts';
import { bearerToken, decodeToken, issueToken, verifyToken } from '../../shared/auth/tokens.ts';
import { jwtConfig } from '../../shared/kernel/config.ts';
import { signWithForeignKey, signWithRunKey } from '../support/tokens.ts';

/** The token rules of shared/auth/tokens.ts: what /verify, /revoke, the authorizer and handlers rely on. */

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function claims(overrides: Record<string, unknown> = {}): Promise<JWTPayload> {
  const { issuer } = await jwtConfig();
  const base: Record<string, unknown> = {
    sub: '42', email: 'ana@example.com', role: 'client', iss: issuer, iat: now(), exp: now() + 600, jti: randomUUID(),
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base as JWTPayload;
}

/** With the run's key (ES256), or with an HMAC algorithm keyed by the published JWKS (algorithm confusion). */
async function sign(payload: JWTPayload, options: { hmac?: 'HS256' | 'HS512' } = {}) {
  if (!options.hmac) return signWithRunKey(payload);
  return new SignJWT(payload).setProtectedHeader({ alg: options.hmac, typ: 'JWT' }).sign(new TextEncoder().encode(process.env.JWT_PUBLIC_KEYS!));
}

const invalid = (reason = 'invalid') => expect.objectContaining({ valid: false, reason });

describe('token rules', () => {
  it('an issued token verifies and carries sub, email, role, iss, iat, exp, jti', async () => {
    const { token, jti, expiresAt } = await issueToken({ userId: 7, role: 'owner-event', email: 'o@example.com' });
    const verified = await verifyToken(token, new MemoryBlacklist());
    expect(verified).toEqual({
      valid: true,
      token: { userId: 7, role: 'owner-event', email: 'o@example.com', jti, issuer: (await jwtConfig()).issuer, expiresAt },
    });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(Object.keys(payload).sort()).toEqual(['email', 'exp', 'iat', 'iss', 'jti', 'role', 'sub']);
    const kid = JSON.parse(process.env.JWT_SIGNING_KEY!).kid;
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'ES256', typ: 'JWT', kid });
  });

  it('a shorter lifetime can be asked for, a longer one cannot', async () => {
    const { ttlSeconds } = await jwtConfig();
    const short = await issueToken({ userId: 1, role: 'client', email: 'a@example.com' }, { ttlSeconds: 60 });
    expect(short.expiresAt - now()).toBeLessThanOrEqual(60);
    const long = await issueToken({ userId: 1, role: 'client', email: 'a@example.com' }, { ttlSeconds: ttlSeconds * 10 });
    expect(long.expiresAt - now()).toBeLessThanOrEqual(ttlSeconds);
  });

  it('an expired token is reported as expired', async () => {
    const token = await sign(await claims({ iat: now() - 7200, exp: now() - 3600 }));
    expect(await decodeToken(token)).toEqual({ valid: false, reason: 'expired', message: 'token has expired' });
  });

  it('a tampered payload or signature is invalid', async () => {
    const token = await sign(await claims());
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' });
    expect(await decodeToken(`${header}.${forged}.${signature}`)).toEqual(invalid());
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
    expect(await decodeToken(`${header}.${payload}.${flipped}`)).toEqual(invalid());
  });

  it('alg "none" is refused', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(await claims())}.`;
    expect(await decodeToken(unsigned)).toEqual(invalid());
  });

  it('HMAC keyed with the public keys is refused (the algorithm is pinned to ES256)', async () => {
    expect(await decodeToken(await sign(await claims(), { hmac: 'HS256' }))).toEqual(invalid());
    expect(await decodeToken(await sign(await claims(), { hmac: 'HS512' }))).toEqual(invalid());
  });

  it('a token signed by a key outside the JWKS is refused, whatever kid it names', async () => {
    expect(await decodeToken(await signWithForeignKey(await claims()))).toEqual(invalid());
    expect(await decodeToken(await signWithForeignKey(await claims(), 'made-up-kid'))).toEqual(invalid());
  });

  it('a token of another issuer is refused', async () => {
    expect(await decodeToken(await sign(await claims({ iss: 'http://idm-service:50051' })))).toEqual(invalid());
  });

  it('an unknown role is refused', async () => {
    expect(await decodeToken(await sign(await claims({ role: 'superuser' })))).toEqual(
      { valid: false, reason: 'invalid', message: 'token is invalid: unknown role' },
    );
  });

  it.each(['sub', 'email', 'role', 'jti', 'iat', 'exp', 'iss'])('a token without %s is refused', async (claim) => {
    expect(await decodeToken(await sign(await claims({ [claim]: undefined })))).toEqual(invalid());
  });

  it.each([['abc'], ['0'], ['-3'], ['007'], ['1.5'], ['99999999999999999999']])('subject %j is refused', async (sub) => {
    expect(await decodeToken(await sign(await claims({ sub })))).toEqual(invalid());
  });

  it('claims of the wrong type are refused', async () => {
    expect(await decodeToken(await sign(await claims({ email: 42 })))).toEqual(invalid());
    expect(await decodeToken(await sign(await claims({ jti: { id: 1 } })))).toEqual(invalid());
  });

  it.each([[''], ['garbage'], ['a.b.c'], ['x'.repeat(5000)]])('garbage %# is invalid', async (garbage) => {
    expect(await decodeToken(garbage)).toEqual(invalid());
  });

  it('a revoked token is reported as revoked by verifyToken, not by decodeToken', async () => {
    const revoked = new MemoryBlacklist();
    const { token, jti, expiresAt } = await issueToken({ userId: 3, role: 'client', email: 'c@example.com' });
    await revoked.revoke(jti, expiresAt);
    expect(await verifyToken(token, revoked)).toEqual({ valid: false, reason: 'revoked', message: 'token has been revoked' });
    expect((await decodeToken(token)).valid).toBe(true);
  });

  it('bearerToken reads "Bearer <t>" in any case, or a bare token', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('abc')).toBe('abc');
    expect(bearerToken('  ')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
