import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Passwords, their hashes and tokens are never logged and never returned where they do not belong,
 * even at the most verbose log level: every line the platform writes while credentials flow through
 * it is captured and searched.
 */
process.env.LOG_LEVEL = 'DEBUG';
const written: string[] = [];
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(String(chunk));
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
}
const { call, stopApi } = await import('../support/api.ts');
afterAll(stopApi);

describe('secrets never leak', () => {
  it('through logs or bodies, across register, login, verify, use, logout and failures', async () => {
    const email = `hygiene-${randomUUID()}@example.com`;
    const password = `Pw-${randomUUID()}`;
    const bodies: string[] = [];
    const send = async (method: string, path: string, options: Parameters<typeof call>[2]) => {
      const res = await call(method, path, options);
      bodies.push(res.text);
      return res;
    };

    expect((await send('POST', '/api/idm/auth/register', { body: { email, password, role: 'client' } })).status).toBe(201);
    expect((await send('POST', '/api/idm/auth/register', { body: { email, password, role: 'client' } })).status).toBe(409);
    expect((await send('POST', '/api/idm/auth/login', { body: { email, password: `${password}x` } })).status).toBe(401);
    const login = await send('POST', '/api/idm/auth/login', { body: { email, password } });
    const token = login.body.token as string;
    expect(token).toMatch(/^ey/);
    await send('POST', '/api/idm/auth/verify', { body: { token } });
    await send('GET', `/api/user-manager/users/${login.body.user_id}`, { token });
    await send('POST', '/idm.IdentityService/Login', { raw: JSON.stringify({ email, password }), headers: { 'Content-Type': 'application/json' } });
    await send('POST', '/api/idm/auth/logout', { token });
    await send('GET', `/api/user-manager/users/${login.body.user_id}`, { token });

    const logs = written.join('');
    expect(logs.length, 'something was logged at DEBUG').toBeGreaterThan(0);
    for (const secret of [password, token, token.split('.')[2]!]) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/\$2[aby]\$\d\d\$/); // a bcrypt hash
    const notTheLogin = bodies.filter((b) => !b.includes('"Login successful"'));
    for (const body of notTheLogin) {
      expect(body).not.toContain(password);
      expect(body).not.toMatch(/\$2[aby]\$\d\d\$|parola/);
    }
  });
});
