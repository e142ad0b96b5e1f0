import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../shared/auth/tokens.ts';
import { LoginFailed, makeLogin } from '../../shared/idm/application/login.ts';
import type { LoginThrottle, PasswordHasher, UserRecord, UserRepository } from '../../shared/idm/application/ports.ts';
import { makeLoginThrottle } from '../../shared/idm/application/throttles.ts';
import { MemoryWindowCounters } from '../../shared/idm/infrastructure/window-counters.ts';
import { AppError } from '../../shared/kernel/errors.ts';

const ana: UserRecord = { id: 12, email: 'Ana@example.com', passwordHash: 'hashed:right', role: 'client' };
const users: UserRepository = {
  findByEmail: async (email) => (email.toLowerCase() === ana.email.toLowerCase() ? ana : undefined),
  create: async () => 'email-taken',
  delete: async () => {},
  deleteRegistered: async () => 'absent',
};

function setup(throttle: LoginThrottle = makeLoginThrottle(new MemoryWindowCounters())) {
  const calls = { matches: 0, burns: 0 };
  const hasher: PasswordHasher = {
    hash: async (p) => `hashed:${p}`,
    matches: async (p, h) => (calls.matches++, h === `hashed:${p}`),
    burn: async () => void calls.burns++,
  };
  return { calls, throttle, login: makeLogin({ users, hasher, throttle }) };
}

const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as AppError);

describe('login', () => {
  it('issues a token for the stored identity, whatever the case of the e-mail typed', async () => {
    const { login } = setup();
    const result = await login({ email: ' ANA@EXAMPLE.COM ', password: 'right' });
    expect(result).toMatchObject({ userId: 12, role: 'client', email: 'Ana@example.com' });
    expect(await decodeToken(result.token)).toMatchObject({ valid: true, token: { userId: 12, role: 'client', email: 'Ana@example.com' } });
  });

  it('wrong password and unknown e-mail fail alike, with the same bcrypt work', async () => {
    const { login, calls } = setup();
    const wrong = await rejection(login({ email: ana.email, password: 'wrong' }));
    const unknown = await rejection(login({ email: 'nobody@example.com', password: 'right' }));
    for (const error of [wrong, unknown]) {
      expect(error).toBeInstanceOf(LoginFailed);
      expect((error as AppError).toBody()).toEqual({
        error: 'Invalid email or password', code: 'INVALID_CREDENTIALS', success: false, message: 'Invalid email or password',
      });
    }
    expect(calls).toEqual({ matches: 1, burns: 1 });
  });

  it('after 5 failures for an e-mail: 429 with Retry-After, without even checking the password', async () => {
    const { login, calls } = setup();
    for (let i = 0; i < 5; i++) await rejection(login({ email: ana.email, password: 'wrong' }));
    const error = (await rejection(login({ email: ana.email, password: 'right' }))) as AppError;
    expect([error.status, error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(error.headers?.['Retry-After'])).toBeGreaterThan(890);
    expect(calls.matches).toBe(5);
  });

  it('concurrent attempts are counted before any password is checked: at most 5 checks, the right password among 50 included', async () => {
    const { login, calls } = setup();
    const attempts = Array.from({ length: 50 }, (_, i) => rejection(login({ email: ana.email, password: i === 30 ? 'right' : `wrong-${i}` })));
    const outcomes = await Promise.all(attempts);
    expect(calls.matches).toBe(5);
    expect(outcomes.filter((e) => e === undefined)).toHaveLength(0);
    expect(outcomes.filter((e) => (e as AppError).status === 429)).toHaveLength(45);
  });

  it('a success clears the e-mail counter: four typos, a success, four more typos still log in', async () => {
    const { login } = setup();
    for (let i = 0; i < 4; i++) await rejection(login({ email: ana.email, password: 'wrong' }));
    await login({ email: ana.email, password: 'right' });
    for (let i = 0; i < 4; i++) await rejection(login({ email: ana.email, password: 'wrong' }));
    await expect(login({ email: ana.email, password: 'right' })).resolves.toMatchObject({ userId: 12 });
  });

  it('requests that break the input rules do not count as failed logins', async () => {
    const counters = new MemoryWindowCounters();
    const { login } = setup(makeLoginThrottle(counters));
    for (let i = 0; i < 10; i++) {
      expect(((await rejection(login({ email: ana.email, password: 'x'.repeat(80) }))) as AppError).code).toBe('PASSWORD_TOO_LONG');
    }
    expect(counters.size).toBe(0);
  });

  it('the seeded service account can log in although its domain is special-use', async () => {
    const service: UserRecord = { id: 1, email: 'clients_service@system.local', passwordHash: 'hashed:s', role: 'serviciu_clienti' };
    const login = makeLogin({
      users: { ...users, findByEmail: async () => service },
      hasher: { hash: async (p) => p, matches: async (p, h) => h === `hashed:${p}`, burn: async () => {} },
      throttle: makeLoginThrottle(new MemoryWindowCounters()),
    });
    await expect(login({ email: 'clients_service@system.local', password: 's' })).resolves.toMatchObject({ role: 'serviciu_clienti' });
  });
});
