import { describe, expect, it } from 'vitest';
import { issueToken } from '../../shared/auth/tokens.ts';
import { AppError } from '../../shared/kernel/errors.ts';
import { CachingTokenProvider, type IssuedToken, serviceTokenIssuer } from '../../shared/users/infrastructure/service-token.ts';

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

describe('serviceTokenIssuer', () => {
  const credentials = async () => ({ email: 'svc@system.local', password: 'pw' });

  it('sends the credentials to the issuer and returns its token and expiry', async () => {
    const { token, expiresAt } = await issueToken({ userId: 4, role: 'serviciu_clienti', email: 'svc@system.local' });
    const requests: unknown[] = [];
    const issuer = serviceTokenIssuer({ invoke: async (request) => (requests.push(request), { ok: true, token, expiresAt }), credentials });
    expect(await issuer()).toEqual({ token, expiresAt });
    expect(requests).toEqual([{ email: 'svc@system.local', password: 'pw' }]);
  });

  it.each([
    ['refused', { ok: false, code: 'SERVICE_CREDENTIALS_REFUSED', message: 'no' }],
    ['garbage', { token: 42 }],
    ['nothing', null],
  ])('%s → 503', async (_name, answer) => {
    const error = await serviceTokenIssuer({ invoke: async () => answer, credentials })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(503);
  });

  it('the issuer cannot be invoked → 503', async () => {
    const error = await serviceTokenIssuer({ invoke: async () => { throw new Error('AccessDenied'); }, credentials })().catch((e: unknown) => e);
    expect((error as AppError).status).toBe(503);
  });
});
