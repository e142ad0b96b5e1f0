import { afterEach, describe, expect, it } from 'vitest';
import { issueToken } from '../../shared/auth/tokens.ts';
import { AppError } from '../../shared/kernel/errors.ts';
import { CachingTokenProvider, identityServiceLogin, type IssuedToken, tokenExpiry } from '../../shared/users/infrastructure/service-token.ts';
import { type FakeServer, fakeServer, json } from './fake-server.ts';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('CachingTokenProvider', () => {
  function provider(expiresIn: number) {
    let now = 1_000_000;
    let n = 0;
    const fetches: number[] = [];
    const p = new CachingTokenProvider(
      async (): Promise<IssuedToken> => {
        fetches.push(now);
        await new Promise((r) => setTimeout(r, 5));
        return { token: `t${++n}`, expiresAt: now + expiresIn };
      },
      () => now,
    );
    return { p, fetches, advance: (s: number) => (now += s) };
  }

  it('caches the token until 60 s before it expires', async () => {
    const { p, fetches, advance } = provider(3600);
    expect(await p.token()).toBe('t1');
    advance(3600 - 61);
    expect(await p.token()).toBe('t1');
    advance(2);
    expect(await p.token()).toBe('t2');
    expect(fetches).toHaveLength(2);
  });

  it('concurrent callers share one login', async () => {
    const { p, fetches } = provider(3600);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => p.token()));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(fetches).toHaveLength(1);
  });

  it('invalidate forgets only the rejected token', async () => {
    const { p } = provider(3600);
    const first = await p.token();
    p.invalidate('something-else');
    expect(await p.token()).toBe(first);
    p.invalidate(first);
    expect(await p.token()).toBe('t2');
  });
});

describe('identityServiceLogin', () => {
  const credentials = async () => ({ email: 'svc@system.local', password: 'pw' });

  it('logs in at /api/idm/auth/login and reads the expiry from the token', async () => {
    const { token, expiresAt } = await issueToken({ userId: 4, role: 'serviciu_clienti', email: 'svc@system.local' });
    server = await fakeServer((_req, res) => json(res, 200, { success: true, token, role: 'serviciu_clienti', user_id: '4' }));
    expect(await identityServiceLogin({ baseUrl: server.url, credentials })()).toEqual({ token, expiresAt });
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/api/idm/auth/login', body: '{"email":"svc@system.local","password":"pw"}' });
    expect(tokenExpiry(token)).toBe(expiresAt);
    expect(tokenExpiry('garbage')).toBeUndefined();
  });

  it.each([
    ['refused', 401, { success: false, message: 'Invalid email or password' }],
    ['not the service role', 200, { success: true, token: 'x.eyJleHAiOjF9.y', role: 'client' }],
    ['not implemented', 501, { error: 'not implemented' }],
  ])('%s → 503', async (_name, status, body) => {
    server = await fakeServer((_req, res) => json(res, status, body));
    const error = await identityServiceLogin({ baseUrl: server.url, credentials })().catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(503);
  });

  it('unreachable → 503', async () => {
    const error = await identityServiceLogin({ baseUrl: 'http://127.0.0.1:9', credentials, timeoutMs: 500 })().catch((e) => e);
    expect((error as AppError).status).toBe(503);
  });
});
