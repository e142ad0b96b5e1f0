import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependency } from '../../shared/kernel/dependency.ts';
import { setMetricsSink } from '../../shared/kernel/metrics.ts';
import { RedisClient } from '../../shared/kernel/redis.ts';
import { freePort } from '../../infra/local/ports.ts';

/** DependencyErrors: a store that fails counts, per store; a store refusing a request on its merits does not. */

const records: EmfOutput[] = [];
let restore: ReturnType<typeof setMetricsSink>;
beforeAll(() => {
  restore = setMetricsSink((record) => records.push(record));
});
afterAll(() => setMetricsSink(restore));

const counted = () => records.filter((r) => 'DependencyErrors' in r).map((r) => r.store);

describe('DependencyErrors', () => {
  it('counts an unreachable PostgreSQL and an unreachable Redis, with their store', async () => {
    records.length = 0;
    const port = await freePort();
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/x`, connectionTimeoutMillis: 1000 });
    await expect(dependency('postgres', 'connect', () => client.connect())).rejects.toThrow();
    const redis = new RedisClient(`redis://127.0.0.1:${port}`);
    await expect(redis.command('PING')).rejects.toThrow();
    redis.close();
    expect(counted()).toEqual(['postgres', 'redis']);
  });

  it('does not count what the store refused on its merits (a unique violation), nor errors of ours', async () => {
    records.length = 0;
    const client = new pg.Client({ connectionString: process.env.EVENTS_DATABASE_URL });
    await client.connect();
    try {
      const duplicate = () => client.query('CREATE TEMP TABLE u (x int PRIMARY KEY); INSERT INTO u VALUES (1), (1)');
      await expect(dependency('postgres', 'query', duplicate)).rejects.toThrow(/duplicate key/);
      await expect(dependency('postgres', 'query', async () => { throw Object.assign(new Error('not found'), { status: 404 }); })).rejects.toThrow();
    } finally {
      await client.end();
    }
    expect(counted()).toEqual([]);
  });
});
