import type { Database } from './config.ts';
import type { Probe } from './health.ts';
import { mongoDb } from './mongo.ts';
import { pgPool } from './postgres.ts';
import { redisClient } from './redis.ts';

export const postgresProbe = (db: Database): Probe => async () => {
  await (await pgPool(db)).query('SELECT 1');
};

/** Redis when configured; otherwise the in-memory fallback is in use, which is always ready. */
export const redisProbe: Probe = async () => {
  const redis = redisClient();
  if (!redis) return 'in-memory fallback (REDIS_URL not set)';
  await redis.ping();
};

export const mongoProbe: Probe = async () => {
  await (await mongoDb()).command({ ping: 1 });
};
