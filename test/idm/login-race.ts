import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../shared/idm/domain/throttle.ts';
import { existingUser, newClientIp, postFrom } from './helpers.ts';

/**
 * Issue 11 item 11, over HTTP: parallel guesses cannot slip past the login throttle. Every answer
 * that is not 429 is a password that was checked against bcrypt, so counting them counts the checks.
 */
export function loginRaceTests() {
  const login = (ip: string, email: string, password: string) => postFrom(ip, '/api/idm/auth/login', { email, password });

  it('50 parallel wrong passwords for one e-mail: at most 5 are checked, and then even the right one is refused', async () => {
    const user = await existingUser('client');
    const ip = newClientIp();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => login(ip, user.email, `wrong-${i}`)));
    const checked = answers.filter((a) => a.status !== 429);
    expect(checked.length).toBeLessThanOrEqual(LOGIN_LIMITS.email.max);
    expect(checked.every((a) => a.status === 401)).toBe(true);
    expect(answers.filter((a) => a.status === 429).every((a) => Number(a.headers['retry-after']) > 0)).toBe(true);

    const right = await login(newClientIp(), user.email, user.password);
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('parallel guesses at many e-mails from one address: at most 50 are checked', async () => {
    const ip = newClientIp();
    const answers = await Promise.all(Array.from({ length: 70 }, () => login(ip, `nobody-${randomUUID()}@example.com`, 'wrong-password')));
    expect(answers.filter((a) => a.status !== 429).length).toBeLessThanOrEqual(LOGIN_LIMITS.ip.max);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(70 - LOGIN_LIMITS.ip.max);
  });
}
