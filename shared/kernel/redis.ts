import { Redis } from 'ioredis';
import { once, redisUrl } from './config.ts';
import type { Probe } from './health.ts';

/**
 * One Redis client per container, or undefined when REDIS_URL is unset (callers then use their
 * in-memory fallback). A command waits for the connection at most `commandTimeout`, so a cold start
 * uses Redis from its first request, and an outage becomes a quick, logged fallback, not a hung request.
 */
export const redisClient = once((): Redis | undefined => {
  const url = redisUrl();
  if (!url) return undefined;
  const client = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // Commands issued in the same tick share one write: many requests in one process (the local
    // runtime) then cost one syscall per tick, not one per revocation check.
    enableAutoPipelining: true,
    ...(url.startsWith('rediss://') ? { tls: {} } : {}),
  });
  client.on('error', () => {}); // surfaced per command; logged where the fallback is taken
  return client;
});

/** Readiness: Redis answers, or the in-memory fallback is in use (always ready). */
export const redisProbe: Probe = async () => {
  const redis = redisClient();
  if (!redis) return 'in-memory fallback (REDIS_URL not set)';
  await redis.ping();
};
