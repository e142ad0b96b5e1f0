import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { dropDatabase, migrationsDir } from '../../shared/kernel/migrations.ts';

/**
 * The migration custom resource against a real PostgreSQL server: it must create both service
 * databases from the server URL alone, migrate them, seed the configured accounts, and be a no-op
 * the second time. (Config is read once per process: this file configures the environment first.)
 */
const server = process.env.TEST_POSTGRES_SERVER_URL!;
const suffix = `${process.pid}_${Date.now()}`;
const names = { idm: `tix_mig_idm_${suffix}`, events: `tix_mig_events_${suffix}`, users: `tix_mig_users_${suffix}` };
Object.assign(process.env, { DATABASE_URL: server, IDM_DB_NAME: names.idm, EVENTS_DB_NAME: names.events, USERS_DB_NAME: names.users });
delete process.env.IDM_DATABASE_URL;
delete process.env.EVENTS_DATABASE_URL;

const { handler } = await import('../../functions/ops/migrate.ts');
const { closePools } = await import('../../shared/kernel/postgres.ts');
const { closeMongo, mongoDb } = await import('../../shared/kernel/mongo.ts');

/** The profiles in this run's own user database. */
const profiles = async () => (await (await mongoDb()).collection('users').find({}, { projection: { _id: 0, id: 1, email: 1 } }).toArray());

const event = (RequestType: 'Create' | 'Update' | 'Delete') =>
  ({ RequestType, PhysicalResourceId: 'tix-schema', ResourceProperties: {} }) as unknown as CloudFormationCustomResourceEvent;

async function query(db: string, sql: string) {
  const url = new URL(server);
  url.pathname = `/${db}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await (await mongoDb()).dropDatabase();
  await closeMongo();
  await closePools();
  await dropDatabase(server, names.idm);
  await dropDatabase(server, names.events);
});

describe('ops/migrate (the schema custom resource)', () => {
  it('creates both databases, migrates them and seeds the service account and the admin', async () => {
    const result = await handler(event('Create'));
    expect(result.PhysicalResourceId).toBe('tix-schema');
    const all = (db: 'idm' | 'events') => readdirSync(migrationsDir(db)).filter((f) => f.endsWith('.sql')).sort().map((f) => f.replace(/\.sql$/, '')).join(',');
    expect(result).toMatchObject({ Data: { idm: all('idm'), events: all('events') } });
    expect(all('idm')).toMatch(/^0001_users/);

    const tables = await query(names.events, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['events', 'eventsPacket', 'events_packet_inclusion', 'tickets']));
    const accounts = await query(names.idm, 'SELECT email, rol FROM users ORDER BY rol');
    expect(accounts).toEqual([
      { email: process.env.ADMIN_EMAIL, rol: 'admin' },
      { email: 'clients_service@system.local', rol: 'serviciu_clienti' },
    ]);
    // The admin's profile, so that its own profile and tickets do not answer 404.
    const [admin] = await query(names.idm, "SELECT id FROM users WHERE rol = 'admin'");
    expect(await profiles()).toEqual([{ id: Number(admin.id), email: process.env.ADMIN_EMAIL }]);
  });

  it('is idempotent: an update with nothing new applies nothing and duplicates nothing', async () => {
    const result = await handler(event('Update'));
    expect(result).toMatchObject({ Data: { idm: 'up to date', events: 'up to date' } });
    expect(await query(names.idm, 'SELECT count(*)::int AS n FROM users')).toEqual([{ n: 2 }]);
    expect(await profiles()).toHaveLength(1);
  });

  it('leaves the data alone when the stack is deleted', async () => {
    expect(await handler(event('Delete'))).toEqual({ PhysicalResourceId: 'tix-schema' });
    expect(await query(names.idm, 'SELECT count(*)::int AS n FROM users')).toEqual([{ n: 2 }]);
  });
});
