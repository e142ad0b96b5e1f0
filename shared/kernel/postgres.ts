import pg from 'pg';
import { auditDatabaseUrl, type Database, databaseUrl, once } from './config.ts';
import { auditStamp } from './audit-context.ts';
import { dependency, type Probe } from './dependency.ts';
import { log } from './request-context.ts';

/**
 * One small pool per database per container. Lambda serves one request at a time per container, so
 * a couple of connections suffice there (RDS Proxy multiplexes in the cloud); the local runtime,
 * where every function shares the process, raises PG_POOL_MAX.
 */
const pools = new Map<string, Promise<pg.Pool>>();

/** `as: 'audit'`: the audit reader's connection (its read-only role, see config.ts `auditRole`). */
export function pgPool(db: Database, as: 'service' | 'audit' = 'service'): Promise<pg.Pool> {
  const key = `${db}:${as}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = (as === 'audit' ? auditDatabaseUrl(db) : databaseUrl(db)).then((connectionString) => {
      const created = new pg.Pool({
        connectionString,
        max: poolMax(),
        idleTimeoutMillis: 30_000,
        connectionTimeoutMillis: 3_000,
        application_name: `tix-${db}`,
      });
      // Every statement outside a transaction is one traced dependency call (transactions: below).
      const query = created.query.bind(created) as (...args: unknown[]) => Promise<unknown>;
      created.query = ((...args: unknown[]) => dependency('postgres', 'query', () => query(...args))) as typeof created.query;
      // The pool drops the failed idle client and connects afresh on the next query. A server that shuts
      // down (a failover, a restart, Ctrl-C of the local runtime) ends every idle client: expected, not a warning.
      created.on('error', (error) => {
        const shutdown = sqlState(error) === ADMIN_SHUTDOWN;
        log()[shutdown ? 'info' : 'warn']('idle PostgreSQL client failed', { db, error: error.message });
      });
      return created;
    });
    pool.catch(() => pools.delete(key));
    pools.set(key, pool);
  }
  return pool;
}

const poolMax = once(() => Number(process.env.PG_POOL_MAX ?? 2));

/** Close every pool (local runtime shutdown, tests). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map(async (p) => (await p).end()));
}

/** SQLSTATEs worth one more try: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs `work` in one transaction; commits, or rolls back and rethrows. Serialization failures and
 * deadlocks are retried a few times, which is what makes short, row-locking transactions safe under
 * contention.
 */
export function transaction<T>(db: Database, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return dependency('postgres', 'transaction', () => inTransaction(db, work));
}

async function inTransaction<T>(db: Database, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const pool = await pgPool(db);
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      // The audit triggers read who is acting from this transaction-local setting (same round trip).
      await client.query(`BEGIN; ${auditSetting(client)}`);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (attempt < 4 && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
      throw error;
    } finally {
      client.release();
    }
  }
}

/** `SELECT set_config('tix.audit', …)`: the current request's audit stamp, for this transaction only. */
export const auditSetting = (client: Pick<pg.ClientBase, 'escapeLiteral'>) =>
  `SELECT set_config('tix.audit', ${client.escapeLiteral(JSON.stringify(auditStamp()))}, true)`;

/** The SQLSTATE of a pg error, if it is one. */
export const sqlState = (error: unknown): string | undefined =>
  error instanceof pg.DatabaseError ? error.code : undefined;

export const UNIQUE_VIOLATION = '23505';
export const CHECK_VIOLATION = '23514';
export const FOREIGN_KEY_VIOLATION = '23503';
const ADMIN_SHUTDOWN = '57P01';

/** Readiness: the service's database answers. */
export const postgresProbe = (db: Database): Probe => async () => {
  await (await pgPool(db)).query('SELECT 1');
};
