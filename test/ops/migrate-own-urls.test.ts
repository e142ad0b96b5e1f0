import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { dropDatabase, migrationsDir } from '../../shared/kernel/migrations.ts';

/**
 * The LocalStack profile names each service database by a full URL (IDM_DATABASE_URL,
 * EVENTS_DATABASE_URL) on a fresh PostgreSQL container: the migration creates them when missing.
 * (Config is read once per process: this file configures the environment first.)
 */
const server = process.env.TEST_POSTGRES_SERVER_URL!;
const suffix = `${process.pid}_${Date.now()}`;
const names = { idm: `tix_own_idm_${suffix}`, events: `tix_own_events_${suffix}` };
const urlOf = (db: string) => Object.assign(new URL(server), { pathname: `/${db}` }).toString();
Object.assign(process.env, { IDM_DATABASE_URL: urlOf(names.idm), EVENTS_DATABASE_URL: urlOf(names.events) });
delete process.env.DATABASE_URL;

const { handler } = await import('../../functions/ops/migrate.ts');
const { closePools } = await import('../../shared/kernel/postgres.ts');

const event = { RequestType: 'Create', ResourceProperties: {} } as unknown as CloudFormationCustomResourceEvent;

afterAll(async () => {
  await closePools();
  await dropDatabase(server, names.idm);
  await dropDatabase(server, names.events);
});

describe('ops/migrate with a URL per database', () => {
  it('creates the missing databases, then migrates them (and again is a no-op)', async () => {
    const all = (db: 'idm' | 'events') => readdirSync(migrationsDir(db)).filter((f) => f.endsWith('.sql')).sort().map((f) => f.replace(/\.sql$/, '')).join(',');
    expect(await handler(event)).toMatchObject({ Data: { idm: all('idm'), events: all('events') } });
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      const found = await client.query('SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY 1', [[names.idm, names.events]]);
      expect(found.rows.map((r) => r.datname).sort()).toEqual([names.events, names.idm].sort());
    } finally {
      await client.end();
    }
    expect(await handler(event)).toMatchObject({ Data: { idm: 'up to date', events: 'up to date' } });
  });
});
