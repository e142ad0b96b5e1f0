import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgEventsStore } from '../../shared/events/infrastructure/pg-store.ts';
import { dropDatabase, dropRole, ensureDatabase, grantAuditReader, grantServiceRole, migrate } from '../../shared/kernel/migrations.ts';
import { type PgBouncer, startPgBouncer } from '../../scripts/pgbouncer.ts';

/**
 * The request path through a pooler in transaction mode (PgBouncer, the local stand-in for RDS
 * Proxy), and the services' own PostgreSQL roles. One server connection shared by two clients is
 * the harshest pooler: a statement that relies on its session (a named prepared statement, a SET,
 * an advisory lock, a temporary table) meets the other client's session next.
 */
const server = process.env.TEST_POSTGRES_SERVER_URL!;
const run = `tix_pool_${process.pid}_${randomBytes(3).toString('hex')}`;
const names = { idm: `${run}_idm`, events: `${run}_events` };
const roles = { idm: { user: `${run}_idm_app`, password: randomUUID() }, events: { user: `${run}_events_app`, password: randomUUID() } };
const reader = { user: `${run}_audit`, password: randomUUID() };
const urls = {} as Record<'idm' | 'events', string>;

const hasPgBouncer = (() => {
  try {
    execFileSync('pgbouncer', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const as = (url: string, role: { user: string; password: string }) =>
  Object.assign(new URL(url), { username: role.user, password: role.password }).toString();

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

beforeAll(async () => {
  for (const db of ['idm', 'events'] as const) {
    urls[db] = await ensureDatabase(server, names[db]);
    await migrate(db, urls[db]);
    await grantServiceRole(urls[db], roles[db]);
  }
});

afterAll(async () => {
  for (const db of ['idm', 'events'] as const) await dropDatabase(server, names[db]);
  for (const db of ['idm', 'events'] as const) await dropRole(server, roles[db].user);
  await dropRole(server, reader.user);
});

describe('a PostgreSQL role per service', () => {
  it('the events role cannot read users: it may not even connect to the IDM database', async () => {
    await expect(connect(as(urls.idm, roles.events))).rejects.toMatchObject({ code: '42501' }); // insufficient_privilege
    const idm = await connect(as(urls.idm, roles.idm));
    try {
      expect((await idm.query('SELECT count(*)::int AS n FROM users')).rows).toEqual([{ n: 0 }]);
    } finally {
      await idm.end();
    }
  });

  it('a service role reads and writes its data, and nothing of the schema or the migrations', async () => {
    const events = await connect(as(urls.events, roles.events));
    try {
      const { rows } = await events.query(`INSERT INTO events (id_owner, name, seats) VALUES (1, $1, 2) RETURNING id`, [randomUUID()]);
      expect(rows).toHaveLength(1);
      await expect(events.query('CREATE TABLE stolen (x int)')).rejects.toMatchObject({ code: '42501' });
      await expect(events.query('DROP TABLE tickets')).rejects.toMatchObject({ code: '42501' });
      await expect(events.query('SELECT * FROM pgmigrations')).rejects.toMatchObject({ code: '42501' });
      await expect(events.query('CREATE TEMP TABLE t (x int)')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await events.end();
    }
  });

  it('the audit trail: the service role appends and reads, never changes a record; the reader role only reads it', async () => {
    const events = await connect(as(urls.events, roles.events));
    try {
      // The trigger inserts as the service's own role (no SECURITY DEFINER), inside the change's statement.
      const { rows } = await events.query(`INSERT INTO events (id_owner, name, seats) VALUES (1, $1, 2) RETURNING id`, [randomUUID()]);
      const logged = await events.query(`SELECT action FROM audit_log WHERE resource_type = 'event' AND resource_id = $1`, [String(rows[0].id)]);
      expect(logged.rows).toEqual([{ action: 'event.created' }]);
      for (const forge of [`UPDATE audit_log SET action = 'forged'`, 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
        await expect(events.query(forge)).rejects.toMatchObject({ code: '42501' });
      }
    } finally {
      await events.end();
    }
    // Granted in both databases at once (two deploy steps, two test workers): the one role row is altered concurrently.
    await Promise.all(Array.from({ length: 12 }, (_, i) => grantAuditReader(urls[i % 2 ? 'idm' : 'events'], reader)));
    for (const db of ['idm', 'events'] as const) {
      const audit = await connect(as(urls[db], reader));
      try {
        expect((await audit.query('SELECT count(*)::int >= 0 AS ok FROM audit_log')).rows).toEqual([{ ok: true }]);
        await expect(audit.query(`INSERT INTO audit_log (actor_role, action, resource_type, resource_id) VALUES ('x', 'forged', 't', '1')`)).rejects.toMatchObject({ code: '42501' });
        await expect(audit.query(db === 'idm' ? 'SELECT * FROM users' : 'SELECT * FROM tickets')).rejects.toMatchObject({ code: '42501' });
      } finally {
        await audit.end();
      }
    }
  });

  it('granting again (every deploy) is idempotent and takes a changed password', async () => {
    roles.events.password = randomUUID();
    await grantServiceRole(urls.events, roles.events);
    const events = await connect(as(urls.events, roles.events));
    await events.end();
  });
});

// Against the machine's server (DATABASE_URL, trusting local connections), as CI runs it; CI must have it.
describe.skipIf(!process.env.CI && (!hasPgBouncer || new URL(server).password !== ''))('through PgBouncer in transaction mode (one server connection, two clients)', () => {
  let bouncer: PgBouncer;
  const pools: pg.Pool[] = [];
  const pooled = (db: 'idm' | 'events') => {
    const url = Object.assign(new URL(bouncer.url), { pathname: `/${names[db]}` });
    const pool = new pg.Pool({ connectionString: as(url.toString(), roles[db]), max: 1 });
    pools.push(pool);
    return pool;
  };

  beforeAll(async () => {
    bouncer = await startPgBouncer({ upstream: server, poolSize: 1 });
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await bouncer?.stop();
  });

  it('catches a pinning construct: a named prepared statement breaks once two clients share the session', async () => {
    const [a, b] = [pooled('events'), pooled('events')];
    const named = { name: 'pinned', text: 'SELECT count(*)::int AS n FROM events' };
    await a.query(named);
    // b reaches the same server session, where a's statement already exists under that name.
    await expect(b.query(named)).rejects.toThrow(/prepared statement "pinned" already exists/);
  });

  it("the service's sale works from two clients sharing one server connection", async () => {
    const [a, b] = [pooled('events'), pooled('events')];
    const { rows } = await a.query(`INSERT INTO events (id_owner, name, seats) VALUES (7, $1, 5) RETURNING id`, [randomUUID()]);
    const eventId = Number(rows[0].id);
    const stores = [new PgEventsStore(async () => a), new PgEventsStore(async () => b)];
    const sales = await Promise.all(
      Array.from({ length: 8 }, (_, i) => stores[i % 2]!.sellTicket({ code: randomUUID(), target: { kind: 'event', id: eventId } })),
    );
    expect(sales.filter((s) => s.kind === 'sold')).toHaveLength(5);
    expect(sales.filter((s) => s.kind === 'no-seat')).toHaveLength(3);
  });
});
