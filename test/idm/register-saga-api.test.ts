import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgUserRepository } from '../../shared/idm/infrastructure/pg-user-repository.ts';
import { pgPool } from '../../shared/kernel/postgres.ts';
import { call, startApi, stopApi } from '../support/api.ts';
import { tokenFor } from '../support/tokens.ts';
import { freePort } from '../../infra/local/ports.ts';
import { newClientIp, newEmail, postFrom } from './helpers.ts';

/**
 * The registration saga end to end through the real register endpoint, with the User service behind
 * a switchable proxy: this file's runtime reaches the other services through INTERNAL_BASE_URL =
 * the proxy, which forwards to the local API Gateway or plays "User service down".
 */

type Mode = 'forward' | 'reset' | 'bad-gateway';
let mode: Mode = 'forward';
let proxy: Server;
const proxyPort = await freePort();
// Before the runtime starts (it keeps an INTERNAL_BASE_URL that is already set).
process.env.INTERNAL_BASE_URL = `http://127.0.0.1:${proxyPort}`;

beforeAll(async () => {
  const { port } = await startApi();
  proxy = createServer((req, res) => {
    if (mode === 'reset') return req.socket.destroy();
    if (mode === 'bad-gateway') return void res.writeHead(502, { 'Content-Type': 'application/json' }).end('{"error":"bad gateway"}');
    const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    proxy.closeAllConnections();
    proxy.close(() => resolve());
  });
  await stopApi();
});

const users = new PgUserRepository(() => pgPool('idm'));
const register = (email: string, role = 'client') => call('POST', '/api/idm/auth/register', { body: { email, password: 'secret-1', role } });

describe('registration saga over HTTP', () => {
  it.each([['reset', 'the connection is reset'], ['bad-gateway', 'it answers 5xx']] as const)(
    'User service down (%s: %s): 503, identity rolled back, and re-registration then works',
    async (down, _how) => {
      const email = newEmail('saga');
      mode = down;
      const failed = await register(email);
      expect(failed.status).toBe(503);
      expect(failed.body).toMatchObject({ code: 'PROFILE_SERVICE_UNAVAILABLE', error: expect.stringContaining('nothing was registered') });
      expect(failed.headers.get('access-control-allow-origin')).toBeTruthy();
      expect(await users.findByEmail(email)).toBeUndefined();
      expect((await postFrom(newClientIp(), '/api/idm/auth/login', { email, password: 'secret-1' })).status).toBe(401);

      mode = 'forward';
      const again = await register(email);
      expect(again.status).toBe(201);
      const login = await call('POST', '/api/idm/auth/login', { body: { email, password: 'secret-1' } });
      expect(login.status).toBe(200);
      const profile = await call('GET', `/api/user-manager/users/${again.body.user_id}`, { token: login.body.token });
      expect(profile.status).toBe(200);
      expect(profile.body.user).toMatchObject({ id: Number(again.body.user_id), email });
    },
  );

  it('the User service refuses the profile (its e-mail is taken there): its 409, identity rolled back', async () => {
    mode = 'forward';
    const email = newEmail('taken-in-us');
    const service = await tokenFor('serviciu_clienti');
    const orphan = await call('POST', '/api/user-manager/users', { token: service.token, body: { id: service.userId, email, first_name: '', last_name: '' } });
    expect(orphan.status).toBe(201);

    const res = await register(email);
    expect(res.status).toBe(409);
    expect(res.body.error).toContain('the profile could not be created');
    expect(res.body.code).toEqual(expect.any(String));
    expect(await users.findByEmail(email)).toBeUndefined();
  });

  it('concurrent registrations of one e-mail: exactly one succeeds, the others get 409 EMAIL_TAKEN', async () => {
    mode = 'forward';
    const email = newEmail('concurrent');
    const variants = [email, email.toUpperCase(), email, email.replace('concurrent', 'CONCURRENT'), email];
    const results = await Promise.all(variants.map((e) => register(e)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const loser of results.filter((r) => r.status === 409)) expect(loser.body.code).toBe('EMAIL_TAKEN');
    const winner = results.find((r) => r.status === 201)!;
    expect((await users.findByEmail(email))?.id).toBe(Number(winner.body.user_id));
  });
});
