import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowCounters } from '../../shared/idm/application/ports.ts';
import { makeLoginThrottle, makeRegistrationLimit } from '../../shared/idm/application/throttles.ts';
import { LOGIN_LIMITS } from '../../shared/idm/domain/throttle.ts';
import {
  COUNTER_PREFIX, FallbackWindowCounters, MemoryWindowCounters, RedisWindowCounters,
} from '../../shared/idm/infrastructure/window-counters.ts';
import { RedisClient } from '../../shared/kernel/redis.ts';
import { capturingErrors, unreachableRedis } from './redis-support.ts';
import { redisAvailable, redisSkipReason, testRedisUrl } from '../support/redis.ts';

const attempt = (ip?: string) => ({ email: `${randomUUID()}@example.com`, ip });
const randomIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const admitted = async (counters: WindowCounters, a: { email: string; ip?: string }, times: number) => {
  const throttle = makeLoginThrottle(counters);
  const waits = await Promise.all(Array.from({ length: times }, () => throttle.admit(a)));
  return waits.filter((w) => w === 0).length;
};

/** The behaviour every store must have, seen through the login rule (5 per e-mail, 50 per address). */
function behavesAsTheRule(make: () => WindowCounters) {
  it('admits 5 attempts per e-mail in the window, then refuses until it ends (Retry-After ≈ the window)', async () => {
    const throttle = makeLoginThrottle(make());
    const a = attempt();
    for (let i = 0; i < LOGIN_LIMITS.email.max; i++) expect(await throttle.admit(a)).toBe(0);
    const wait = await throttle.admit(a);
    expect(wait).toBeGreaterThan(LOGIN_LIMITS.email.windowSeconds - 5);
    expect(wait).toBeLessThanOrEqual(LOGIN_LIMITS.email.windowSeconds);
  });

  it('is atomic: of 50 concurrent attempts exactly 5 are admitted', async () => {
    expect(await admitted(make(), attempt(), 50)).toBe(LOGIN_LIMITS.email.max);
  });

  it('counts an e-mail regardless of case, and other e-mails separately', async () => {
    const counters = make();
    const a = attempt();
    await admitted(counters, { email: a.email.toUpperCase() }, LOGIN_LIMITS.email.max);
    expect(await makeLoginThrottle(counters).admit(a)).toBeGreaterThan(0);
    expect(await makeLoginThrottle(counters).admit(attempt())).toBe(0);
  });

  it('limits one client address across many e-mails; refused attempts count nowhere', async () => {
    const throttle = makeLoginThrottle(make());
    const ip = randomIp();
    const waits = await Promise.all(Array.from({ length: 80 }, () => throttle.admit(attempt(ip))));
    expect(waits.filter((w) => w === 0)).toHaveLength(LOGIN_LIMITS.ip.max);
    expect(await throttle.admit(attempt(ip))).toBeGreaterThan(0);
    expect(await throttle.admit(attempt(randomIp()))).toBe(0);
  });

  it('a success clears the e-mail counter and does not count against the address', async () => {
    const throttle = makeLoginThrottle(make());
    const ip = randomIp();
    const a = attempt(ip);
    for (let i = 0; i < LOGIN_LIMITS.email.max; i++) await throttle.admit(a);
    await throttle.succeeded(a);
    for (let i = 0; i < LOGIN_LIMITS.ip.max - LOGIN_LIMITS.email.max + 1; i++) expect(await throttle.admit(attempt(ip))).toBe(0);
    expect(await throttle.admit(attempt(ip))).toBeGreaterThan(0); // the address's 51st counted attempt
  });

  it('registration: at most `max` per address, other addresses and callers without one unaffected', async () => {
    const limit = makeRegistrationLimit(make(), 3);
    const ip = randomIp();
    const waits = await Promise.all(Array.from({ length: 10 }, () => limit.admit(ip)));
    expect(waits.filter((w) => w === 0)).toHaveLength(3);
    expect(Math.min(...waits.filter((w) => w > 0))).toBeGreaterThan(3590);
    expect(await limit.admit(`::ffff:${ip}`)).toBeGreaterThan(0);
    expect(await limit.admit(randomIp())).toBe(0);
    expect(await limit.admit(undefined)).toBe(0);
  });
}

describe('memory window counters', () => {
  behavesAsTheRule(() => new MemoryWindowCounters());

  it('admits again once the window has passed, and a refused attempt does not extend it', async () => {
    let clock = 1_000_000;
    const throttle = makeLoginThrottle(new MemoryWindowCounters({ now: () => clock }));
    const a = attempt();
    for (let i = 0; i < 5; i++) await throttle.admit(a);
    expect(await throttle.admit(a)).toBe(900);
    clock += 899_000;
    expect(await throttle.admit(a)).toBe(1);
    clock += 1_000;
    expect(await throttle.admit(a)).toBe(0); // a new window starts
  });

  it('is bounded', async () => {
    const counters = new MemoryWindowCounters({ capacity: 10 });
    for (let i = 0; i < 25; i++) await makeLoginThrottle(counters).admit(attempt());
    expect(counters.size).toBeLessThanOrEqual(10);
  });
});

describe.skipIf(!redisAvailable)(`Redis window counters (real Redis)${redisSkipReason}`, () => {
  // Connected when the tests run, not when they are collected (a skipped block is collected too).
  let redis: RedisClient;
  beforeAll(() => {
    redis = new RedisClient(testRedisUrl);
  });
  afterAll(() => redis.close());

  behavesAsTheRule(() => new RedisWindowCounters(redis));

  it('is shared between containers and keeps no e-mail in its keys', async () => {
    const other = new RedisClient(testRedisUrl);
    try {
      const a = attempt();
      await admitted(new RedisWindowCounters(redis), a, 5);
      expect(await makeLoginThrottle(new RedisWindowCounters(other)).admit(a)).toBeGreaterThan(0);
      const keys = (await redis.command('KEYS', `${COUNTER_PREFIX}login:email:*`)) as string[];
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.some((k) => k.includes('@'))).toBe(false);
    } finally {
      other.close();
    }
  });

  it('windows expire in Redis', async () => {
    const throttle = makeLoginThrottle(new RedisWindowCounters(redis), { email: { max: 2, windowSeconds: 1 }, ip: { max: 50, windowSeconds: 1 } });
    const a = attempt();
    await throttle.admit(a);
    await throttle.admit(a);
    expect(await throttle.admit(a)).toBe(1);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await throttle.admit(a)).toBe(0);
  });
});

describe('window counters with Redis unreachable', () => {
  const redis = unreachableRedis();
  afterAll(() => redis.close());

  it('keep limiting from memory (atomically) and log each failure', async () => {
    const counters = new FallbackWindowCounters(new RedisWindowCounters(redis));
    const { result, errors } = await capturingErrors(() => admitted(counters, attempt('10.9.9.9'), 20));
    expect(result).toBe(LOGIN_LIMITS.email.max);
    expect(errors).toContain('rate limit store failed; answering from memory');
  });
});
