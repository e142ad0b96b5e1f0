import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { FallbackBlacklist, MemoryBlacklist, RedisBlacklist, REVOKED_PREFIX } from '../../shared/auth/blacklist.ts';
import { RedisClient } from '../../shared/kernel/redis.ts';
import { capturingErrors, unreachableRedis } from './redis-support.ts';
import { redisAvailable, redisSkipReason, testRedisUrl } from '../support/redis.ts';

const now = () => Math.floor(Date.now() / 1000);

describe('memory blacklist', () => {
  it('remembers a revocation until the token would expire', async () => {
    const list = new MemoryBlacklist();
    await list.revoke('a', now() + 60);
    expect(await list.isRevoked('a')).toBe(true);
    expect(await list.isRevoked('b')).toBe(false);
  });

  it('does not keep tokens that have already expired, and forgets entries once they expire', async () => {
    const list = new MemoryBlacklist();
    await list.revoke('old', now() - 1);
    expect(list.size).toBe(0);
    await list.revoke('soon', now() + 1);
    expect(await list.isRevoked('soon')).toBe(true);
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await list.isRevoked('soon')).toBe(false);
    expect(list.size).toBe(0);
  });

  it('is bounded: when full, the entry that expires first makes room', async () => {
    const list = new MemoryBlacklist(3);
    await list.revoke('late', now() + 300);
    await list.revoke('first', now() + 100);
    await list.revoke('middle', now() + 200);
    await list.revoke('new', now() + 400);
    expect(list.size).toBe(3);
    expect(await list.isRevoked('first')).toBe(false);
    for (const kept of ['late', 'middle', 'new']) expect(await list.isRevoked(kept)).toBe(true);
  });
});

describe.skipIf(!redisAvailable)(`Redis blacklist (real Redis)${redisSkipReason}`, () => {
  const redis = new RedisClient(testRedisUrl);
  afterAll(() => redis.close());
  const list = new RedisBlacklist(redis);

  it('stores one key per jti with the remaining lifetime as TTL', async () => {
    const jti = randomUUID();
    await list.revoke(jti, now() + 120);
    expect(await list.isRevoked(jti)).toBe(true);
    const ttl = Number(await redis.command('TTL', REVOKED_PREFIX + jti));
    expect(ttl).toBeGreaterThan(110);
    expect(ttl).toBeLessThanOrEqual(120);
    expect(await list.isRevoked(randomUUID())).toBe(false);
  });

  it('stores nothing for a token that has already expired', async () => {
    const jti = randomUUID();
    await list.revoke(jti, now() - 5);
    expect(await redis.command('EXISTS', REVOKED_PREFIX + jti)).toBe(0);
  });

  it('lets the key expire with the token', async () => {
    const jti = randomUUID();
    await list.revoke(jti, now() + 1);
    expect(await list.isRevoked(jti)).toBe(true);
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await list.isRevoked(jti)).toBe(false);
  });

  it('a revocation through one container is seen by another (shared store)', async () => {
    const jti = randomUUID();
    const other = new RedisClient(testRedisUrl);
    try {
      await new FallbackBlacklist(new RedisBlacklist(redis)).revoke(jti, now() + 60);
      expect(await new FallbackBlacklist(new RedisBlacklist(other)).isRevoked(jti)).toBe(true);
    } finally {
      other.close();
    }
  });
});

describe('blacklist with Redis unreachable', () => {
  const redis = unreachableRedis();
  afterAll(() => redis.close());

  it('the Redis adapter alone fails (so the fallback is what saves us)', async () => {
    await expect(new RedisBlacklist(redis).isRevoked('x')).rejects.toThrow();
  });

  it('revocations are kept in memory and honoured, and every failure is logged', async () => {
    const list = new FallbackBlacklist(new RedisBlacklist(redis));
    const jti = randomUUID();
    const { result, errors } = await capturingErrors(async () => {
      await list.revoke(jti, now() + 60);
      return [await list.isRevoked(jti), await list.isRevoked(randomUUID())];
    });
    expect(result).toEqual([true, false]);
    expect(errors).toContain('blacklist store failed; revocation kept in memory only');
    expect(errors).toContain('blacklist lookup failed; answering from memory');
  });
});
