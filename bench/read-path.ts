import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import pg from 'pg';
import { printTable, round, writeResult } from './lib.ts';
import { startBenchRuntime } from './runtime.ts';

/**
 * Benchmark 2: the read path. GET /api/event-manager/events?per_page=10 (and a filtered variant)
 * through the real local runtime for DURATION seconds at concurrency C, against a bare node:http
 * server running the identical SQL on the same database (bench/read-baseline-server.ts), each in a
 * process of its own.
 */
const DURATION = Number(process.env.DURATION ?? 10);
const C = Number(process.env.CONCURRENCY ?? 64);
const EVENTS = Number(process.env.EVENTS ?? 2_000);

const rt = await startBenchRuntime();
const db = new pg.Pool({ connectionString: rt.eventsDatabaseUrl, max: 2 });
const baseline = spawn(process.execPath, ['--import', 'tsx', 'bench/read-baseline-server.ts'], {
  env: { PATH: process.env.PATH, EVENTS_DATABASE_URL: rt.eventsDatabaseUrl },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  // Data: EVENTS events, one in ten named "… Rock …".
  await db.query(
    `INSERT INTO events (id_owner, name, location, seats)
     SELECT 1 + g % 50, CASE WHEN g % 10 = 0 THEN 'Rock night ' ELSE 'Concert ' END || g, 'City ' || g % 7, 100 + g
     FROM generate_series(1, $1::int) g`,
    [EVENTS],
  );
  const baselinePort = await new Promise<number>((resolve) =>
    baseline.stdout!.on('data', (d) => {
      const port = /port (\d+)/.exec(String(d));
      if (port) resolve(Number(port[1]));
    }),
  );

  const load = (url: string) => autocannon({ url, connections: C, duration: DURATION });
  const variants = [
    { name: 'list', ours: '/api/event-manager/events?per_page=10', base: '/?per_page=10' },
    { name: 'filtered', ours: '/api/event-manager/events?per_page=10&name=rock', base: '/?per_page=10&name=rock' },
  ];
  const rows = [];
  for (const v of variants) {
    await load(`${rt.url}${v.ours}`); // warm-up pass, discarded
    const ours = await load(`${rt.url}${v.ours}`);
    const base = await load(`http://127.0.0.1:${baselinePort}${v.base}`);
    if (ours.non2xx > 0 || ours.errors > 0) throw new Error(`${v.name}: ${ours.non2xx} non-2xx, ${ours.errors} errors`);
    rows.push({
      variant: v.name,
      oursRps: round(ours.requests.average, 0),
      oursP99ms: ours.latency.p99,
      baselineRps: round(base.requests.average, 0),
      baselineP99ms: base.latency.p99,
      ratio: round(ours.requests.average / base.requests.average, 2),
    });
  }
  printTable(`Read path: ${DURATION} s at concurrency ${C}, ${EVENTS} events`, rows);
  console.log(`\nours / baseline: ${rows.map((r) => `${r.variant} ${r.ratio}`).join(', ')} (target ≥ 0.6)`);
  writeResult('read-path', { inputs: { durationSeconds: DURATION, concurrency: C, events: EVENTS }, runs: rows });
} finally {
  baseline.kill();
  await db.end();
  await rt.stop();
}
