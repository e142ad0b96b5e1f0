import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { latencyPercentiles, load, type LoadResult, median, printTable, round, writeResult } from './lib.ts';
import { PgEventsStore } from '../shared/events/infrastructure/pg-store.ts';
import { api, pool, startBenchRuntime } from './runtime.ts';

/**
 * Benchmark 1: purchases under contention. One event with K seats, N distinct pre-registered
 * buyers, concurrency C, through POST /api/user-manager/clients/{id}/tickets of the real local
 * runtime (user manager → event manager over HTTP, PostgreSQL, the document store). Reports sold,
 * oversell, attempts/s and latency; then the same again on an event that has already sold 50 000
 * tickets. The request path goes through PgBouncer in transaction mode (the stand-in for RDS Proxy)
 * when it is installed. Baseline, same run, same database, same pooler, same concurrency: the
 * service's own sale statement (PgEventsStore.sellTicket: one autocommit statement) driven straight
 * with pg — the limit of this design. Also reported: the runtime's CPU milliseconds per attempt.
 * Warm-up runs of ours and the baseline come first, unmeasured (JIT, connection pools); then ROUNDS
 * rounds of all three, interleaved, and the ratios are the medians over the rounds.
 * Benchmark 5 rides along: the runtime process's peak RSS. And the audit trail's cost: each round
 * also runs ours on a fresh event with the purchase's audit trigger switched off (target: the
 * audit trail costs at most 10 % of the attempts per second).
 */
const K = Number(process.env.SEATS ?? 500);
const N = Number(process.env.BUYERS ?? 2_000);
const C = Number(process.env.CONCURRENCY ?? 64);
const PRESOLD = Number(process.env.PRESOLD ?? 50_000);
const WARMUP = Number(process.env.WARMUP ?? N);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

// The per-buyer limit (F23) is checked on every purchase as usual; set high so that a run with few
// BUYERS (each buys once per event per run, more only in a long WARMUP) measures sales, not refusals.
const rt = await startBenchRuntime({ ADMIN_PASSWORD: 'bench-admin-password', MAX_TICKETS_PER_BUYER: '1000000' }, { pooled: true });
console.log(`request path: ${rt.pooling}`);
const events = new pg.Pool({ connectionString: rt.eventsDatabaseUrl, max: 4 });
// The baseline's connections take the runtime's way to the database (the pooler, when there is one).
const pooledEvents = new pg.Pool({ connectionString: rt.eventsPooledUrl, max: C });
const saleStatement = new PgEventsStore(async () => pooledEvents);
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
    const sample: Record<number, string> = {};
    const t0 = performance.now();
    const run = await load({
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
            if (status >= 400 && status !== 422 && !sample[status]) sample[status] = body.slice(0, 300);
          },
        },
      ],
    });
    const wall = (performance.now() - t0) / 1000;
    if (Object.keys(sample).length) console.log('unexpected answers:', sample);
    if (run.failures) console.log(`${run.failures} attempts got no answer`);
    // How busy the runtime's one process was (near 1.0 = bound by its single core), and what an attempt costs it.
    const cpu = rt.cpuSeconds() - cpuBefore;
    const cpuMsPerAttempt = (cpu * 1000) / attempts;
    console.log(`runtime CPU during the run: ${round(cpu / wall, 2)} cores, ${round(cpuMsPerAttempt, 2)} ms per attempt`);
    const { rows } = await events.query('SELECT count(*)::int AS tickets, max(e.direct_sold)::int AS counter, max(e.seats)::int AS seats FROM events e LEFT JOIN tickets t ON t.event_id = e.id WHERE e.id = $1', [eventId]);
    return { ...run, ...rows[0], cpuMsPerAttempt } as LoadResult & { tickets: number; counter: number; seats: number; cpuMsPerAttempt: number };
  }

  /**
   * `run` with the audit trigger a purchase fires switched off (DDL between runs, never during one):
   * the ticket's. The seat counter's update fires none (its trigger is `UPDATE OF` the recorded columns).
   */
  const AUDIT_TRIGGERS = [['tickets', 'tickets_audit']];
  const auditTriggers = (on: boolean) =>
    events.query(AUDIT_TRIGGERS.map(([table, trigger]) => `ALTER TABLE ${table} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`).join('; '));
  async function withoutAudit<T>(run: () => Promise<T>): Promise<T> {
    await auditTriggers(false);
    try {
      return await run();
    } finally {
      await auditTriggers(true);
    }
  }

  /** An event that has already sold PRESOLD tickets and has K seats left. */
  async function presoldEvent(): Promise<number> {
    const id = await newEvent(PRESOLD + K);
    await events.query(`INSERT INTO tickets (code, event_id) SELECT 'presold-' || $1::bigint || '-' || g, $1::bigint FROM generate_series(1, $2::int) g`, [id, PRESOLD]);
    await events.query('UPDATE events SET direct_sold = direct_sold + $2 WHERE id = $1', [id, PRESOLD]);
    return id;
  }

  /** Baseline: the service's own sale statement, straight into the same database through the same pooler. */
  async function baselineRun() {
    const { rows } = await events.query("INSERT INTO events (id_owner, name, seats) VALUES (1, 'bench-baseline-' || gen_random_uuid(), $1) RETURNING id", [K]);
    const eventId = Number(rows[0].id);
    const latencies: number[] = [];
    let sold = 0;
    const t0 = performance.now();
    await pool(Array.from({ length: N }, (_, i) => i), C, async () => {
      const t = performance.now();
      const sale = await saleStatement.sellTicket({ code: randomUUID(), target: { kind: 'event', id: eventId } });
      if (sale.kind === 'sold') sold++;
      latencies.push(performance.now() - t);
    });
    return { perSecond: N / ((performance.now() - t0) / 1000), sold, latencyMs: latencyPercentiles(latencies) };
  }

  // ── the events that have sold PRESOLD tickets, made up front: then the vacuum and checkpoint that
  //    50 000 inserts set off happen here, not inside a measured run ──
  const loadedEvents: number[] = [];
  for (let pass = 0; pass < ROUNDS; pass++) loadedEvents.push(await presoldEvent());
  await events.query('VACUUM ANALYZE tickets');
  await events.query('CHECKPOINT').catch(() => {}); // superuser only; without it the vacuum still settles most

  // ── warm-up (not measured): the runtime's JIT compiles the purchase path, pools fill; the
  //    baseline's too (64 connections to open) ──
  await purchaseRun(await newEvent(K), WARMUP);
  await baselineRun();

  // ── ROUNDS × (ours on a fresh event, ours after PRESOLD sold, baseline), interleaved so that the
  //    machine's drift touches both sides alike; the ratios are the medians over the rounds ──
  const table = [];
  const ratios: number[] = [];
  const growths: number[] = [];
  const auditCosts: number[] = [];
  let oversold = false;
  for (let pass = 1; pass <= ROUNDS; pass++) {
    const freshEvent = await newEvent(K);
    const loadedEvent = loadedEvents[pass - 1]!;
    const unauditedEvent = await newEvent(K);
    let fresh: Awaited<ReturnType<typeof purchaseRun>>;
    let loaded: typeof fresh;
    let unaudited: typeof fresh;
    // The order alternates, so that no run always comes on the heels of the baseline, and the runs
    // with and without audit triggers are neighbours, each first every other round (drift cancels).
    if (pass % 2) {
      fresh = await purchaseRun(freshEvent);
      unaudited = await withoutAudit(() => purchaseRun(unauditedEvent));
      loaded = await purchaseRun(loadedEvent);
    } else {
      loaded = await purchaseRun(loadedEvent);
      unaudited = await withoutAudit(() => purchaseRun(unauditedEvent));
      fresh = await purchaseRun(freshEvent);
    }
    const baseline = await baselineRun();
    oversold ||= fresh.tickets > K || loaded.tickets > loaded.seats || unaudited.tickets > K;
    const ours = (label: string, run: typeof fresh, ticketRows: number, seats: number) => ({
      run: `${pass}: ours, ${label}`,
      sold: run.statuses[201] ?? 0,
      ticketRows,
      oversell: Math.max(0, run.tickets - seats),
      attemptsPerSecond: round(run.perSecond),
      p50ms: run.latencyMs.p50,
      p95ms: run.latencyMs.p95,
      p99ms: run.latencyMs.p99,
      cpuMsPerAttempt: round(run.cpuMsPerAttempt, 2),
      statuses: JSON.stringify(run.statuses),
    });
    table.push(
      ours(`fresh event (K=${K})`, fresh, fresh.tickets, K),
      ours(`after ${PRESOLD} sold`, loaded, loaded.tickets - PRESOLD, loaded.seats),
      ours(`fresh event, audit trigger off`, unaudited, unaudited.tickets, K),
      { run: `${pass}: baseline, the sale statement straight with pg`, sold: baseline.sold, ticketRows: baseline.sold, oversell: 0, attemptsPerSecond: round(baseline.perSecond), p50ms: baseline.latencyMs.p50, p95ms: baseline.latencyMs.p95, p99ms: baseline.latencyMs.p99, cpuMsPerAttempt: 0, statuses: '-' },
    );
    ratios.push(fresh.perSecond / baseline.perSecond);
    growths.push(loaded.perSecond / fresh.perSecond);
    auditCosts.push(fresh.perSecond / unaudited.perSecond);
  }
  printTable(`Purchases: N=${N} buyers, K=${K} seats, concurrency ${C}, ${ROUNDS} rounds`, table);
  const ratio = median(ratios);
  const growth = median(growths);
  const auditCost = median(auditCosts);
  const freshRows = table.filter((r) => r.run.includes('fresh') && !r.run.includes('audit'));
  const loadedRows = table.filter((r) => r.run.includes('after'));
  /** p99 over the rounds: the median and the worst (every round of ours is held to the target). */
  const p99s = (rows: typeof freshRows) => `median ${median(rows.map((r) => r.p99ms))}, worst ${Math.max(...rows.map((r) => r.p99ms))}`;
  const peak = rt.peakRssMiB();
  const list = (values: number[]) => values.map((v) => round(v, 2)).join(', ');
  const cpuMs = median(freshRows.map((r) => r.cpuMsPerAttempt));
  console.log(`\nours / limit (the sale statement straight with pg) = ${round(ratio, 2)} (median of ${list(ratios)}; target ≥ 0.5)`);
  console.log(`runtime CPU per purchase attempt, fresh event: median ${cpuMs} ms`);
  console.log(`after ${PRESOLD} sold / fresh = ${round(growth, 2)} (median of ${list(growths)}; target ≥ 0.9)`);
  console.log(`audit on / audit off = ${round(auditCost, 2)} (median of ${list(auditCosts)}; target ≥ 0.9)`);
  console.log(`sold == K in every round: ${freshRows.every((r) => r.sold === K && r.ticketRows === K)}, oversell: ${oversold ? 'YES' : 0}`);
  console.log(`p99 ms, fresh event: ${p99s(freshRows)}; after ${PRESOLD} sold: ${p99s(loadedRows)} (target ≤ 250)`);
  console.log(`peak RSS of the runtime process: ${round(peak)} MiB`);
  writeResult('purchase', {
    inputs: { seats: K, buyers: N, concurrency: C, presold: PRESOLD, rounds: ROUNDS, warmupAttempts: WARMUP, database: process.env.DATABASE_URL ? 'external PostgreSQL' : 'embedded PostgreSQL', requestPath: rt.pooling },
    runtimeCpuMsPerAttempt: cpuMs,
    runs: table,
    ratios: {
      oursOverBaseline: round(ratio, 2),
      loadedOverFresh: round(growth, 2),
      auditOnOverOff: round(auditCost, 2),
      perRound: { oursOverBaseline: ratios.map((r) => round(r, 2)), loadedOverFresh: growths.map((g) => round(g, 2)), auditOnOverOff: auditCosts.map((a) => round(a, 2)) },
    },
    peakRssMiB: round(peak),
  });
  if (oversold) process.exitCode = 1; // an oversell is a bug, not a number
} finally {
  await events.end();
  await pooledEvents.end();
  await rt.stop();
}
