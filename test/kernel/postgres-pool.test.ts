import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { closePools, pgPool } from '../../shared/kernel/postgres.ts';
import { log } from '../../shared/kernel/request-context.ts';

/** The pool's idle clients against a real PostgreSQL: a server that ends them is survived quietly. */
afterAll(closePools);
afterEach(() => vi.restoreAllMocks());

describe('PostgreSQL pool', () => {
  it('an idle client ended by the server (shutdown, failover) is an info line, and the next query reconnects', async () => {
    const pool = await pgPool('events');
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const warn = vi.spyOn(log(), 'warn');
    const info = vi.spyOn(log(), 'info');

    const admin = new pg.Client({ connectionString: process.env.EVENTS_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]); // SQLSTATE 57P01, as at shutdown
    } finally {
      await admin.end();
    }
    await vi.waitFor(() => expect(info).toHaveBeenCalledWith('idle PostgreSQL client failed', expect.objectContaining({ db: 'events' })));
    expect(warn).not.toHaveBeenCalled();

    const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
  });

  it('any other failure of an idle client is a warning', async () => {
    const pool = await pgPool('events');
    const warn = vi.spyOn(log(), 'warn');
    pool.emit('error', new Error('read ECONNRESET'));
    expect(warn).toHaveBeenCalledWith('idle PostgreSQL client failed', { db: 'events', error: 'read ECONNRESET' });
  });
});
