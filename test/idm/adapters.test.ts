import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToken } from '../../shared/auth/tokens.ts';
import type { ServiceToken } from '../../shared/idm/application/service-token.ts';
import { makeServiceToken } from '../../shared/idm/application/service-token.ts';
import { BcryptHasher } from '../../shared/idm/infrastructure/bcrypt-hasher.ts';
import { HttpProfileService } from '../../shared/idm/infrastructure/http-profile-service.ts';
import { PgUserRepository } from '../../shared/idm/infrastructure/pg-user-repository.ts';
import { closePools, pgPool } from '../../shared/kernel/postgres.ts';
import { newRequestContext, runWithContext } from '../../shared/kernel/request-context.ts';
import { freePort } from '../../infra/local/ports.ts';
import { newEmail } from './helpers.ts';

const repo = new PgUserRepository(() => pgPool('idm'));
afterAll(closePools);

describe('PostgreSQL user repository (real PostgreSQL)', () => {
  it('creates, finds regardless of case, and deletes', async () => {
    const email = newEmail('Repo');
    const created = await repo.create({ email, passwordHash: 'h', role: 'client' });
    if (created === 'email-taken') throw new Error('fresh e-mail was taken');
    expect(await repo.findByEmail(email.toUpperCase())).toEqual({ id: created.id, email, passwordHash: 'h', role: 'client' });
    await repo.delete(created.id);
    expect(await repo.findByEmail(email)).toBeUndefined();
  });

  it('concurrent creations of one e-mail (different cases): exactly one succeeds', async () => {
    const email = newEmail('race');
    const variants = [email, email.toUpperCase(), email.replace('race', 'RACE'), email, email.toUpperCase(), email, email, email];
    const results = await Promise.all(variants.map((e) => repo.create({ email: e, passwordHash: 'h', role: 'client' })));
    expect(results.filter((r) => r !== 'email-taken')).toHaveLength(1);
    expect(results.filter((r) => r === 'email-taken')).toHaveLength(variants.length - 1);
  });

  it('treats SQL-looking input as data', async () => {
    const email = `x'); DROP TABLE users; --${randomUUID()}@example.com`;
    const created = await repo.create({ email, passwordHash: "' OR '1'='1", role: 'client' });
    expect(await repo.findByEmail(email)).toMatchObject({ email, passwordHash: "' OR '1'='1" });
    expect(await repo.findByEmail("' OR '1'='1")).toBeUndefined();
    if (created !== 'email-taken') await repo.delete(created.id);
  });

  it('the role check of the table refuses unknown roles', async () => {
    await expect(repo.create({ email: newEmail(), passwordHash: 'h', role: 'root' as never })).rejects.toThrow();
  });
});

describe('service account token', () => {
  it('is minted for the seeded account, cached, and renewed shortly before expiry', async () => {
    const email = newEmail('svc');
    const created = await repo.create({ email, passwordHash: 'h', role: 'serviciu_clienti' });
    if (created === 'email-taken') throw new Error('taken');
    let clock = Math.floor(Date.now() / 1000);
    const provider = makeServiceToken({ users: repo, email, now: () => clock });
    const first = await provider.get();
    expect(await decodeToken(first)).toMatchObject({ valid: true, token: { userId: created.id, role: 'serviciu_clienti', email } });
    expect(await provider.get()).toBe(first);
    clock += 3_600 - 30; // inside the renewal margin
    const second = await provider.get();
    expect(second).not.toBe(first);
    provider.invalidate();
    expect(await provider.get()).not.toBe(second);
  });

  it('refuses to mint for a missing account or one without the service role', async () => {
    await expect(makeServiceToken({ users: repo, email: newEmail() }).get()).rejects.toMatchObject({ status: 503 });
    const email = newEmail();
    await repo.create({ email, passwordHash: 'h', role: 'client' });
    await expect(makeServiceToken({ users: repo, email }).get()).rejects.toMatchObject({ code: 'SERVICE_ACCOUNT_MISSING' });
  });
});

describe('bcrypt hasher', () => {
  it('hashes with the configured cost and compares', async () => {
    const hasher = new BcryptHasher(4);
    const hash = await hasher.hash('pässword');
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    expect(await hasher.matches('pässword', hash)).toBe(true);
    expect(await hasher.matches('password', hash)).toBe(false);
    await expect(hasher.burn('anything')).resolves.toBeUndefined();
  });
});

describe('HTTP profile client (against a recording fake of the User service)', () => {
  let server: Server;
  let baseUrl: string;
  let answer: (req: IncomingMessage, body: string) => { status: number; body?: unknown; delayMs?: number } = () => ({ status: 201 });
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        const { status, body: out, delayMs = 0 } = answer(req, body);
        setTimeout(() => res.writeHead(status, { 'Content-Type': 'application/json' }).end(out === undefined ? '' : JSON.stringify(out)), delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

  let invalidated = 0;
  const token: ServiceToken = { get: async () => 'service-token', invalidate: () => void invalidated++ };
  const client = (url = () => baseUrl, timeoutMs = 1_000) => new HttpProfileService({ baseUrl: url(), serviceToken: token, timeoutMs });

  it('POSTs the profile with the service token and the correlation id', async () => {
    answer = () => ({ status: 201, body: { user: {} } });
    seen.length = 0;
    const outcome = await runWithContext(newRequestContext('corr-123', {}), () => client().create({ id: 77, email: 'a@example.com' }));
    expect(outcome).toEqual({ ok: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/user-manager/users' });
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Bearer service-token', 'x-correlation-id': 'corr-123', 'content-type': 'application/json' });
    expect(JSON.parse(seen[0]!.body)).toEqual({ id: 77, email: 'a@example.com', first_name: '', last_name: '' });
  });

  it('5xx (including 501) → unavailable', async () => {
    for (const status of [500, 501, 502, 503]) {
      answer = () => ({ status, body: { error: 'x', code: 'X' } });
      expect(await client().create({ id: 1, email: 'a@example.com' })).toMatchObject({ ok: false, reason: 'unavailable' });
    }
  });

  it('4xx → rejected with the User service’s status, code and message; 401 forgets the cached token', async () => {
    answer = () => ({ status: 409, body: { error: 'user with a@example.com already exists', code: 'USER_EXISTS' } });
    expect(await client().create({ id: 1, email: 'a@example.com' })).toEqual({
      ok: false, reason: 'rejected', status: 409, code: 'USER_EXISTS', message: 'user with a@example.com already exists',
    });
    answer = () => ({ status: 401 });
    const before = invalidated;
    expect(await client().create({ id: 1, email: 'a@example.com' })).toMatchObject({ reason: 'rejected', status: 401, message: 'HTTP 401' });
    expect(invalidated).toBe(before + 1);
  });

  it('a closed port and a timeout → unavailable', async () => {
    const closed = await freePort();
    expect(await client(() => `http://127.0.0.1:${closed}`).create({ id: 1, email: 'a@example.com' })).toMatchObject({ ok: false, reason: 'unavailable' });
    answer = () => ({ status: 201, delayMs: 1_500 });
    const started = Date.now();
    expect(await client(undefined, 300).create({ id: 1, email: 'a@example.com' })).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(1_400);
  });

  it('discard DELETEs the profile with a short-lived token of that very user, and never throws', async () => {
    answer = () => ({ status: 200 });
    seen.length = 0;
    await client().discard({ id: 55, email: 'b@example.com', role: 'client' });
    expect(seen[0]).toMatchObject({ method: 'DELETE', url: '/api/user-manager/users/55' });
    const sent = String(seen[0]!.headers.authorization).replace('Bearer ', '');
    const decoded = await decodeToken(sent);
    expect(decoded).toMatchObject({ valid: true, token: { userId: 55, role: 'client', email: 'b@example.com' } });
    if (decoded.valid) expect(decoded.token.expiresAt - Date.now() / 1000).toBeLessThanOrEqual(60);
    const closed = await freePort();
    await expect(client(() => `http://127.0.0.1:${closed}`).discard({ id: 1, email: 'a@example.com', role: 'client' })).resolves.toBeUndefined();
  });
});
