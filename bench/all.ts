import { spawnSync } from 'node:child_process';

/**
 * `npm run bench`: every benchmark, one after another, each in its own process (each prints its
 * table and writes bench/results/<name>.json). DATABASE_URL / REDIS_URL select the servers.
 */
const BENCHMARKS = ['cold-start', 'authorizer', 'read-path', 'purchase'];
let failed = 0;
for (const name of BENCHMARKS) {
  console.log(`\n══ ${name} ══`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
