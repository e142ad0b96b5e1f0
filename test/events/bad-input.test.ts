import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type Route } from '../../shared/routes.ts';
import { type ApiResponse, call, stopApi } from '../support/api.ts';
import { bind, type Caller, closeDb, createEvent, createPacket, db, EM, expectStatus, owner, put, service, unique } from './support.ts';

/**
 * Hostile input on every event-manager route: malformed JSON, unknown fields, wrong types,
 * negative / zero / huge numbers, 10 000-character and NUL-carrying strings, SQL-looking ids and
 * codes. Every answer is a 4xx with an error body, never a 5xx, and nothing is written.
 */

afterAll(async () => {
  await stopApi();
  await closeDb();
});

const LONG = 'x'.repeat(10_000);
const SQLISH = "1'; DROP TABLE events; --";
const EVENT_ROUTES = ROUTES.filter((r) => r.service === 'events' && !/\/(health|ready)$/.test(r.path));

let o: Caller;
let s: Caller;
let fixture: { eventId: number; packetId: number; code: string };

/** Everything the requests could have touched. */
async function snapshot() {
  const { eventId, packetId } = fixture;
  const q = async (sql: string, values: unknown[]) => (await db().query(sql, values)).rows;
  return {
    event: await q('SELECT * FROM events WHERE id = $1', [eventId]),
    packet: await q('SELECT * FROM "eventsPacket" WHERE id = $1', [packetId]),
    inclusions: await q('SELECT * FROM events_packet_inclusion WHERE event_id = $1 OR packet_id = $2 ORDER BY 1, 2', [eventId, packetId]),
    tickets: await q('SELECT * FROM tickets WHERE event_id = $1 OR packet_id = $2 ORDER BY code', [eventId, packetId]),
    ownedEvents: await q('SELECT count(*)::int AS n FROM events WHERE id_owner = $1', [o.userId]),
    ownedPackets: await q('SELECT count(*)::int AS n FROM "eventsPacket" WHERE id_owner = $1', [o.userId]),
    hostileRows: await q(
      `SELECT (SELECT count(*) FROM events WHERE length(name) > 255 OR name LIKE '%DROP TABLE%')
            + (SELECT count(*) FROM "eventsPacket" WHERE length(name) > 255 OR name LIKE '%DROP TABLE%')
            + (SELECT count(*) FROM tickets WHERE code LIKE '%DROP%' OR length(code) > 128) AS n`,
      [],
    ),
  };
}

beforeAll(async () => {
  o = await owner();
  s = await service();
  const e = await createEvent(o, { seats: 5 });
  const p = await createPacket(o, { allocated_seats: 2 });
  await bind(o, e.id, p.id);
  const code = unique('fixture');
  expectStatus(await put(s, code, { event_id: e.id }), 204);
  fixture = { eventId: e.id, packetId: p.id, code };
});

/** The route's path with the fixture's ids, or with `bad` in place of one parameter. */
function pathOf(route: Route, override?: { param: string; value: string }): string {
  const value = (param: string) => {
    if (override?.param === param) return override.value;
    if (param === 'code') return fixture.code;
    if (param === 'event_id') return String(fixture.eventId);
    if (param === 'packet_id') return String(fixture.packetId);
    return String(route.path.includes('/event-packets/') ? fixture.packetId : fixture.eventId);
  };
  return route.path.replace(/\{(\w+)\}/g, (_, param: string) => value(param));
}

const tokenFor = (route: Route) => (route.path.includes('/tickets') ? s.token : o.token);

/** The fields each body accepts (everything else is unknown), by handler. */
const BODY_FIELDS: Record<string, { numbers: string[]; texts: string[] }> = {
  'events/create-event': { numbers: ['id_owner', 'seats'], texts: ['name', 'location', 'description'] },
  'events/update-event': { numbers: ['id_owner', 'seats'], texts: ['name', 'location', 'description'] },
  'events/create-packet': { numbers: ['id_owner', 'allocated_seats'], texts: ['name', 'location', 'description'] },
  'events/update-packet': { numbers: ['id_owner', 'allocated_seats'], texts: ['name', 'location', 'description'] },
  'events/create-inclusion': { numbers: [], texts: [] },
  'events/update-inclusion': { numbers: [], texts: [] },
  'events/create-ticket': { numbers: ['event_id', 'packet_id'], texts: [] },
  'events/put-ticket': { numbers: ['event_id', 'packet_id'], texts: [] },
  'events/update-ticket': { numbers: ['event_id', 'packet_id'], texts: [] },
};

const RAW_BODIES = ['', '   ', '{', '{"name":', '[]', '"text"', '123', 'true', '{}}', '{"a":1}{"b":2}', 'name=x', '\u0000', '[' .repeat(5000) + ']'.repeat(5000), `{"x":"${LONG}"}`];
const BAD_NUMBERS: unknown[] = ['5', true, [], {}, 1.5, -1, 0, 1e308, 2 ** 53 + 2, -(2 ** 53), 2_147_483_648, SQLISH, LONG, 'NaN'];
const BAD_TEXTS: unknown[] = [LONG, 'a\u0000b', 42, true, [], {}, { $gt: '' }];
const BAD_IDS = ['abc', '0', '-1', '1.5', '1e3', '99999999999999999999', '9007199254740993', encodeURIComponent(SQLISH), encodeURIComponent("1' OR '1'='1"), LONG, '%00', 'null'];
const BAD_CODES = ['x'.repeat(129), LONG, encodeURIComponent("a'b"), '%00', 'a%20b', encodeURIComponent("'; DROP TABLE tickets; --"), encodeURIComponent('ü')];
const BAD_QUERIES = [
  'page=-1', 'page=0', 'per_page=0', 'per_page=101', 'per_page=1000000', 'page=1e3', 'page=abc', 'per_page=', 'min_seats=1e400',
  `max_seats=${SQLISH}`, `order_by=${encodeURIComponent('name_asc; DROP TABLE events')}`, 'owner_id=-1', 'owner_id=0', 'unknown=1',
  `name=${LONG}`, 'name=%00', 'id=1', 'event_id=1', `location=${'y'.repeat(501)}`,
];

interface Case {
  what: string;
  run: () => Promise<ApiResponse>;
}

function cases(): Case[] {
  const all: Case[] = [];
  for (const route of EVENT_ROUTES) {
    const token = tokenFor(route);
    const label = `${route.method} ${route.path}`;
    const send = (path: string, options: { raw?: string; body?: unknown } = {}) => () =>
      call(route.method, path, { token, ...options, headers: { 'Content-Type': 'application/json' } });
    const fields = BODY_FIELDS[route.handler];
    if (fields) {
      for (const raw of RAW_BODIES) all.push({ what: `${label} raw ${JSON.stringify(raw.slice(0, 20))}`, run: send(pathOf(route), { raw }) });
      all.push({ what: `${label} 2 MB`, run: send(pathOf(route), { raw: JSON.stringify({ name: 'y'.repeat(2_000_000) }) }) });
      for (const unknown of [{ zzz: 1 }, { NAME: 'x' }, JSON.parse('{"__proto__":{"seats":1}}'), { constructor: 1 }]) {
        all.push({ what: `${label} unknown ${JSON.stringify(unknown)}`, run: send(pathOf(route), { raw: JSON.stringify(unknown) }) });
      }
      for (const field of fields.numbers) {
        for (const value of BAD_NUMBERS) {
          all.push({ what: `${label} ${field}=${String(value).slice(0, 20)}`, run: send(pathOf(route), { body: { [field]: value } }) });
        }
      }
      for (const field of fields.texts) {
        for (const value of BAD_TEXTS) {
          all.push({ what: `${label} ${field}=${JSON.stringify(value).slice(0, 20)}`, run: send(pathOf(route), { body: { name: unique('bad'), [field]: value } }) });
        }
      }
    }
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    for (const param of params) {
      for (const value of param === 'code' ? BAD_CODES : BAD_IDS) {
        const body = fields ? { raw: '{}' } : {};
        all.push({ what: `${label} ${param}=${value.slice(0, 20)}`, run: send(pathOf(route, { param, value }), body) });
      }
    }
    if (route.handler === 'events/list-events' || route.handler === 'events/list-packets') {
      for (const query of BAD_QUERIES) all.push({ what: `${label} ?${query.slice(0, 30)}`, run: send(`${route.path}?${query}`) });
    }
  }
  return all;
}

describe('bad input on every event-manager route', () => {
  it('covers every route of the event manager', () => {
    const covered = new Set(cases().map((c) => c.what.split(' ').slice(0, 2).join(' ')));
    expect([...covered].sort()).toEqual(EVENT_ROUTES.filter((r) => r.path.includes('{') || BODY_FIELDS[r.handler] || r.handler.startsWith('events/list-')).map((r) => `${r.method} ${r.path}`).sort());
    expect(cases().length).toBeGreaterThan(500);
  });

  it('is answered with 4xx {"error","code"}, never 5xx, and writes nothing', async () => {
    const before = await snapshot();
    const all = cases();
    const failures: string[] = [];
    for (let i = 0; i < all.length; i += 25) {
      await Promise.all(
        all.slice(i, i + 25).map(async (c) => {
          const res = await c.run();
          const shaped = typeof res.body?.error === 'string' && typeof res.body?.code === 'string';
          if (res.status < 400 || res.status >= 500 || !shaped) failures.push(`${c.what} → ${res.status} ${res.text.slice(0, 120)}`);
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('SQL-looking text is data', () => {
  it('is stored and found verbatim, and the tables are still there', async () => {
    const name = `${SQLISH} ${unique()} 100%_\\ ü`;
    const e = await createEvent(o, { name, description: "') OR 1=1; --", location: '%' });
    expect(e.name).toBe(name);
    const found = expectStatus(await call('GET', `${EM}/events?name=${encodeURIComponent(name)}`), 200);
    expect(found.body.events.map((x: { id: number }) => x.id)).toEqual([e.id]);
    expect((await call('GET', `${EM}/events/${e.id}`)).body.event).toMatchObject({ name, description: "') OR 1=1; --", location: '%' });
    expect((await db().query("SELECT to_regclass('events') IS NOT NULL AS ok")).rows[0].ok).toBe(true);
  });
});
