import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { median, percentile, printTable, round, writeResult } from './lib.ts';
import { api, pool, startBenchRuntime } from './runtime.ts';

/**
 * Benchmark 1: purchases under contention. One event with K seats, N distinct pre-registered
 * buyers, concurrency C, through POST /api/user-manager/clients/{id}/tickets of the real local
 * runtime (user manager → event manager over HTTP, PostgreSQL, the document store). Reports sold,
 * oversell, attempts/s and latency; then the same again on an event that has already sold 50 000
 * tickets. Baseline, same run, same database, same concurrency: the smallest transaction that keeps
 * the seat invariant (conditional counter update + ticket insert) driven directly with pg.
 * A warm-up run on another event comes first, unmeasured (JIT, connection pools).
 * Benchmark 5 rides along: the runtime process's peak RSS.
 */
const K = Number(process.env.SEATS ?? 500);
const N = Number(process.env.BUYERS ?? 2_000);
const C = Number(process.env.CONCURRENCY ?? 64);
const PRESOLD = Number(process.env.PRESOLD ?? 50_000);
const WARMUP = Number(process.env.WARMUP ?? N);

const rt = await startBenchRuntime({ ADMIN_PASSWORD: 'bench-admin-password' });
const events = new pg.Pool({ connectionString: rt.eventsDatabaseUrl, max: C });
try {
  // ── set-up: an owner, N buyers (registered and logged in through the IDM) ──
  const owner = `owner-${randomUUID()}@bench.example.com`;
  await api(rt.url, 'POST', '/api/idm/auth/register', { email: owner, password: 'secret123', role: 'owner' });
  const ownerToken = (await api(rt.url, 'POST', '/api/idm/auth/login', { email: owner, password: 'secret123' })).token as string;
  const started = Date.now();
  const buyers = await pool(Array.from({ length: N }, (_, i) => i), 16, async (i) => {
    const email = `buyer-${i}-${randomUUID()}@bench.example.com`;
    await api(rt.url, 'POST', '/api/idm/auth/register', { email, password: 'secret123', role: 'client' });
    const login = await api(rt.url, 'POST', '/api/idm/auth/login', { email, password: 'secret123' });
    return { id: Number(login.user_id), token: login.token as string };
  });
  console.log(`registered ${N} buyers in ${round((Date.now() - started) / 1000)} s`);

  const newEvent = async (seats: number) =>
    (await api(rt.url, 'POST', '/api/event-manager/events', { name: `bench-${randomUUID()}`, seats }, ownerToken)).event.id as number;

  /** `attempts` purchase attempts for `eventId` at concurrency C, through HTTP. */
  async function purchaseRun(eventId: number, attempts = N) {
    let next = 0;
    const cpuBefore = rt.cpuSeconds();
    const statuses: Record<number, number> = {};
    const sample: Record<number, string> = {};
    const t0 = performance.now();
    let lastAnswer = t0;
    const result = await autocannon({
      url: rt.url,
      connections: C,
      amount: attempts,
      timeout: 30,
      requests: [
        {
          method: 'POST',
          setupRequest: (request: autocannon.Request) => {
            const buyer = buyers[next++ % N]!;
            return {
              ...request,
              path: `/api/user-manager/clients/${buyer.id}/tickets`,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${buyer.token}` },
              body: JSON.stringify({ event_id: eventId }),
            };
          },
          onResponse: (status: number, body: string) => {
            lastAnswer = performance.now();
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status >= 400 && status !== 422 && !sample[status]) sample[status] = body.slice(0, 300);
          },
        },
      ],
    });
    // Timed here, up to the last answer: autocannon reports a run only at its next one-second tick.
    const seconds = (lastAnswer - t0) / 1000;
    const wall = (performance.now() - t0) / 1000;
    if (Object.keys(sample).length) console.log('unexpected answers:', sample);
    // How busy the runtime's one process was: near 1.0 = bound by its single core.
    console.log(`runtime CPU during the run: ${round((rt.cpuSeconds() - cpuBefore) / wall, 2)} cores`);
    const { rows } = await events.query('SELECT count(*)::int AS tickets, max(e.direct_sold)::int AS counter, max(e.seats)::int AS seats FROM events e LEFT JOIN tickets t ON t.event_id = e.id WHERE e.id = $1', [eventId]);
    return { result, seconds, statuses, ...rows[0] } as { result: autocannon.Result; seconds: number; statuses: Record<number, number>; tickets: number; counter: number; seats: number };
  }

  // ── warm-up (not measured): the runtime's JIT compiles the purchase path, pools fill ──
  await purchaseRun(await newEvent(K), WARMUP);

  // ── ours, fresh event ──
  const fresh = await purchaseRun(await newEvent(K));
  const freshSold = fresh.statuses[201] ?? 0;

  // ── ours, after PRESOLD tickets ──
  const loadedEvent = await newEvent(PRESOLD + K);
  await events.query(`INSERT INTO tickets (code, event_id) SELECT 'presold-' || $1::bigint || '-' || g, $1::bigint FROM generate_series(1, $2::int) g`, [loadedEvent, PRESOLD]);
  await events.query('UPDATE events SET direct_sold = direct_sold + $2 WHERE id = $1', [loadedEvent, PRESOLD]);
  const loaded = await purchaseRun(loadedEvent);
  const loadedSold = (loaded.statuses[201] ?? 0);

  // ── baseline: the minimal invariant-keeping transaction, straight into the same database ──
  const { rows } = await events.query("INSERT INTO events (id_owner, name, seats) VALUES (1, 'bench-baseline-' || gen_random_uuid(), $1) RETURNING id", [K]);
  const baselineEvent = rows[0].id as string;
  const latencies: number[] = [];
  let baselineSold = 0;
  const t0 = performance.now();
  await pool(Array.from({ length: N }, (_, i) => i), C, async () => {
    const client = await events.connect();
    const t = performance.now();
    try {
      await client.query('BEGIN');
      const taken = await client.query('UPDATE events SET direct_sold = direct_sold + 1 WHERE id = $1 AND direct_sold + packet_allocated < seats', [baselineEvent]);
      if (taken.rowCount === 1) {
        await client.query('INSERT INTO tickets (code, event_id) VALUES ($1, $2)', [randomUUID(), baselineEvent]);
        baselineSold++;
      }
      await client.query('COMMIT');
    } finally {
      client.release();
      latencies.push(performance.now() - t);
    }
  });
  const baselineSeconds = (performance.now() - t0) / 1000;
  const baselineRate = N / baselineSeconds;

  const rate = (run: typeof fresh) => N / run.seconds;
  const rows_ = [
    { run: `ours: fresh event (K=${K})`, sold: freshSold, ticketRows: fresh.tickets, oversell: Math.max(0, fresh.tickets - K), attemptsPerSecond: round(rate(fresh)), p50ms: fresh.result.latency.p50, p99ms: fresh.result.latency.p99, statuses: JSON.stringify(fresh.statuses) },
    { run: `ours: after ${PRESOLD} sold`, sold: loadedSold, ticketRows: loaded.tickets - PRESOLD, oversell: Math.max(0, loaded.tickets - loaded.seats), attemptsPerSecond: round(rate(loaded)), p50ms: loaded.result.latency.p50, p99ms: loaded.result.latency.p99, statuses: JSON.stringify(loaded.statuses) },
    { run: 'baseline: pg conditional update + insert', sold: baselineSold, ticketRows: baselineSold, oversell: 0, attemptsPerSecond: round(baselineRate), p50ms: round(median(latencies)), p99ms: round(percentile(latencies, 99)), statuses: '-' },
  ];
  printTable(`Purchases: N=${N} buyers, K=${K} seats, concurrency ${C}`, rows_);
  const ratio = rate(fresh) / baselineRate;
  const growth = rate(loaded) / rate(fresh);
  const peak = rt.peakRssMiB();
  console.log(`\nours / baseline = ${round(ratio, 2)} (target ≥ 0.5)`);
  console.log(`after ${PRESOLD} sold / fresh = ${round(growth, 2)} (target ≥ 0.9)`);
  console.log(`sold == K: ${freshSold === K && fresh.tickets === K}, oversell: ${Math.max(0, fresh.tickets - K)}; p99 ${fresh.result.latency.p99} ms (target ≤ 250)`);
  console.log(`peak RSS of the runtime process: ${round(peak)} MiB`);
  writeResult('purchase', {
    inputs: { seats: K, buyers: N, concurrency: C, presold: PRESOLD, warmupAttempts: WARMUP, database: process.env.DATABASE_URL ? 'external PostgreSQL' : 'embedded PostgreSQL' },
    runs: rows_,
    ratios: { oursOverBaseline: round(ratio, 2), loadedOverFresh: round(growth, 2) },
    peakRssMiB: round(peak),
  });
  if (fresh.tickets > K || loaded.tickets > loaded.seats) process.exitCode = 1; // an oversell is a bug, not a number
} finally {
  await events.end();
  await rt.stop();
}
