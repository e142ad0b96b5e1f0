import type pg from 'pg';
import { isRole } from '../../auth/roles.ts';
import { auditStamp } from '../../kernel/audit-context.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../kernel/postgres.ts';
import type { UserRecord, UserRepository } from '../application/ports.ts';

/**
 * Names who acts for the audit trigger on `users` (migrations/0002_audit.sql), inside the write's own
 * statement: the CTE is referenced, so it runs, and the trigger fires at the statement's end. The
 * stamp is parameter `$n`.
 */
const stamp = (n: number) => `stamp AS (SELECT set_config('tix.audit', $${n}, true))`;

type Row = { id: string; email: string; parola: string; rol: string };

/** Identities in the IDM's PostgreSQL table `users(id, email, parola, rol)` (ORIGINAL §7.1). */
export class PgUserRepository implements UserRepository {
  /** The pool is resolved on first use, so functions that never touch the table never configure it. */
  constructor(private readonly pool: () => Promise<pg.Pool>) {}

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    // lower(email) is what the unique index users_email_key covers.
    const { rows } = await (await this.pool()).query<Row>(
      'SELECT id, email, parola, rol FROM users WHERE lower(email) = lower($1)',
      [email],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async create(user: Omit<UserRecord, 'id'>): Promise<{ id: number } | 'email-taken'> {
    try {
      const { rows } = await (await this.pool()).query<{ id: string }>(
        `WITH ${stamp(4)} INSERT INTO users (email, parola, rol) SELECT $1, $2, $3 FROM stamp RETURNING id`,
        [user.email, user.passwordHash, user.role, JSON.stringify(auditStamp())],
      );
      return { id: Number(rows[0]!.id) };
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) return 'email-taken';
      throw error;
    }
  }

  async delete(id: number): Promise<void> {
    await (await this.pool()).query(`WITH ${stamp(2)} DELETE FROM users WHERE id = $1 AND EXISTS (SELECT FROM stamp)`, [id, JSON.stringify(auditStamp())]);
  }

  async deleteRegistered(id: number): Promise<'deleted' | 'absent' | 'configured'> {
    const pool = await this.pool();
    const deleted = await pool.query(
      `WITH ${stamp(2)} DELETE FROM users WHERE id = $1 AND rol IN ('client', 'owner-event') AND EXISTS (SELECT FROM stamp)`,
      [id, JSON.stringify(auditStamp())],
    );
    if (deleted.rowCount === 1) return 'deleted';
    const { rowCount } = await pool.query('SELECT 1 FROM users WHERE id = $1', [id]);
    return rowCount === 1 ? 'configured' : 'absent';
  }
}

function toRecord(row: Row): UserRecord {
  if (!isRole(row.rol)) throw new Error(`user ${row.id} has an unknown role`);
  return { id: Number(row.id), email: row.email, passwordHash: row.parola, role: row.rol };
}
