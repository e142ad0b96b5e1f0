import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../shared/audit/pg-audit.ts';
import { pgEventsStore } from '../../shared/events/infrastructure/pg-store.ts';
import { mongoDb } from '../../shared/kernel/mongo.ts';
import { pgPool } from '../../shared/kernel/postgres.ts';
import pg from 'pg';
import { call, startApi, stopApi } from '../support/api.ts';
import { tokenFor } from '../support/tokens.ts';
import { newClientIp, postFrom } from '../idm/helpers.ts';
import { buy, client, createEvent, owner, register, UM } from '../users/support.ts';

// The runtime's start applies the schema: the services' roles (the pools below log in as them) exist.
beforeAll(startApi);
afterAll(stopApi);

/** A service database on the direct connection as the server's superuser (the migrations' role). */
const onServer = (db: 'idm' | 'events') =>
  Object.assign(new URL(process.env.TEST_POSTGRES_SERVER_URL!), { pathname: new URL(process.env[`${db.toUpperCase()}_DATABASE_URL`]!).pathname }).toString();

const audit = async (query: string) => call('GET', `/api/audit?${query}`, { token: (await tokenFor('admin')).token });

describe('the audit store', () => {
  it('a rolled-back change leaves no record', async () => {
    const name = `rolled-back-${randomUUID()}`;
    let id = 0;
    await expect(
      pgEventsStore().transaction(async (tx) => {
        id = (await tx.insertEvent({ ownerId: 1, name, location: null, description: null, seats: 5 })).id;
        throw new Error('the use case changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(id).toBeGreaterThan(0);
    const { rows } = await (await pgPool('events')).query(`SELECT count(*)::int AS n FROM audit_log WHERE resource_type = 'event' AND resource_id = $1`, [String(id)]);
    expect(rows[0].n).toBe(0);
    // The same write committed does leave one (the test above would pass vacuously otherwise).
    const kept = await pgEventsStore().transaction((tx) => tx.insertEvent({ ownerId: 1, name: `${name}-kept`, location: null, description: null, seats: 5 }));
    const after = await (await pgPool('events')).query(`SELECT count(*)::int AS n FROM audit_log WHERE resource_type = 'event' AND resource_id = $1`, [String(kept.id)]);
    expect(after.rows[0].n).toBe(1);
  });

  it.each(['idm', 'events'] as const)('in the %s database records cannot be updated, deleted or truncated', async (db) => {
    // The service's own role appends and reads, and has no right to change a record.
    const pool = await pgPool(db);
    await appendAudit(pool, { action: 'test.appended', resourceType: 'test', resourceId: randomUUID() });
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM audit_log');
    expect(rows[0].n).toBeGreaterThan(0);
    await expect(pool.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow('permission denied');
    await expect(pool.query('DELETE FROM audit_log')).rejects.toThrow('permission denied');
    await expect(pool.query('TRUNCATE audit_log')).rejects.toThrow('permission denied');
    // Even the owner of the table (the migrations' role) is refused by the append-only triggers.
    const owner = new pg.Client({ connectionString: onServer(db) });
    await owner.connect();
    try {
      await expect(owner.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow('append-only');
      await expect(owner.query('DELETE FROM audit_log')).rejects.toThrow('append-only');
      await expect(owner.query('TRUNCATE audit_log')).rejects.toThrow('append-only');
    } finally {
      await owner.end();
    }
    const again = await pool.query('SELECT count(*)::int AS n FROM audit_log');
    expect(again.rows[0].n).toBeGreaterThanOrEqual(rows[0].n);
  });

  it.each(['idm', 'events'] as const)("in the %s database the audit reader's role reads audit_log and nothing else", async (db) => {
    const reader = await pgPool(db, 'audit');
    const { rows } = await reader.query('SELECT current_user AS name, (SELECT count(*)::int FROM audit_log) AS n');
    expect(rows[0]).toEqual({ name: process.env.AUDIT_DB_USER, n: expect.any(Number) });
    await expect(reader.query(`INSERT INTO audit_log (actor_role, action, resource_type, resource_id) VALUES ('x', 'forged', 'test', '1')`)).rejects.toThrow('permission denied');
    await expect(reader.query('DELETE FROM audit_log')).rejects.toThrow('permission denied');
    await expect(reader.query(db === 'idm' ? 'SELECT * FROM users LIMIT 1' : 'SELECT * FROM events LIMIT 1')).rejects.toThrow('permission denied');
  });

  it.each([
    ['events', 'events_audit_update', ['direct_sold', 'packet_allocated']],
    ['eventsPacket', 'packets_audit_update', ['sold']],
  ])('the update trigger of %s fires for every column but its seat counters (UPDATE OF lists them all)', async (table, trigger, counters) => {
    const pool = await pgPool('events');
    const columns = await pool.query(`SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attname`, [`"${table}"`]);
    const fires = await pool.query(
      `SELECT a.attname FROM pg_trigger t JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr) WHERE t.tgrelid = $1::regclass AND t.tgname = $2 ORDER BY a.attname`,
      [`"${table}"`, trigger],
    );
    const recorded = columns.rows.map((r) => r.attname).filter((c) => !counters.includes(c));
    expect(fires.rows.map((r) => r.attname)).toEqual(recorded);
  });

  it('a sale moves a seat counter and writes the ticket\'s record only; a seat change writes the event\'s', async () => {
    const ownerToken = (await tokenFor('owner-event')).token;
    const event = (await call('POST', '/api/event-manager/events', { token: ownerToken, body: { name: `counted-${randomUUID()}`, seats: 5 } })).body.event;
    const service = (await tokenFor('serviciu_clienti')).token;
    const code = `audit-${randomUUID()}`;
    expect((await call('PUT', `/api/event-manager/tickets/${code}`, { token: service, body: { event_id: event.id } })).status).toBe(204);
    expect((await call('PATCH', `/api/event-manager/events/${event.id}`, { token: ownerToken, body: { seats: 6 } })).status).toBe(200);
    const { rows } = await (await pgPool('events')).query(
      `SELECT action, resource_id, changes FROM audit_log WHERE (resource_type = 'event' AND resource_id = $1) OR (resource_type = 'ticket' AND resource_id = $2) ORDER BY id`,
      [String(event.id), code],
    );
    expect(rows.map((r) => r.action)).toEqual(['event.created', 'ticket.sold', 'event.updated']);
    expect(rows[2].changes).toEqual({ before: { seats: 5 }, after: { seats: 6 } });
  });

  it('in the document store, no code writes to the audit collection but an insert', () => {
    const source = readFileSync(new URL('../../shared/audit/mongo-audit.ts', import.meta.url), 'utf8');
    expect(source).toContain('insertOne');
    expect(source).not.toMatch(/\.(update|replace|delete|findOneAnd|bulkWrite|drop)\w*\(/);
  });
});

describe('GET /api/audit', () => {
  it('filters by actor across the stores, newest first, and pages with _links', async () => {
    const buyer = await client({ first_name: 'A' });
    const organiser = await owner();
    const eventId = await createEvent(organiser, 5);
    const edit = (first_name: string) => call('PATCH', `${UM}/users/${buyer.id}`, { body: { first_name }, token: buyer.token });
    expect((await edit('B')).status).toBe(200);
    expect((await buy(buyer, { event_id: eventId })).status).toBe(201);
    expect((await edit('C')).status).toBe(200);

    const all = await audit(`actor=${buyer.id}`);
    expect(all.status, all.text).toBe(200);
    // The profile edits are the user manager's, the sale the event manager's (by the service account, for the buyer).
    expect(all.body.audit.map((r: { action: string }) => r.action)).toEqual(['profile.updated', 'ticket.sold', 'profile.updated']);
    expect(all.body.audit[0].changes).toEqual({ before: { first_name: 'B' }, after: { first_name: 'C' } });
    expect(all.body._metadata).toEqual({ page: 1, per_page: 10, total_items: 3, total_pages: 1 });

    const second = await audit(`actor=${buyer.id}&per_page=1&page=2`);
    expect(second.body.audit.map((r: { action: string }) => r.action)).toEqual(['ticket.sold']);
    expect(second.body._metadata).toEqual({ page: 2, per_page: 1, total_items: 3, total_pages: 3 });
    const links = second.body._links;
    expect(Object.keys(links).sort()).toEqual(['first', 'last', 'next', 'prev', 'self']);
    const next = new URL(links.next.href);
    expect(next.pathname).toBe('/api/audit');
    expect(Object.fromEntries(next.searchParams)).toEqual({ actor: String(buyer.id), page: '3', per_page: '1' });
    const third = await call('GET', `${next.pathname}${next.search}`, { token: (await tokenFor('admin')).token });
    expect(third.body.audit.map((r: { action: string }) => r.action)).toEqual(['profile.updated']);
    expect(third.body._links.next).toBeUndefined();

    const sales = await audit(`actor=${buyer.id}&action=ticket.sold`);
    expect(sales.body.audit).toHaveLength(1);
    const ofEvent = await audit(`resource_type=event&resource_id=${eventId}`);
    expect(ofEvent.body.audit.map((r: { action: string; actor_id: number }) => [r.action, r.actor_id])).toEqual([['event.created', organiser.id]]);
  });

  it('filters by time range', async () => {
    const organiser = await owner();
    const before = new Date(Date.now() - 1000).toISOString();
    await createEvent(organiser, 1);
    const inRange = await audit(`actor=${organiser.id}&from=${before}&to=${new Date(Date.now() + 1000).toISOString()}`);
    expect(inRange.body.audit).toHaveLength(1);
    const later = await audit(`actor=${organiser.id}&from=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(later.body.audit).toEqual([]);
    const earlier = await audit(`actor=${organiser.id}&to=${before}`);
    expect(earlier.body.audit).toEqual([]);
  });

  it('refuses bad filters with 4xx', async () => {
    expect((await audit('actor=abc')).status).toBe(400);
    expect((await audit('from=yesterday')).status).toBe(422);
    expect((await audit('per_page=1000')).status).toBe(422);
    expect((await audit('unknown=1')).status).toBe(400);
  });

  it('refuses every caller but an admin', async () => {
    expect((await call('GET', '/api/audit')).status).toBe(401);
    for (const role of ['client', 'owner-event', 'serviciu_clienti'] as const) {
      expect((await call('GET', '/api/audit', { token: (await tokenFor(role)).token })).status).toBe(403);
    }
  });
});

describe('no secret in any record', () => {
  it('after the user stories (register, log in, buy, cancel, edit, log out), no record holds a password, hash or token', async () => {
    const password = `pw-${randomUUID()}`;
    const email = `secret-${randomUUID()}@tix-test.com`;
    expect((await call('POST', '/api/idm/auth/register', { body: { email, password, role: 'client' } })).status).toBe(201);
    const login = await call('POST', '/api/idm/auth/login', { body: { email, password } });
    const token: string = login.body.token;
    const me = { id: Number(login.body.user_id), email, token };
    const organiser = await register('owner');
    const eventId = await createEvent(organiser, 3);
    const bought = await buy(me, { event_id: eventId });
    expect(bought.status).toBe(201);
    await call('PATCH', `${UM}/users/${me.id}`, { body: { first_name: 'Ana' }, token });
    await call('DELETE', `${UM}/clients/${me.id}/tickets/${bought.body.ticket_code}`, { token });
    const ip = newClientIp(); // failures count per address too, in the Redis every run shares
    for (let i = 0; i < 5; i++) await postFrom(ip, '/api/idm/auth/login', { email, password: 'wrong-password' });
    await call('POST', '/api/idm/auth/logout', { token });

    // Every record of every store, this file's and the other files' that ran before.
    const texts: string[] = [];
    for (const db of ['idm', 'events'] as const) {
      const { rows } = await (await pgPool(db)).query('SELECT row_to_json(a)::text AS text FROM audit_log a');
      texts.push(...rows.map((r) => r.text as string));
    }
    texts.push(...(await (await mongoDb()).collection('audit').find().toArray()).map((d) => JSON.stringify(d)));
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.some((t) => t.includes(email))).toBe(true); // the stories were recorded
    const secrets = [password, token, process.env.JWT_SECRET!, process.env.SERVICE_ACCOUNT_PASSWORD!, process.env.ADMIN_PASSWORD!];
    for (const text of texts) {
      for (const secret of secrets) expect(text.includes(secret), text).toBe(false);
      expect(text, 'a bcrypt hash').not.toMatch(/\$2[aby]\$\d\d\$/);
      expect(text, 'a JWT').not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
      expect(text, 'a secret field').not.toMatch(/"(parola|password\w*|passwordHash|token|jwt\w*)"\s*:/i);
    }
  });
});
