import { spawn } from 'node:child_process';
import pg from 'pg';
import { load, median, printTable, round, writeResult } from './lib.ts';
import { startBenchRuntime } from './runtime.ts';

/**
 * Benchmark 2: the read path. GET /api/event-manager/events?per_page=10 (and a filtered variant)
 * through the real local runtime for DURATION seconds at concurrency C, against a bare node:http
 * server running the identical SQL on the same database (bench/read-baseline-server.ts), each in a
 * process of its own; ROUNDS interleaved rounds, the ratio is their median.
 */
const DURATION = Number(process.env.DURATION ?? 10);
const C = Number(process.env.CONCURRENCY ?? 64);
const EVENTS = Number(process.env.EVENTS ?? 2_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

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

  const measure = (url: string) => load({ url, connections: C, duration: DURATION });
  const variants = [
    { name: 'list', ours: '/api/event-manager/events?per_page=10', base: '/?per_page=10' },
    { name: 'filtered', ours: '/api/event-manager/events?per_page=10&name=rock', base: '/?per_page=10&name=rock' },
  ];
  const rows = [];
  const summary: Array<{ variant: string; ratio: number; perRound: number[] }> = [];
  for (const v of variants) {
    // Warm-up passes, discarded: both sides' JIT and connection pools, so that round 1 is not the baseline's cold start.
    await measure(`${rt.url}${v.ours}`);
    await measure(`http://127.0.0.1:${baselinePort}${v.base}`);
    // ROUNDS × (ours, baseline), interleaved: the machine's drift touches both alike; the ratio is the median.
    const ratios: number[] = [];
    for (let pass = 1; pass <= ROUNDS; pass++) {
      const ours = await measure(`${rt.url}${v.ours}`);
      const base = await measure(`http://127.0.0.1:${baselinePort}${v.base}`);
      for (const [who, run] of [['ours', ours], ['baseline', base]] as const) {
        if (run.failures > 0 || Object.keys(run.statuses).some((s) => s !== '200')) throw new Error(`${v.name}, ${who}: ${JSON.stringify(run.statuses)}, ${run.failures} failures`);
      }
      ratios.push(ours.perSecond / base.perSecond);
      rows.push({
        run: `${pass}: ${v.name}`,
        oursRps: round(ours.perSecond, 0),
        oursP50ms: ours.latencyMs.p50,
        oursP95ms: ours.latencyMs.p95,
        oursP99ms: ours.latencyMs.p99,
        baselineRps: round(base.perSecond, 0),
        baselineP50ms: base.latencyMs.p50,
        baselineP95ms: base.latencyMs.p95,
        baselineP99ms: base.latencyMs.p99,
        ratio: round(ours.perSecond / base.perSecond, 2),
      });
    }
    summary.push({ variant: v.name, ratio: round(median(ratios), 2), perRound: ratios.map((r) => round(r, 2)) });
  }
  printTable(`Read path: ${DURATION} s at concurrency ${C}, ${EVENTS} events, ${ROUNDS} rounds`, rows);
  console.log(`\nours / baseline: ${summary.map((r) => `${r.variant} ${r.ratio} (median of ${r.perRound.join(', ')})`).join('; ')} (target ≥ 0.6)`);
  writeResult('read-path', { inputs: { durationSeconds: DURATION, concurrency: C, events: EVENTS, rounds: ROUNDS }, runs: rows, ratios: summary });
} finally {
  baseline.kill();
  await db.end();
  await rt.stop();
}
