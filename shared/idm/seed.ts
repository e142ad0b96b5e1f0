import bcrypt from 'bcryptjs';
import type { Role } from '../auth/roles.ts';
import { bcryptCost } from '../kernel/config.ts';
import { pgPool } from '../kernel/postgres.ts';

/**
 * Accounts that exist by configuration, never by registration (CONTRACT F6): the service account
 * and the admins. Idempotent: re-running with the same configuration changes nothing that matters,
 * and a changed password in the configuration takes effect.
 */
export async function seedAccount(email: string, password: string, role: Role): Promise<number> {
  const pool = await pgPool('idm');
  const existing = await pool.query<{ id: string; parola: string; rol: string }>(
    'SELECT id, parola, rol FROM users WHERE lower(email) = lower($1)',
    [email],
  );
  const row = existing.rows[0];
  if (row && row.rol === role && (await bcrypt.compare(password, row.parola))) return Number(row.id);
  const hash = await bcrypt.hash(password, bcryptCost());
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (email, parola, rol) VALUES ($1, $2, $3)
     ON CONFLICT (lower(email)) DO UPDATE SET parola = EXCLUDED.parola, rol = EXCLUDED.rol
     RETURNING id`,
    [email, hash, role],
  );
  return Number(rows[0]!.id);
}
