import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../shared/routes.ts';
import { call, stopApi } from '../support/api.ts';
import { newUserId, signWithForeignKey, signWithRunKey, tokenFor } from '../support/tokens.ts';

/**
 * docs/ACCESS-MATRIX.md, executed: every route × every kind of caller, as real HTTP requests to
 * the local runtime (authorizer, handler, stores). The table is the documentation; this file only
 * knows how to build each row's request.
 */
afterAll(stopApi);

const COLUMNS = ['anonymous', 'client', 'owner', 'other owner', 'admin', 'service', 'expired', 'revoked', 'tampered', 'alg none', 'other key', 'unknown role'] as const;
type Column = (typeof COLUMNS)[number];

function readMatrix(): Map<string, Record<Column, number>> {
  const text = readFileSync(new URL('../../docs/ACCESS-MATRIX.md', import.meta.url), 'utf8');
  const rows = text.split('\n').filter((line) => /^\| (GET|POST|PUT|PATCH|DELETE) /.test(line));
  return new Map(
    rows.map((line) => {
      const [route, ...cells] = line.split('|').slice(1, -1).map((c) => c.trim());
      return [route!, Object.fromEntries(COLUMNS.map((c, i) => [c, Number(cells[i])])) as Record<Column, number>];
    }),
  );
}

// ── who is calling ──────────────────────────────────────────────────────────────────────────

interface Cast {
  client: { token: string; userId: number; email: string };
  owner: { token: string; userId: number };
  otherOwner: { token: string };
  admin: { token: string };
  service: { token: string };
}

async function newCast(): Promise<Cast> {
  return {
    client: await tokenFor('client'),
    owner: await tokenFor('owner-event'),
    otherOwner: await tokenFor('owner-event'),
    admin: await tokenFor('admin'),
    service: await tokenFor('serviciu_clienti'),
  };
}

const claims = (userId: number, role: string) => ({ email: `u${userId}@tix.test`, role, sub: String(userId), jti: randomUUID(), iss: 'tix-idm' });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An owner's token, broken in one of six ways (or made for a role that does not exist). */
async function badToken(kind: Column, owner: Cast['owner']): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  switch (kind) {
    case 'expired':
      return signWithRunKey({ ...claims(owner.userId, 'owner-event'), iat: now - 7200, exp: now - 3600 });
    case 'revoked': {
      const { token } = await tokenFor('owner-event', owner.userId);
      expect((await call('POST', '/api/idm/auth/logout', { token })).status).toBe(200);
      return token;
    }
    case 'tampered': {
      const [header, payload, signature] = owner.token.split('.');
      return `${header}.${b64({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' })}.${signature}`;
    }
    case 'alg none':
      return `${b64({ alg: 'none', typ: 'JWT' })}.${owner.token.split('.')[1]}.`;
    case 'other key':
      // A key outside the JWKS that claims the kid of a trusted one.
      return signWithForeignKey({ ...claims(owner.userId, 'owner-event'), iat: now, exp: now + 3600 });
    case 'unknown role':
      return signWithRunKey({ ...claims(owner.userId, 'superuser'), iat: now, exp: now + 3600 });
    default:
      throw new Error(kind);
  }
}

async function tokenOf(column: Column, cast: Cast): Promise<string | undefined> {
  switch (column) {
    case 'anonymous':
      return undefined;
    case 'client':
      return cast.client.token;
    case 'owner':
      return cast.owner.token;
    case 'other owner':
      return cast.otherOwner.token;
    case 'admin':
      return cast.admin.token;
    case 'service':
      return cast.service.token;
    default:
      return badToken(column, cast.owner);
  }
}

// ── what each row needs to exist ─────────────────────────────────────────────────────────────

const EM = '/api/event-manager';
const UM = '/api/user-manager';
const unique = () => `m-${randomUUID()}`;

async function ok<T = any>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await call(method, path, { token, body });
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  return res.body as T;
}

const fixtures = (cast: Cast) => {
  const { owner, client, service } = cast;
  return {
    event: async (seats = 10) => (await ok('POST', `${EM}/events`, owner.token, { name: unique(), seats })).event.id as number,
    packet: async (allocated = 2) => (await ok('POST', `${EM}/event-packets`, owner.token, { name: unique(), allocated_seats: allocated })).event_packet.id as number,
    bound: async () => {
      const [e, p] = [await fixtures(cast).event(), await fixtures(cast).packet()];
      await ok('POST', `${EM}/event-packet-inclusions/event/${e}/packet/${p}`, owner.token, {});
      return [e, p] as const;
    },
    ticket: async () => {
      const code = unique();
      await call('PUT', `${EM}/tickets/${code}`, { token: service.token, body: { event_id: await fixtures(cast).event() } });
      return code;
    },
    profile: async () => {
      await ok('POST', `${UM}/users`, service.token, { id: client.userId, email: client.email, first_name: '', last_name: '' });
      return client.userId;
    },
    purchase: async () => {
      await fixtures(cast).profile();
      const event = await fixtures(cast).event();
      return (await ok('POST', `${UM}/clients/${client.userId}/tickets`, client.token, { event_id: event })).ticket_code as string;
    },
  };
};

interface Request {
  path: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** How to make each row's request, with what it acts on created first. */
const ROWS: Record<string, (cast: Cast) => Promise<Request>> = {
  'POST /api/idm/auth/register': async () => ({ path: '/api/idm/auth/register', body: { email: `${unique()}@example.com`, password: 'secret123', role: 'client' } }),
  'POST /api/idm/auth/login': async () => {
    const email = `${unique()}@example.com`;
    await call('POST', '/api/idm/auth/register', { body: { email, password: 'secret123', role: 'client' } });
    return { path: '/api/idm/auth/login', body: { email, password: 'secret123' } };
  },
  'GET /api/idm/.well-known/jwks.json': async () => ({ path: '/api/idm/.well-known/jwks.json' }),
  'POST /api/idm/auth/verify': async (c) => ({ path: '/api/idm/auth/verify', body: { token: c.client.token } }),
  'POST /api/idm/auth/revoke': async () => ({ path: '/api/idm/auth/revoke', body: { token: (await tokenFor('client')).token } }),
  'POST /api/idm/auth/logout': async () => ({ path: '/api/idm/auth/logout', body: { token: (await tokenFor('client')).token } }),
  'DELETE /api/idm/users/{id}': async () => {
    const registered = await call('POST', '/api/idm/auth/register', { body: { email: `${unique()}@example.com`, password: 'secret123', role: 'client' } });
    expect(registered.status, registered.text).toBe(201);
    return { path: `/api/idm/users/${registered.body.user_id}` };
  },
  'GET /api/idm/health': async () => ({ path: '/api/idm/health' }),
  'GET /api/idm/ready': async () => ({ path: '/api/idm/ready' }),
  'GET /health': async () => ({ path: '/health' }),
  'POST /idm.IdentityService/{method}': async (c) => ({
    path: '/idm.IdentityService/VerifyToken',
    raw: JSON.stringify({ token: c.client.token }),
    headers: { 'Content-Type': 'application/json', 'Connect-Protocol-Version': '1' },
  }),
  'GET /idm.IdentityService/{method}': async (c) => ({
    path: `/idm.IdentityService/VerifyToken?connect=v1&encoding=json&message=${encodeURIComponent(JSON.stringify({ token: c.client.token }))}`,
  }),
  'POST /api/event-manager/events': async () => ({ path: `${EM}/events`, body: { name: unique(), seats: 5 } }),
  'GET /api/event-manager/events': async () => ({ path: `${EM}/events` }),
  'GET /api/event-manager/events/{id}': async (c) => ({ path: `${EM}/events/${await fixtures(c).event()}` }),
  'PATCH /api/event-manager/events/{id}': async (c) => ({ path: `${EM}/events/${await fixtures(c).event()}`, body: { description: 'changed' } }),
  'DELETE /api/event-manager/events/{id}': async (c) => ({ path: `${EM}/events/${await fixtures(c).event()}` }),
  'POST /api/event-manager/event-packets': async () => ({ path: `${EM}/event-packets`, body: { name: unique(), allocated_seats: 2 } }),
  'GET /api/event-manager/event-packets': async () => ({ path: `${EM}/event-packets` }),
  'GET /api/event-manager/event-packets/{id}': async (c) => ({ path: `${EM}/event-packets/${await fixtures(c).packet()}` }),
  'PATCH /api/event-manager/event-packets/{id}': async (c) => ({ path: `${EM}/event-packets/${await fixtures(c).packet()}`, body: { description: 'changed' } }),
  'DELETE /api/event-manager/event-packets/{id}': async (c) => ({ path: `${EM}/event-packets/${await fixtures(c).packet()}` }),
  'POST /api/event-manager/event-packet-inclusions/event/{event_id}/packet/{packet_id}': async (c) => {
    const f = fixtures(c);
    return { path: `${EM}/event-packet-inclusions/event/${await f.event()}/packet/${await f.packet()}`, body: {} };
  },
  'PATCH /api/event-manager/event-packet-inclusions/event/{event_id}/packet/{packet_id}': async (c) => {
    const [e, p] = await fixtures(c).bound();
    return { path: `${EM}/event-packet-inclusions/event/${e}/packet/${p}`, body: {} };
  },
  'DELETE /api/event-manager/event-packet-inclusions/event/{event_id}/packet/{packet_id}': async (c) => {
    const [e, p] = await fixtures(c).bound();
    return { path: `${EM}/event-packet-inclusions/event/${e}/packet/${p}` };
  },
  'GET /api/event-manager/event-packet-inclusions/event/{event_id}': async (c) => ({ path: `${EM}/event-packet-inclusions/event/${(await fixtures(c).bound())[0]}` }),
  'GET /api/event-manager/event-packet-inclusions/packet/{packet_id}': async (c) => ({ path: `${EM}/event-packet-inclusions/packet/${(await fixtures(c).bound())[1]}` }),
  'POST /api/event-manager/tickets': async (c) => ({ path: `${EM}/tickets`, body: { event_id: await fixtures(c).event() } }),
  'PUT /api/event-manager/tickets/{code}': async (c) => ({ path: `${EM}/tickets/${unique()}`, body: { event_id: await fixtures(c).event() } }),
  'GET /api/event-manager/tickets/{code}': async (c) => ({ path: `${EM}/tickets/${await fixtures(c).ticket()}` }),
  'PATCH /api/event-manager/tickets/{code}': async (c) => ({ path: `${EM}/tickets/${await fixtures(c).ticket()}`, body: { event_id: await fixtures(c).event() } }),
  'DELETE /api/event-manager/tickets/{code}': async (c) => ({ path: `${EM}/tickets/${await fixtures(c).ticket()}` }),
  'GET /api/event-manager/health': async () => ({ path: `${EM}/health` }),
  'GET /api/event-manager/ready': async () => ({ path: `${EM}/ready` }),
  'POST /api/user-manager/users': async () => {
    const id = newUserId();
    return { path: `${UM}/users`, body: { id, email: `u${id}-${unique()}@example.com`, first_name: '', last_name: '' } };
  },
  'GET /api/user-manager/users/{id}': async (c) => ({ path: `${UM}/users/${await fixtures(c).profile()}` }),
  'PATCH /api/user-manager/users/{id}': async (c) => ({ path: `${UM}/users/${await fixtures(c).profile()}`, body: { first_name: 'Ana' } }),
  'DELETE /api/user-manager/users/{id}': async (c) => ({ path: `${UM}/users/${await fixtures(c).profile()}` }),
  'GET /api/user-manager/events/{event_id}/customers': async (c) => ({ path: `${UM}/events/${await fixtures(c).event()}/customers` }),
  'GET /api/user-manager/packets/{packet_id}/customers': async (c) => ({ path: `${UM}/packets/${await fixtures(c).packet()}/customers` }),
  'POST /api/user-manager/clients/{user_id}/tickets': async (c) => {
    const f = fixtures(c);
    const user = await f.profile();
    return { path: `${UM}/clients/${user}/tickets`, body: { event_id: await f.event() } };
  },
  'GET /api/user-manager/clients/{user_id}/tickets': async (c) => ({ path: `${UM}/clients/${await fixtures(c).profile()}/tickets` }),
  'DELETE /api/user-manager/clients/{user_id}/tickets/{code}': async (c) => ({ path: `${UM}/clients/${c.client.userId}/tickets/${await fixtures(c).purchase()}` }),
  'GET /api/user-manager/health': async () => ({ path: `${UM}/health` }),
  'GET /api/user-manager/ready': async () => ({ path: `${UM}/ready` }),
  'GET /api/audit': async () => ({ path: '/api/audit?per_page=1' }),
  'GET /api/openapi.json': async () => ({ path: '/api/openapi.json' }),
  'GET /api/docs': async () => ({ path: '/api/docs' }),
};

const matrix = readMatrix();

describe('the access matrix (docs/ACCESS-MATRIX.md)', () => {
  it('has one row per route of the route table, and this test knows how to call each', () => {
    expect([...matrix.keys()].sort()).toEqual(ROUTES.map(routeKey).sort());
    expect(Object.keys(ROWS).sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  for (const route of ROUTES) {
    const key = routeKey(route);
    it(key, { timeout: 60_000 }, async () => {
      const expected = matrix.get(key)!;
      const actual = {} as Record<Column, number>;
      const bodies: string[] = [];
      await Promise.all(
        COLUMNS.map(async (column) => {
          const cast = await newCast();
          const request = await ROWS[key]!(cast);
          const res = await call(route.method, request.path, { token: await tokenOf(column, cast), body: request.body, raw: request.raw, headers: request.headers });
          actual[column] = res.status;
          if (res.status !== expected[column]) bodies.push(`${column}: ${res.status} ${res.text.slice(0, 200)}`);
          if (res.status >= 400) expect(res.body, `${column}: error body`).toMatchObject({ error: expect.any(String), code: expect.any(String) });
        }),
      );
      expect(actual, bodies.join('\n')).toEqual(expected);
    });
  }
});
