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

/** What a service's role may do on its own database: its data, nothing of the schema or the migrations' bookkeeping. */
const SERVICE_GRANTS = [
  'GRANT USAGE ON SCHEMA public TO {role}',
  'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}',
  'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}',
  'REVOKE ALL ON TABLE pgmigrations FROM {role}',
  // The audit trail is append-only for the service too (its triggers insert, GET /api/audit reads).
  "DO $$ BEGIN IF to_regclass('public.audit_log') IS NOT NULL THEN REVOKE UPDATE, DELETE, TRUNCATE ON TABLE audit_log FROM {role}; END IF; END $$",
];

/** The audit reader may connect and read `audit_log`, nothing else. */
const AUDIT_READER_GRANTS = ['GRANT USAGE ON SCHEMA public TO {role}', 'GRANT SELECT ON TABLE audit_log TO {role}'];

/**
 * Creates (or updates the password of) the login role of a service and lets it use the database at
 * `databaseUrl` and nothing else: CONNECT on that database is revoked from PUBLIC, so another service's
 * role cannot even connect. Runs on the direct admin connection, after `migrate`, under the same
 * lock (concurrent GRANTs on one database collide); idempotent.
 */
export async function grantServiceRole(databaseUrl: string, role: { user: string; password: string }, grants: readonly string[] = SERVICE_GRANTS): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role.user)) throw new Error(`unsafe role name: ${role.user}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const name = client.escapeIdentifier(role.user);
    const password = client.escapeLiteral(role.password);
    try {
      await client.query(`CREATE ROLE ${name} LOGIN PASSWORD ${password}`);
    } catch (error) {
      // 42710: exists already; 23505: another database's migration created it a moment ago.
      if (!['42710', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
      await alterRole(client, `ALTER ROLE ${name} LOGIN PASSWORD ${password}`);
    }
    const database = client.escapeIdentifier(new URL(databaseUrl).pathname.slice(1));
    await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${database} FROM PUBLIC`);
    await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${name}`);
    for (const grant of grants) await client.query(grant.replaceAll('{role}', name));
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}

/**
 * A role is one row for the whole server, but the advisory lock is per database: the audit reader's
 * role, granted in both databases, can be altered by both at once ("tuple concurrently updated",
 * XX000). Both set the same password, so one more try settles it.
 */
async function alterRole(client: pg.Client, statement: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(statement);
      return;
    } catch (error) {
      const concurrent = (error as { code?: string }).code === 'XX000' && /concurrently updated/.test((error as Error).message);
      if (!concurrent || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

/** The audit reader's role on a migrated service database: CONNECT and SELECT on `audit_log` only. */
export const grantAuditReader = (databaseUrl: string, role: { user: string; password: string }) => grantServiceRole(databaseUrl, role, AUDIT_READER_GRANTS);

/** Drops a role made by `grantServiceRole` (tests; its databases must be gone or its grants revoked). */
export async function dropRole(serverUrl: string, user: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(user)}`);
  } finally {
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
