import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { blacklist } from '../../shared/auth/blacklist.ts';
import { caller, created, endpoint, ok } from '../../shared/http/endpoint.ts';
import { MAX_BODY_BYTES } from '../../shared/kernel/json-body.ts';
import { apiEvent, lambdaContext } from '../support/events.ts';
import { tokenFor } from '../support/tokens.ts';

// A protected route of the table (owner-event or admin) and a public one.
const PROTECTED = ['POST', '/api/event-manager/events'] as const;
const PUBLIC = ['GET', '/api/event-manager/events'] as const;

const create = endpoint({ body: z.strictObject({ name: z.string().min(1).max(20), seats: z.int().min(1).optional() }) }, async (req) =>
  created({ by: caller(req).userId, name: req.body.name }),
);
const list = endpoint({ query: z.strictObject({}) }, async (req) => ok({ anonymous: req.identity === undefined }));
const broken = endpoint({}, async () => {
  throw new Error('connect ECONNREFUSED db.internal:5432 SELECT secret FROM users');
});

// What API Gateway passes from the authorizer's context (values arrive as strings).
const authorizer = { userId: '7', role: 'owner-event', email: 'o@tix.test', jti: 'jti-7', exp: String(Math.floor(Date.now() / 1000) + 600), principalId: '7' };
const post = (body: string | null, headers: Record<string, string> = {}) =>
  create(apiEvent(...PROTECTED, { body, headers, authorizer }), lambdaContext);
const json = (result: { body: string }) => JSON.parse(result.body);

describe('endpoint: the shared middleware stack', () => {
  it('passes the parsed body and the authorizer identity to the use case', async () => {
    const res = await post('{"name":"Rock"}');
    expect(res.statusCode).toBe(201);
    expect(json(res)).toEqual({ by: 7, name: 'Rock' });
  });

  it.each([
    ['malformed JSON', '{"name":', 400, 'MALFORMED_JSON'],
    ['empty body', null, 400, 'EMPTY_BODY'],
    ['unknown field', '{"name":"a","id_owner":1,"x":1}', 400, 'UNKNOWN_FIELD'],
    ['wrong type', '{"name":5}', 400, 'INVALID_TYPE'],
    ['missing field', '{}', 422, 'VALIDATION_FAILED'],
    ['negative number', '{"name":"a","seats":-1}', 422, 'VALIDATION_FAILED'],
    ['10 000-character string', JSON.stringify({ name: 'x'.repeat(10_000) }), 422, 'VALIDATION_FAILED'],
    ['body over 1 MB', JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }), 413, 'PAYLOAD_TOO_LARGE'],
  ])('%s → %i {"error","code"} with CORS and correlation headers', async (_, body, status, code) => {
    const res = await post(body as string | null, { Origin: 'http://localhost:5173' });
    expect(res.statusCode).toBe(status);
    expect(json(res)).toMatchObject({ code, error: expect.any(String) });
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe('http://localhost:5173');
    expect(res.headers?.['X-Correlation-Id']).toMatch(/.+/);
    expect(res.headers?.['Content-Type']).toMatch(/application\/json/);
  });

  it('an unexpected fault → 500 with nothing internal in the body', async () => {
    const res = await broken(apiEvent(...PUBLIC), lambdaContext);
    expect(res.statusCode).toBe(500);
    expect(json(res)).toEqual({ error: 'Internal server error', code: 'INTERNAL' });
    expect(res.body).not.toMatch(/ECONNREFUSED|db\.internal|SELECT/);
    expect(res.headers?.['Access-Control-Allow-Origin']).toBeDefined();
  });

  it('echoes a sane correlation id and replaces a hostile one', async () => {
    const given = await post('{"name":"a"}', { 'X-Correlation-Id': 'abc-123' });
    expect(given.headers?.['X-Correlation-Id']).toBe('abc-123');
    const hostile = await post('{"name":"a"}', { 'x-correlation-id': '<script>alert(1)</script>' });
    expect(hostile.headers?.['X-Correlation-Id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('CORS echoes configured origins only', async () => {
    const res = await post('{"name":"a"}', { origin: 'https://evil.example' });
    expect(res.headers?.['Access-Control-Allow-Origin']).toBe('http://localhost:3000');
    expect(res.headers?.Vary).toBe('Origin');
  });

  it('security headers on every response', async () => {
    const res = await post('{', {});
    expect(res.headers?.['X-Content-Type-Options']).toBe('nosniff');
    expect(res.headers?.['Cache-Control']).toBe('no-store');
  });

  describe('without an authorizer (AUTH_FALLBACK=on) the handler decides itself', () => {
    const bare = (headers: Record<string, string>) => create(apiEvent(...PROTECTED, { body: '{"name":"a"}', headers }), lambdaContext);

    it('no token → 401 Authorization header required', async () => {
      const res = await bare({});
      expect(res.statusCode).toBe(401);
      expect(json(res)).toEqual({ error: 'Authorization header required', code: 'AUTH_REQUIRED' });
    });

    it('garbage or forged token → 401 invalid or expired token', async () => {
      const { token } = await tokenFor('owner-event');
      const [h, p] = token.split('.');
      for (const bad of ['garbage', `${h}.${p}.AAAA`, `${h}.${p}.`]) {
        const res = await bare({ Authorization: `Bearer ${bad}` });
        expect(res.statusCode).toBe(401);
        expect(json(res).code).toBe('INVALID_TOKEN');
      }
    });

    it('a valid token of the wrong role → 403', async () => {
      const { token } = await tokenFor('client');
      const res = await bare({ Authorization: `Bearer ${token}` });
      expect(res.statusCode).toBe(403);
      expect(json(res).code).toBe('FORBIDDEN');
    });

    it('a valid token of an allowed role → the use case runs as that user', async () => {
      const { token, userId } = await tokenFor('admin');
      const res = await bare({ authorization: `bearer ${token}` });
      expect(res.statusCode).toBe(201);
      expect(json(res).by).toBe(userId);
    });

    it('public routes need no token', async () => {
      const res = await list(apiEvent(...PUBLIC), lambdaContext);
      expect(res.statusCode).toBe(200);
      expect(json(res)).toEqual({ anonymous: true });
    });
  });

  it('re-checks a (possibly cached) authorizer decision: an expired or revoked token is refused', async () => {
    const expired = await create(apiEvent(...PROTECTED, { body: '{"name":"a"}', authorizer: { ...authorizer, exp: '1000' } }), lambdaContext);
    expect([expired.statusCode, json(expired).code]).toEqual([401, 'INVALID_TOKEN']);
    const jti = `revoked-${Date.now()}`;
    await blacklist().revoke(jti, Math.floor(Date.now() / 1000) + 600);
    const revoked = await create(apiEvent(...PROTECTED, { body: '{"name":"a"}', authorizer: { ...authorizer, jti } }), lambdaContext);
    expect([revoked.statusCode, json(revoked)]).toEqual([401, { error: 'invalid or expired token', code: 'INVALID_TOKEN' }]);
  });

  it('trusts the revocation check of a decision made for this very request; re-checks one made before it (cached)', async () => {
    const jti = `revoked-later-${Date.now()}`;
    await blacklist().revoke(jti, Math.floor(Date.now() / 1000) + 600);
    const arrivedAt = Date.now();
    const decided = (checkedAt: number) =>
      create(apiEvent(...PROTECTED, { body: '{"name":"a"}', requestTimeEpoch: arrivedAt, authorizer: { ...authorizer, jti, checkedAt: String(checkedAt) } }), lambdaContext);
    expect((await decided(arrivedAt + 2)).statusCode).toBe(201); // the authorizer found it valid after the request arrived
    expect((await decided(arrivedAt - 1)).statusCode).toBe(401); // an older decision: the revocation since then counts
    const unstamped = await create(apiEvent(...PROTECTED, { body: '{"name":"a"}', authorizer: { ...authorizer, jti } }), lambdaContext);
    expect(unstamped.statusCode).toBe(401);
  });

  it('an authorizer context that is not a real identity is refused', async () => {
    const res = await create(apiEvent(...PROTECTED, { body: '{"name":"a"}', authorizer: { userId: 'x', role: 'root', email: 1 } }), lambdaContext);
    expect(res.statusCode).toBe(401);
  });
});
