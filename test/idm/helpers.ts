import { randomInt, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { seedAccount } from '../../shared/idm/seed.ts';
import type { Role } from '../../shared/auth/roles.ts';
import { startApi } from '../support/api.ts';

/** A fresh, valid, registrable e-mail (tests share the run's databases). */
export const newEmail = (prefix = 'idm') => `${prefix}-${randomUUID()}@example.com`;

/**
 * A loopback address of its own (127.x.y.z): login failures are also counted per client address,
 * in Redis shared by every test file and run, so tests that fail logins never do it from 127.0.0.1.
 */
export const newClientIp = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** An identity put straight into the table (no profile): for tests of login, verify, revoke. */
export async function existingUser(role: Role = 'client', password = `pw-${randomUUID().slice(0, 8)}`) {
  const email = newEmail('existing');
  await startApi(); // its start applies the schema: the idm role the pool logs in as exists
  const userId = await seedAccount(email, password, role);
  return { email, password, userId, role };
}

/** POST a JSON body (or a raw string) from a chosen loopback address (API Gateway's sourceIp). */
export async function postFrom<T = any>(
  ip: string,
  path: string,
  body: unknown,
  options: { raw?: boolean; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: T; text: string }> {
  const { port } = await startApi();
  const payload = options.raw ? String(body) : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, localAddress: ip, method: 'POST', path, headers: { ...options.headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed as T, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
