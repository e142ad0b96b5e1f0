import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoginThrottle } from '../../shared/idm/application/ports.ts';
import { LOGIN_LIMITS } from '../../shared/idm/domain/throttle.ts';
import {
  FallbackLoginThrottle, MemoryLoginThrottle, RedisLoginThrottle, THROTTLE_PREFIX,
} from '../../shared/idm/infrastructure/login-throttle.ts';
import { capturingErrors, unreachableRedis } from './redis-support.ts';
import { RedisClient } from '../../shared/kernel/redis.ts';
import { redisAvailable, redisSkipReason, testRedisUrl } from '../support/redis.ts';

const attempt = (ip?: string) => ({ email: `${randomUUID()}@example.com`, ip });
const fail = async (throttle: LoginThrottle, a: { email: string; ip?: string }, times: number) => {
  for (let i = 0; i < times; i++) await throttle.recordFailure(a);
};

/** The behaviour every adapter must have (limits of the real rule: 5 per e-mail, 50 per address). */
function behavesAsTheRule(make: () => LoginThrottle) {
  it('allows 5 failures per e-mail in the window, then blocks until it ends', async () => {
    const throttle = make();
    const a = attempt();
    await fail(throttle, a, LOGIN_LIMITS.email.max - 1);
    expect(await throttle.retryAfter(a)).toBe(0);
    await throttle.recordFailure(a);
    const wait = await throttle.retryAfter(a);
    expect(wait).toBeGreaterThan(LOGIN_LIMITS.email.windowSeconds - 5);
    expect(wait).toBeLessThanOrEqual(LOGIN_LIMITS.email.windowSeconds);
  });

  it('counts an e-mail regardless of case, and other e-mails separately', async () => {
    const throttle = make();
    const a = attempt();
    await fail(throttle, { email: a.email.toUpperCase() }, LOGIN_LIMITS.email.max);
    expect(await throttle.retryAfter(a)).toBeGreaterThan(0);
    expect(await throttle.retryAfter(attempt())).toBe(0);
  });

  it('limits one client address across many e-mails', async () => {
    const throttle = make();
    const ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < LOGIN_LIMITS.ip.max; i++) await throttle.recordFailure(attempt(ip));
    expect(await throttle.retryAfter(attempt(ip))).toBeGreaterThan(0);
    expect(await throttle.retryAfter(attempt('10.255.255.254'))).toBe(0);
  });

  it('a success clears the e-mail counter but not the address counter', async () => {
    const throttle = make();
    const ip = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < LOGIN_LIMITS.ip.max - 1; i++) await throttle.recordFailure(attempt(ip));
    const a = attempt(ip);
    await fail(throttle, { email: a.email }, LOGIN_LIMITS.email.max - 1);
    await throttle.recordSuccess(a);
    await throttle.recordFailure(a); // the address's 50th failure
    expect(await throttle.retryAfter({ email: a.email })).toBe(0);
    expect(await throttle.retryAfter(attempt(ip))).toBeGreaterThan(0);
  });
}

describe('memory login throttle', () => {
  behavesAsTheRule(() => new MemoryLoginThrottle());

  it('lets attempts through again once the window has passed', async () => {
    let clock = 1_000_000;
    const throttle = new MemoryLoginThrottle({ now: () => clock });
    const a = attempt();
    await fail(throttle, a, 5);
    expect(await throttle.retryAfter(a)).toBe(900);
    clock += 899_000;
    expect(await throttle.retryAfter(a)).toBe(1);
    clock += 1_000;
    expect(await throttle.retryAfter(a)).toBe(0);
    await throttle.recordFailure(a); // a new window starts
    expect(await throttle.retryAfter(a)).toBe(0);
  });

  it('is bounded', async () => {
    const throttle = new MemoryLoginThrottle({ capacity: 10 });
    for (let i = 0; i < 25; i++) await throttle.recordFailure(attempt());
    expect(throttle.size).toBeLessThanOrEqual(10);
  });
});

describe.skipIf(!redisAvailable)(`Redis login throttle (real Redis)${redisSkipReason}`, () => {
  const redis = new RedisClient(testRedisUrl);
  afterAll(() => redis.close());

  behavesAsTheRule(() => new RedisLoginThrottle(redis));

  it('is shared between containers and keeps no e-mail in its keys', async () => {
    const other = new RedisClient(testRedisUrl);
    try {
      const a = attempt();
      await fail(new RedisLoginThrottle(redis), a, 5);
      expect(await new RedisLoginThrottle(other).retryAfter(a)).toBeGreaterThan(0);
      const keys = (await redis.command('KEYS', `${THROTTLE_PREFIX}email:*`)) as string[];
      expect(keys.some((k) => k.includes('@'))).toBe(false);
    } finally {
      other.close();
    }
  });

  it('windows expire in Redis', async () => {
    const throttle = new RedisLoginThrottle(redis, {
      limits: { email: { max: 2, windowSeconds: 1 }, ip: { max: 50, windowSeconds: 1 } },
    });
    const a = attempt();
    await fail(throttle, a, 2);
    expect(await throttle.retryAfter(a)).toBe(1);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await throttle.retryAfter(a)).toBe(0);
  });

  it('concurrent failures are each counted (atomic increments)', async () => {
    const throttle = new RedisLoginThrottle(redis);
    const a = attempt();
    await Promise.all(Array.from({ length: 5 }, () => throttle.recordFailure({ email: a.email })));
    expect(await throttle.retryAfter(a)).toBeGreaterThan(0);
  });
});

describe('login throttle with Redis unreachable', () => {
  const redis = unreachableRedis();
  afterAll(() => redis.close());

  it('keeps throttling from memory and logs each failure', async () => {
    const throttle = new FallbackLoginThrottle(new RedisLoginThrottle(redis));
    const a = attempt('10.9.9.9');
    const { result, errors } = await capturingErrors(async () => {
      await fail(throttle, a, 5);
      return throttle.retryAfter(a);
    });
    expect(result).toBeGreaterThan(0);
    expect(errors).toContain('login throttle store failed; failure counted in memory only');
    expect(errors).toContain('login throttle store failed; answering from memory');
  });
});
