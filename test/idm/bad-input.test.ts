import { afterAll, describe, expect, it } from 'vitest';
import { stopApi } from '../support/api.ts';
import { newClientIp, newEmail, postFrom } from './helpers.ts';

/**
 * Whatever a client sends to /api/idm/auth/*, the answer is a 4xx with {"error","code"} (and CORS),
 * never a 5xx. Sent from addresses of their own, so that login failures never throttle other tests.
 */

afterAll(stopApi);

const LONG = 'x'.repeat(10_000);
const SQL = "' OR '1'='1'; DROP TABLE users; --";

/** A well-formed body per endpoint (fresh e-mails: a body that passes must not collide with another test's). */
const valid: Record<string, () => Record<string, string>> = {
  '/api/idm/auth/register': () => ({ email: newEmail('bad-input'), password: 'secret-12', role: 'client' }),
  '/api/idm/auth/login': () => ({ email: newEmail('bad-input'), password: 'pw' }),
  '/api/idm/auth/verify': () => ({ token: 'a.b.c' }),
  '/api/idm/auth/revoke': () => ({ token: 'a.b.c' }),
  '/api/idm/auth/logout': () => ({ token: 'a.b.c' }),
};

/** What a SQL-looking value gets: it is only ever data (a password may even look like that). */
const SQL_OUTCOME: Record<string, Record<string, number>> = {
  '/api/idm/auth/register': { email: 422, password: 201, role: 422 },
  '/api/idm/auth/login': { email: 422, password: 401 },
  '/api/idm/auth/verify': { token: 200 },
  '/api/idm/auth/revoke': { token: 401 },
  '/api/idm/auth/logout': { token: 401 },
};

async function send(path: string, body: unknown, raw = false) {
  const res = await postFrom(newClientIp(), path, body, { raw });
  expect(res.status, `${path} ${raw ? String(body) : JSON.stringify(body).slice(0, 120)} → ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.body).toMatchObject({ error: expect.any(String), code: expect.stringMatching(/^[A-Z_]+$/) });
  expect(res.headers['access-control-allow-origin']).toBeTruthy();
  return res;
}

describe.each(Object.keys(valid))('bad input on POST %s', (path) => {
  const fields = Object.keys(valid[path]!());

  it.each([
    ['malformed JSON', '{"email": "a@', 'MALFORMED_JSON'],
    ['two JSON values', '{} {}', 'MALFORMED_JSON'],
    ['not JSON at all', 'email=a@example.com', 'MALFORMED_JSON'],
    ['whitespace only', '   ', 'EMPTY_BODY'],
  ])('%s → 400', async (_, raw, code) => {
    const res = await send(path, raw, true);
    expect([res.status, res.body.code]).toEqual([400, code]);
  });

  it.each([['an array', []], ['a string', 'token'], ['null', null], ['a number', 42]])('%s instead of an object → 400', async (_, body) => {
    expect((await send(path, body)).status).toBe(400);
  });

  it('an unknown field → 400 UNKNOWN_FIELD naming it', async () => {
    const res = await send(path, { ...valid[path]!(), is_admin: true });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'UNKNOWN_FIELD', field: 'is_admin' });
    expect((await send(path, { ...valid[path]!(), [LONG]: 1 })).status).toBe(400);
  });

  it.each(fields)('a wrong type for %s → 400 INVALID_TYPE', async (field) => {
    for (const wrong of [123, true, {}, ['a']]) {
      const res = await send(path, { ...valid[path]!(), [field]: wrong });
      expect([res.status, res.body.code, res.body.field]).toEqual([400, 'INVALID_TYPE', field]);
    }
  });

  it.each(fields)('10 000 characters in %s → 4xx', async (field) => {
    const res = await send(path, { ...valid[path]!(), [field]: LONG });
    expect(res.status).toBe(422);
    expect(res.body.field).toBe(field);
  });

  it.each(fields)('a SQL-looking %s is only data', async (field) => {
    const expected = SQL_OUTCOME[path]![field]!;
    const body = { ...valid[path]!(), [field]: SQL };
    if (expected < 400) {
      const res = await postFrom(newClientIp(), path, body);
      expect(res.status, res.text).toBe(expected);
      if (path.endsWith('/register')) {
        const login = await postFrom(newClientIp(), '/api/idm/auth/login', { email: body.email, password: SQL });
        expect(login.status).toBe(200);
      }
    } else expect((await send(path, body)).status).toBe(expected);
  });

  if (path !== '/api/idm/auth/logout') {
    it('an empty body → 400, a missing field → 422 naming it', async () => {
      expect((await send(path, '', true)).status).toBe(400);
      for (const field of fields) {
        const { [field]: _, ...rest } = valid[path]!();
        const res = await send(path, rest);
        expect([res.status, res.body.field]).toEqual([422, field]);
      }
    });
  }
});

describe('bad input specific to one endpoint', () => {
  it('register: an empty password, an invalid or SQL-looking e-mail → 422 naming the field', async () => {
    for (const [body, field] of [
      [{ email: newEmail(), password: '', role: 'client' }, 'password'],
      [{ email: 'not-an-email', password: 'secret-12', role: 'client' }, 'email'],
      [{ email: `${SQL}@example.com`, password: 'secret-12', role: 'client' }, 'email'],
      [{ email: newEmail(), password: 'secret-12', role: SQL }, 'role'],
    ] as const) {
      const res = await send('/api/idm/auth/register', body);
      expect([res.status, res.body.field]).toEqual([422, field]);
    }
  });

  it('verify answers 200 valid:false for a well-formed request with a token that is not ours', async () => {
    for (const token of [SQL, 'a.b.c', 'x'.repeat(1_000)]) {
      const res = await postFrom(newClientIp(), '/api/idm/auth/verify', { token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ valid: false, blacklisted: false, expired: false });
    }
  });
});
