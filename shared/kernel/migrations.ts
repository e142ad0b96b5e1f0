import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import type { Database } from './config.ts';

/**
 * Schema migrations per service database, with node-pg-migrate (SQL files with `-- Up Migration`
 * and `-- Down Migration` sections, in `shared/<db>/migrations`).
 */
export const migrationsDir = (db: Database) =>
  process.env.MIGRATIONS_DIR // set where the files travel beside a bundle (the migration function)
    ? join(process.env.MIGRATIONS_DIR, db)
    : fileURLToPath(new URL(`../${db}/migrations`, import.meta.url));

/** Any fixed key: one migration at a time per database. */
const MIGRATION_LOCK = 7_240_001;

/**
 * Creates the database when missing (a fresh server: LocalStack's PostgreSQL container, a database
 * named by its own URL), then applies what is pending. Concurrent callers (parallel test workers, several runtimes, a deploy)
 * wait for each other: node-pg-migrate's own lock gives up when taken, so we hold a blocking
 * advisory lock around the run instead.
 */
export async function migrate(db: Database, databaseUrl: string, dir = migrationsDir(db)): Promise<string[]> {
  await ensureDatabaseOf(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await runner({
      dbClient: client,
      dir,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      count: Infinity,
      singleTransaction: true,
      checkOrder: true,
      noLock: true,
      log: () => {},
    });
    return applied.map((m) => m.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}

/** Creates `name` on the server behind `serverUrl` unless it exists; returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    // 42P04: already exists; 23505: created by a concurrent caller a moment ago.
    if (!['42P04', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates the database a full URL names (e.g. `postgres://…/idm`) unless it exists, from the server's `postgres` database. */
export async function ensureDatabaseOf(databaseUrl: string): Promise<string> {
  const server = new URL(databaseUrl);
  const name = decodeURIComponent(server.pathname.slice(1));
  server.pathname = '/postgres';
  await ensureDatabase(server.toString(), name);
  return databaseUrl;
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
