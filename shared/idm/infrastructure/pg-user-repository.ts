import type pg from 'pg';
import { isRole } from '../../auth/roles.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../kernel/postgres.ts';
import type { UserRecord, UserRepository } from '../application/ports.ts';

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
        'INSERT INTO users (email, parola, rol) VALUES ($1, $2, $3) RETURNING id',
        [user.email, user.passwordHash, user.role],
      );
      return { id: Number(rows[0]!.id) };
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) return 'email-taken';
      throw error;
    }
  }

  async delete(id: number): Promise<void> {
    await (await this.pool()).query('DELETE FROM users WHERE id = $1', [id]);
  }

  async deleteRegistered(id: number): Promise<'deleted' | 'absent' | 'configured'> {
    const pool = await this.pool();
    const deleted = await pool.query("DELETE FROM users WHERE id = $1 AND rol IN ('client', 'owner-event')", [id]);
    if (deleted.rowCount === 1) return 'deleted';
    const { rowCount } = await pool.query('SELECT 1 FROM users WHERE id = $1', [id]);
    return rowCount === 1 ? 'configured' : 'absent';
  }
}

function toRecord(row: Row): UserRecord {
  if (!isRole(row.rol)) throw new Error(`user ${row.id} has an unknown role`);
  return { id: Number(row.id), email: row.email, passwordHash: row.parola, role: row.rol };
}
