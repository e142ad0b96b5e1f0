import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/auth/roles.ts';
import { dropDatabase, ensureDatabase } from '../../shared/kernel/migrations.ts';
import { ROUTES, type Route, routeKey } from '../../shared/routes.ts';

/**
 * Property-based hostile input against every route, over real HTTP: random and adversarial bodies,
 * query strings, path parameters and headers. Whatever arrives: never a 5xx, every error is
 * `{"error","code"}`, and a 4xx changes nothing. "Nothing" is checked on stores of its own (this
 * file's databases, profile store and idempotency table), fingerprinted before and after each request.
 */
const server = process.env.TEST_POSTGRES_SERVER_URL!;
const run = `tix_fuzz_${process.pid}_${Date.now()}`;
const env = process.env;
env.IDM_DATABASE_URL = await ensureDatabase(server, `${run}_idm`);
env.EVENTS_DATABASE_URL = await ensureDatabase(server, `${run}_events`);
env.USERS_DB_NAME = `${run}_users`;
env.IDEMPOTENCY_TABLE = `${run}_idempotency`;

const { call, startApi, stopApi } = await import('../support/api.ts');
const { tokenFor } = await import('../support/tokens.ts');

const RUNS = Number(env.FUZZ_RUNS ?? 12);
const pools = { idm: new pg.Pool({ connectionString: env.IDM_DATABASE_URL, max: 2 }), events: new pg.Pool({ connectionString: env.EVENTS_DATABASE_URL, max: 2 }) };
const mongo = new MongoClient(env.MONGODB_URL!);

beforeAll(async () => {
  await startApi();
  await mongo.connect();
});
afterAll(async () => {
  await stopApi();
  await mongo.close();
  await Promise.all(Object.values(pools).map((p) => p.end()));
  await dropDatabase(server, `${run}_idm`);
  await dropDatabase(server, `${run}_events`);
});

/** Every business fact the platform keeps (not the login throttle or idempotency caches). */
async function fingerprint(): Promise<Record<string, string>> {
  const parts: Record<string, string> = {};
  const tables = { idm: ['users'], events: ['events', '"eventsPacket"', 'events_packet_inclusion', 'tickets'] } as const;
  for (const [db, names] of Object.entries(tables) as Array<[keyof typeof pools, readonly string[]]>) {
    for (const table of names) {
      const { rows } = await pools[db].query(`SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS h FROM ${table} t`);
      parts[`${db}.${table}`] = rows[0].h;
    }
  }
  const users = mongo.db(env.USERS_DB_NAME);
  for (const { name } of await users.listCollections().toArray()) {
    const docs = await users.collection(name).find().sort({ _id: 1 }).toArray();
    // Collections appear, empty, on first touch: an empty one records no fact.
    if (docs.length > 0) parts[`mongo.${name}`] = createHash('sha256').update(JSON.stringify(docs)).digest('hex').slice(0, 16);
  }
  return parts;
}

// ── what an attacker sends ──────────────────────────────────────────────────────────────────

const nasty = fc.constantFrom(
  '', ' ', '0', '-1', '1.5', '1e3', '+7', '99999999999999999999', 'NaN', 'null', 'true', '[]', '{}',
  "1' OR '1'='1", "'; DROP TABLE events; --", '%', '_', '\\', '../../etc/passwd', '\u0000', '%00', '\u202e',
  '<script>alert(1)</script>', '${jndi:ldap://x}', '🎟️🎟️', 'x'.repeat(10_000), '__proto__', 'constructor',
);
const text = fc.oneof(nasty, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
const FIELDS = [
  'name', 'seats', 'allocated_seats', 'event_id', 'packet_id', 'id', 'id_owner', 'email', 'password', 'role', 'token',
  'first_name', 'last_name', 'social_media_links', 'first_name_private', 'last_name_private', 'location', 'description',
  '__proto__', 'constructor',
];
const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), nasty, fc.integer(), fc.constantFrom(0, -1, 2 ** 53, 1e308, 1.5));
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 5 }).map((o) => JSON.stringify(o)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  nasty,
  fc.constant('{"a":'),
  fc.constant(`{"name":"${'x'.repeat(2_000_000)}"}`),
  fc.constant(undefined),
);
const QUERY_KEYS = ['page', 'per_page', 'order_by', 'name', 'location', 'description', 'min_seats', 'max_seats', 'owner_id', 'encoding', 'message', 'connect'];
const query = fc.dictionary(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 10 })), text, { maxKeys: 4 });
const headers = fc.record(
  {
    'Content-Type': fc.constantFrom('application/json', 'text/plain', 'application/proto', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', ''),
    'X-Correlation-Id': text,
    'Idempotency-Key': text,
    Origin: fc.constantFrom('http://localhost:3000', 'https://evil.example', 'null'),
  },
  { requiredKeys: [] },
);
type Auth = { kind: 'allowed' } | { kind: 'header'; value: string };
const auth: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'allowed' as const }) },
  { weight: 1, arbitrary: fc.oneof(text, fc.string().map((s) => `Bearer ${s}`)).map((v) => ({ kind: 'header' as const, value: v })) },
);

/** A token that passes the route's role rule, so the request reaches the handler. */
async function allowedToken(route: Route): Promise<string | undefined> {
  if (route.access.kind === 'public') return (await tokenFor('client')).token;
  const role: Role = route.access.kind === 'roles' ? route.access.roles[0]! : 'admin';
  return (await tokenFor(role)).token;
}

/** Header values fetch can send (latin-1, no control characters); the rest are dropped, as a proxy would. */
const sendable = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([, v]) => /^[\x20-\x7e\x80-\xff]*$/.test(v)));

function concretePath(route: Route, params: string[]): string {
  let i = 0;
  return route.path.replace(/\{\w+\}/g, () => encodeURIComponent(params[i++] ?? 'x') || 'x');
}

describe('hostile input on every route', () => {
  for (const route of ROUTES) {
    it(`${routeKey(route)}: never a 5xx, always {"error","code"}, nothing written on a 4xx`, { timeout: 120_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(text, { minLength: 3, maxLength: 3 }), query, headers, body, auth, async (params, q, h, rawBody, who) => {
          const search = new URLSearchParams(q).toString();
          const path = `${concretePath(route, params)}${search ? `?${search}` : ''}`;
          const token = who.kind === 'allowed' ? await allowedToken(route) : undefined;
          const sent = sendable({ ...h, ...(who.kind === 'header' ? { Authorization: who.value } : {}) });
          const before = await fingerprint();
          const res = await call(route.method, path, { token, headers: sent, raw: route.method === 'GET' ? undefined : rawBody });
          const what = `${route.method} ${path.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
          expect(res.status, what).toBeLessThan(500);
          if (res.status >= 400 && !route.path.startsWith('/idm.')) {
            expect(res.body, what).toMatchObject({ error: expect.any(String), code: expect.any(String) });
          }
          if (res.status >= 400) expect(await fingerprint(), `state changed on ${what}`).toEqual(before);
        }),
        { numRuns: RUNS, seed: Number(env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
      );
    });
  }
});
