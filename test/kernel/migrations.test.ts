import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { dropDatabase, ensureDatabase, migrate, migrationsDir } from '../../shared/kernel/migrations.ts';

const server = process.env.TEST_POSTGRES_SERVER_URL!;
const name = `tix_mig_race_${process.pid}_${Date.now()}`;
afterAll(() => dropDatabase(server, name));

describe('migrations', () => {
  it('concurrent runs wait for each other: each migration applies exactly once, nobody fails', async () => {
    const url = await ensureDatabase(server, name);
    const runs = await Promise.all(Array.from({ length: 5 }, () => migrate('events', url)));
    const all = readdirSync(migrationsDir('events')).filter((f) => f.endsWith('.sql')).sort().map((f) => f.replace(/\.sql$/, ''));
    expect(all[0]).toBe('0001_events');
    expect(runs.flat()).toEqual(all);
    expect(await migrate('events', url)).toEqual([]);
  });
});
