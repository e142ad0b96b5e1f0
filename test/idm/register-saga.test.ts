import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/auth/roles.ts';
import { EMAIL_TAKEN_MESSAGE, makeRegister } from '../../shared/idm/application/register.ts';
import type { PasswordHasher, ProfileOutcome, ProfileService, UserRecord, UserRepository } from '../../shared/idm/application/ports.ts';
import { AppError } from '../../shared/kernel/errors.ts';

/** The registration saga against in-memory ports: every way the profile step can end. */

class FakeUsers implements UserRepository {
  readonly rows = new Map<number, UserRecord>();
  private next = 1;
  failDelete = false;
  async findByEmail(email: string) {
    return [...this.rows.values()].find((u) => u.email.toLowerCase() === email.toLowerCase());
  }
  async create(user: Omit<UserRecord, 'id'>) {
    if (await this.findByEmail(user.email)) return 'email-taken' as const;
    const id = this.next++;
    this.rows.set(id, { id, ...user });
    return { id };
  }
  async delete(id: number) {
    if (this.failDelete) throw new Error('connection lost');
    this.rows.delete(id);
  }
  async deleteRegistered(id: number) {
    return this.rows.delete(id) ? ('deleted' as const) : ('absent' as const);
  }
}

class FakeProfiles implements ProfileService {
  readonly created: Array<{ id: number; email: string }> = [];
  readonly discarded: Array<{ id: number; email: string; role: Role }> = [];
  constructor(public answer: ProfileOutcome | Error = { ok: true }) {}
  async create(profile: { id: number; email: string }) {
    if (this.answer instanceof Error) throw this.answer;
    if (this.answer.ok) this.created.push(profile);
    return this.answer;
  }
  async discard(profile: { id: number; email: string; role: Role }) {
    this.discarded.push(profile);
  }
}

const hasher: PasswordHasher = {
  hash: async (p) => `hashed:${p}`,
  matches: async (p, h) => h === `hashed:${p}`,
  burn: async () => {},
};

const setup = (answer?: ProfileOutcome | Error) => {
  const users = new FakeUsers();
  const profiles = new FakeProfiles(answer);
  return { users, profiles, register: makeRegister({ users, profiles, hasher, limit: { admit: async () => 0 } }) };
};

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
};

const input = { email: 'Ana@Example.com', password: 'secret-1', role: 'owner' };

describe('registration saga', () => {
  it('creates the identity (normalised e-mail, hashed password, mapped role) and then its profile', async () => {
    const { users, profiles, register } = setup();
    const { userId } = await register(input);
    expect(users.rows.get(userId)).toEqual({ id: userId, email: 'Ana@example.com', passwordHash: 'hashed:secret-1', role: 'owner-event' });
    expect(profiles.created).toEqual([{ id: userId, email: 'Ana@example.com' }]);
  });

  it('User service unreachable: the identity is deleted again, any profile discarded, 503', async () => {
    const { users, profiles, register } = setup({ ok: false, reason: 'unavailable', detail: 'ECONNREFUSED' });
    const error = await failure(register(input));
    expect(error.status).toBe(503);
    expect(error.code).toBe('PROFILE_SERVICE_UNAVAILABLE');
    expect(users.rows.size).toBe(0);
    expect(profiles.discarded).toEqual([{ id: 1, email: 'Ana@example.com', role: 'owner-event' }]);
  });

  it('a profile port that throws counts as unavailable', async () => {
    const { users, register } = setup(new Error('service account missing'));
    expect((await failure(register(input))).status).toBe(503);
    expect(users.rows.size).toBe(0);
  });

  it('User service refuses with 409 or 422: rolled back, and the caller gets that status', async () => {
    for (const status of [409, 422]) {
      const { users, profiles, register } = setup({ ok: false, reason: 'rejected', status, code: 'USER_EXISTS', message: 'user with x already exists' });
      const error = await failure(register(input));
      expect(error.status).toBe(status);
      expect(error.code).toBe('USER_EXISTS');
      expect(error.message).toContain('user with x already exists');
      expect(users.rows.size).toBe(0);
      expect(profiles.discarded).toEqual([]); // a refusal creates nothing to discard
    }
  });

  it('User service refuses our own request (401, 403, 400, 404): rolled back, 503 — not the caller’s fault', async () => {
    for (const status of [400, 401, 403, 404]) {
      const { users, register } = setup({ ok: false, reason: 'rejected', status, message: 'nope' });
      const error = await failure(register(input));
      expect([error.status, error.code]).toEqual([503, 'PROFILE_SERVICE_UNAVAILABLE']);
      expect(users.rows.size).toBe(0);
    }
  });

  it('after a rollback the same e-mail registers fine', async () => {
    const { users, profiles, register } = setup({ ok: false, reason: 'unavailable', detail: 'timeout' });
    await failure(register(input));
    profiles.answer = { ok: true };
    const { userId } = await register(input);
    expect(users.rows.get(userId)?.email).toBe('Ana@example.com');
  });

  it('a rollback that cannot delete the identity fails loudly (not as a client error)', async () => {
    const { users, register } = setup({ ok: false, reason: 'unavailable', detail: 'timeout' });
    users.failDelete = true;
    await expect(register(input)).rejects.toThrow('connection lost');
  });

  it('a taken e-mail (any case) → 409 EMAIL_TAKEN, no profile call', async () => {
    const { profiles, register } = setup();
    await register(input);
    const error = await failure(register({ ...input, email: 'ANA@EXAMPLE.com' }));
    expect([error.status, error.code, error.message]).toEqual([409, 'EMAIL_TAKEN', EMAIL_TAKEN_MESSAGE]);
    expect(profiles.created).toHaveLength(1);
  });

  it.each([
    [{ ...input, role: 'admin' }, 422, 'role'],
    [{ ...input, role: 'serviciu_clienti' }, 422, 'role'],
    [{ ...input, role: 'owner-event' }, 422, 'role'],
    [{ ...input, email: 'ana@system.local' }, 422, 'email'],
    [{ ...input, password: '' }, 422, 'password'],
    [{ ...input, password: 'seven-7' }, 422, 'password'],
    [{ ...input, password: 'x'.repeat(73) }, 422, 'password'],
  ])('refuses %j before touching anything', async (bad, status, field) => {
    const { users, register } = setup();
    const error = await failure(register(bad));
    expect([error.status, error.field]).toEqual([status, field]);
    expect(users.rows.size).toBe(0);
  });

  it('passwords over 72 bytes get their own code', async () => {
    const { register } = setup();
    expect((await failure(register({ ...input, password: 'ă'.repeat(40) }))).code).toBe('PASSWORD_TOO_LONG');
  });
});
