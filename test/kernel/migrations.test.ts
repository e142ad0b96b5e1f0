import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase, ensureDatabase, migrate } from '../../shared/kernel/migrations.ts';

const server = process.env.TEST_POSTGRES_SERVER_URL!;
const name = `tix_mig_race_${process.pid}_${Date.now()}`;
afterAll(() => dropDatabase(server, name));

describe('migrations', () => {
  it('concurrent runs wait for each other: each migration applies exactly once, nobody fails', async () => {
    const url = await ensureDatabase(server, name);
    const runs = await Promise.all(Array.from({ length: 5 }, () => migrate('events', url)));
    expect(runs.flat()).toEqual(['0001_events']);
    expect(await migrate('events', url)).toEqual([]);
  });
});
