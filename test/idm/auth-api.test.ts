import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../shared/auth/tokens.ts';
import { jwtConfig } from '../../shared/kernel/config.ts';
import { call, stopApi } from '../support/api.ts';
import { signWithRunKey } from '../support/tokens.ts';
import { existingUser, newClientIp, newEmail, postFrom } from './helpers.ts';

/** /api/idm/auth/* through the local API Gateway, against the run's PostgreSQL (and Redis, when set). */

afterAll(stopApi);

const now = () => Math.floor(Date.now() / 1000);
const login = (email: string, password: string) => call('POST', '/api/idm/auth/login', { body: { email, password } });

async function loggedIn() {
  const user = await existingUser('client');
  const res = await login(user.email, user.password);
  expect(res.status).toBe(200);
  return { ...user, token: res.body.token as string };
}

describe('POST /api/idm/auth/register', () => {
  it('201 with the original body; the identity can log in and owns a profile in the User service', async () => {
    const email = newEmail('Reg');
    const res = await call('POST', '/api/idm/auth/register', { body: { email: `  ${email.replace('example.com', 'EXAMPLE.com')} `, password: 'secret-1', role: 'client' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ success: true, message: 'Registration successful', user_id: expect.stringMatching(/^\d+$/) });
    expect(res.headers.get('access-control-allow-origin')).toBeTruthy();

    const session = await login(email, 'secret-1');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ success: true, user_id: res.body.user_id, role: 'client', email });
    const profile = await call('GET', `/api/user-manager/users/${res.body.user_id}`, { token: session.body.token });
    expect(profile.status).toBe(200);
    expect(profile.body.user).toMatchObject({ id: Number(res.body.user_id), email, first_name: '', last_name: '' });
  });

  it('"owner" registers an owner-event', async () => {
    const email = newEmail('owner');
    expect((await call('POST', '/api/idm/auth/register', { body: { email, password: 'secret-12', role: 'owner' } })).status).toBe(201);
    expect((await login(email, 'secret-12')).body.role).toBe('owner-event');
  });

  it('a taken e-mail (in any case) → 409 EMAIL_TAKEN with the original message', async () => {
    const { email } = await existingUser();
    const res = await call('POST', '/api/idm/auth/register', { body: { email: email.toUpperCase(), password: 'secret-12', role: 'client' } });
    expect(res.status).toBe(409);
    const error = "validation failed for 'email': User with this email already exists";
    expect(res.body).toEqual({ error, detail: error, code: 'EMAIL_TAKEN' });
  });

  it.each(['admin', 'serviciu_clienti', 'owner-event', 'Client', ''])('role %j → 422', async (role) => {
    const res = await call('POST', '/api/idm/auth/register', { body: { email: newEmail(), password: 'secret-12', role } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'role', error: 'role: must be one of "client", "owner"' });
  });

  it('a password over 72 bytes → 422 PASSWORD_TOO_LONG with a clear message', async () => {
    const res = await call('POST', '/api/idm/auth/register', { body: { email: newEmail(), password: 'é'.repeat(40), role: 'client' } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'PASSWORD_TOO_LONG', field: 'password' });
    expect(res.body.error).toContain('at most 72 bytes');
  });

  it('a password of fewer than 8 characters → 422 PASSWORD_TOO_SHORT naming the field (F18); 8 are enough', async () => {
    for (const password of ['x', 'seven-7', 'ăăăăăăă']) {
      const res = await call('POST', '/api/idm/auth/register', { body: { email: newEmail(), password, role: 'client' } });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'PASSWORD_TOO_SHORT', field: 'password', error: 'password: must be at least 8 characters long' });
    }
    expect((await call('POST', '/api/idm/auth/register', { body: { email: newEmail(), password: 'eight-8!', role: 'client' } })).status).toBe(201);
  });

  it('special-use domains cannot register', async () => {
    const res = await call('POST', '/api/idm/auth/register', { body: { email: `x${randomUUID()}@system.local`, password: 'secret-12', role: 'client' } });
    expect(res.status).toBe(422);
    expect(res.body.error).toContain('special-use or reserved name');
  });
});

describe('POST /api/idm/auth/login', () => {
  it('200 {success, token, message, user_id, role, email}', async () => {
    const user = await existingUser('owner-event');
    const res = await login(` ${user.email.toUpperCase()}`, user.password);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true, token: expect.any(String), message: 'Login successful', user_id: String(user.userId), role: 'owner-event', email: user.email,
    });
  });

  it('the seeded service account and admin log in (special-use domains allowed at login)', async () => {
    const res = await login(process.env.ADMIN_EMAIL!, process.env.ADMIN_PASSWORD!);
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('admin');
    const service = await login('clients_service@system.local', process.env.SERVICE_ACCOUNT_PASSWORD!);
    expect(service.body).toMatchObject({ success: true, role: 'serviciu_clienti' });
  });

  it('wrong password or unknown e-mail → 401 with success:false, message, error and code', async () => {
    const user = await existingUser();
    const ip = newClientIp();
    for (const body of [{ email: user.email, password: 'wrong' }, { email: newEmail(), password: user.password }]) {
      const res = await postFrom(ip, '/api/idm/auth/login', body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ success: false, message: 'Invalid email or password', error: 'Invalid email or password', detail: 'Invalid email or password', code: 'INVALID_CREDENTIALS' });
      expect(res.headers['access-control-allow-origin']).toBeTruthy();
    }
  });

  it('after 5 failures for one e-mail: 429 RATE_LIMITED with Retry-After, even with the right password', async () => {
    const user = await existingUser();
    const ip = newClientIp();
    for (let i = 0; i < 5; i++) expect((await postFrom(ip, '/api/idm/auth/login', { email: user.email, password: `wrong-${i}` })).status).toBe(401);
    const res = await postFrom(newClientIp(), '/api/idm/auth/login', { email: user.email, password: user.password });
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(800);
    // Another account is not affected.
    const other = await existingUser();
    expect((await postFrom(ip, '/api/idm/auth/login', { email: other.email, password: other.password })).status).toBe(200);
  });

  it('after 50 failures from one client address: 429 for every e-mail from there', async () => {
    const ip = newClientIp();
    for (let i = 0; i < 50; i++) expect((await postFrom(ip, '/api/idm/auth/login', { email: newEmail(), password: 'x' })).status).toBe(401);
    const user = await existingUser();
    const blocked = await postFrom(ip, '/api/idm/auth/login', { email: user.email, password: user.password });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await postFrom(newClientIp(), '/api/idm/auth/login', { email: user.email, password: user.password })).status).toBe(200);
  });
});

describe('POST /api/idm/auth/verify', () => {
  const verify = (token: string) => call('POST', '/api/idm/auth/verify', { body: { token } });

  it('a valid token → 200 with its identity', async () => {
    const { token, userId, email } = await loggedIn();
    const res = await verify(token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true, email, message: 'Token is valid', user_id: String(userId), role: 'client',
      issuer: (await jwtConfig()).issuer, expires_at: expect.any(Number), expired: false, blacklisted: false,
    });
    expect(res.body.expires_at).toBeGreaterThan(now());
  });

  it('an expired token → expired:true, "token has expired"', async () => {
    const { issuer } = await jwtConfig();
    const expired = await signWithRunKey({ email: 'a@example.com', role: 'client', sub: '5', iss: issuer, iat: now() - 7200, exp: now() - 3600, jti: randomUUID() });
    const res = await verify(expired);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: false, expired: true, blacklisted: false, message: 'token has expired', user_id: '' });
    const protectedRoute = await call('GET', '/api/event-manager/event-packets/1', { token: expired });
    expect([protectedRoute.status, protectedRoute.body.error]).toEqual([401, 'invalid or expired token']);
  });

  it('tampered, wrong-algorithm and garbage tokens → valid:false, and are never blacklisted', async () => {
    const { token } = await loggedIn();
    const [h, p] = token.split('.');
    const tampered = `${h}.${p}.${'A'.repeat(43)}`;
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    // Algorithm confusion: HMAC keyed with the published public keys.
    const hs512 = await new SignJWT(JSON.parse(Buffer.from(p!, 'base64url').toString())).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(process.env.JWT_PUBLIC_KEYS!));
    for (const bad of [tampered, none, hs512, 'garbage']) {
      for (let i = 0; i < 2; i++) {
        const res = await verify(bad);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ valid: false, expired: false, blacklisted: false });
        expect(res.body.message).toMatch(/^token is invalid/);
      }
    }
    // The genuine token is unaffected by all that; the forgeries open nothing.
    expect((await verify(token)).body.valid).toBe(true);
    for (const bad of [tampered, none, hs512]) expect((await call('GET', '/api/event-manager/event-packets/1', { token: bad })).status).toBe(401);
  });

  it('a revoked token → valid:false, blacklisted:true', async () => {
    const { token } = await loggedIn();
    expect((await call('POST', '/api/idm/auth/revoke', { body: { token } })).status).toBe(200);
    expect((await verify(token)).body).toMatchObject({ valid: false, blacklisted: true, expired: false });
  });
});

describe('POST /api/idm/auth/revoke and /logout', () => {
  it('revoke: 200, then "already revoked"; the token no longer opens protected routes', async () => {
    const { token, userId } = await loggedIn();
    const before = await call('GET', `/api/user-manager/users/${userId}`, { token });
    expect(before.status).not.toBe(401);
    const res = await call('POST', '/api/idm/auth/revoke', { body: { token } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, message: 'Token has been successfully revoked and added to blacklist' });
    expect((await call('POST', '/api/idm/auth/revoke', { body: { token } })).body).toEqual({ success: true, message: 'Token was already revoked' });
    const after = await call('GET', `/api/user-manager/users/${userId}`, { token });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: 'invalid or expired token' });
  });

  it('logout with the token in the body, then reuse on a protected route → 401', async () => {
    const { token } = await loggedIn();
    expect((await call('GET', '/api/event-manager/event-packets/1', { token })).status).not.toBe(401);
    const res = await call('POST', '/api/idm/auth/logout', { body: { token } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, message: 'Token has been successfully revoked and added to blacklist' });
    const reuse = await call('GET', '/api/event-manager/event-packets/1', { token });
    expect(reuse.status).toBe(401);
    expect(reuse.body).toMatchObject({ error: 'invalid or expired token' });
  });

  it('logout with the token in the Authorization header and no body', async () => {
    const { token, userId } = await loggedIn();
    const res = await call('POST', '/api/idm/auth/logout', { token });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect((await call('GET', `/api/user-manager/users/${userId}`, { token })).status).toBe(401);
    expect((await call('POST', '/api/idm/auth/verify', { body: { token } })).body.blacklisted).toBe(true);
  });

  it('logout without any token → 422 naming the token', async () => {
    const res = await call('POST', '/api/idm/auth/logout');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'token' });
  });

  it('an expired token logs out successfully (nothing left to revoke)', async () => {
    const { issuer } = await jwtConfig();
    const expired = await signWithRunKey({ email: 'a@example.com', role: 'client', sub: '5', iss: issuer, iat: now() - 7200, exp: now() - 3600, jti: randomUUID() });
    expect((await call('POST', '/api/idm/auth/revoke', { body: { token: expired } })).body).toEqual({ success: true, message: 'Token has already expired' });
  });

  it('a token we did not issue → 401 INVALID_TOKEN, nothing recorded', async () => {
    const { token } = await issueToken({ userId: 9, role: 'client', email: 'n@example.com' });
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const path of ['/api/idm/auth/revoke', '/api/idm/auth/logout']) {
      const res = await call('POST', path, { body: { token: forged } });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'INVALID_TOKEN' });
    }
    expect((await call('POST', '/api/idm/auth/verify', { body: { token } })).body.valid).toBe(true);
  });
});

describe('CONTRACT F21: IDM error bodies carry `detail` (the original SPA shows it)', () => {
  it.each([
    ['malformed JSON', '/api/idm/auth/register', { raw: '{"email":', headers: { 'Content-Type': 'application/json' } }, 400],
    ['an unknown role', '/api/idm/auth/register', { body: { email: 'x@example.com', password: 'secret-12', role: 'admin' } }, 422],
    ['a missing field', '/api/idm/auth/login', { body: { email: 'x@example.com' } }, 422],
    ['not JSON', '/api/idm/auth/login', { raw: 'email=x', headers: { 'Content-Type': 'text/plain' } }, 415],
    ['a foreign token', '/api/idm/auth/revoke', { body: { token: 'a.b.c' } }, 401],
  ] as const)('%s → %d with detail = error', async (_name, path, options, status) => {
    const res = await call('POST', path, options as Parameters<typeof call>[2]);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error: expect.any(String), code: expect.any(String) });
    expect(res.body.detail).toBe(res.body.error);
  });

  it('a taken e-mail: the 409 the SPA shows says why', async () => {
    const { email } = await existingUser();
    const res = await call('POST', '/api/idm/auth/register', { body: { email, password: 'secret-12', role: 'client' } });
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe("validation failed for 'email': User with this email already exists");
  });

  it('other services keep {error, code} only', async () => {
    const res = await call('GET', '/api/event-manager/events/0');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.detail).toBeUndefined();
  });
});
