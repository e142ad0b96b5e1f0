import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Embedded, startEmbeddedPostgres } from '../infra/local/embedded.ts';
import { freePort } from '../infra/local/ports.ts';
import { dropDatabase } from '../shared/kernel/migrations.ts';
import { type PgBouncer, startPgBouncer } from '../scripts/pgbouncer.ts';

/**
 * The real local runtime for a benchmark, in a process of its own (the load generator must not
 * share its event loop), on fresh databases of a PostgreSQL server: DATABASE_URL (the machine's)
 * when set, else an embedded one started here.
 */
export interface BenchRuntime {
  url: string;
  pid: number;
  /** The server of the service databases, and each database's URL (for baselines and checks). */
  serverUrl: string;
  eventsDatabaseUrl: string;
  /** The events database through the pooler the runtime uses (PgBouncer), or direct without one. */
  eventsPooledUrl: string;
  /** What the runtime's request path connects through: 'PgBouncer (transaction mode)' or 'direct'. */
  pooling: string;
  env: Record<string, string>;
  /** Peak resident memory of the runtime process so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  /** CPU seconds (user + system) the runtime process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * `pooled`: the request path goes through PgBouncer in transaction mode (the local stand-in for RDS
 * Proxy; migrations direct), when the `pgbouncer` binary is installed; else direct, and it says so.
 */
export async function startBenchRuntime(extraEnv: Record<string, string> = {}, options: { pooled?: boolean } = {}): Promise<BenchRuntime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tix-bench-'));
  let embedded: Embedded | undefined;
  const serverUrl = process.env.DATABASE_URL ?? (embedded = await startEmbeddedPostgres(dataDir, 'bench')).url;
  let pooler: PgBouncer | undefined;
  if (options.pooled) {
    pooler = await startPgBouncer({ upstream: serverUrl }).catch((error: unknown) => {
      console.log(`no PgBouncer (${String(error).split('\n')[0]}): the runtime connects directly`);
      return undefined;
    });
  }
  const run = `tix_bench_${process.pid}_${Date.now()}`;
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH!,
    PORT: String(port),
    GRPC_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    DATABASE_URL: pooler?.url ?? serverUrl,
    DATABASE_ADMIN_URL: serverUrl,
    IDM_DB_NAME: `${run}_idm`,
    EVENTS_DB_NAME: `${run}_events`,
    USERS_DB_NAME: `${run}_users`,
    LOG_LEVEL: 'ERROR',
    BCRYPT_COST: '4', // pre-registering thousands of buyers must not take minutes; purchases never hash
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: '1000000000', // the buyers all register from 127.0.0.1
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...(process.env.MONGODB_URL ? { MONGODB_URL: process.env.MONGODB_URL } : {}),
    ...extraEnv,
  };
  // BENCH_CPU_PROF=<dir>: write a V8 CPU profile of the runtime when it stops (to find the cause of a miss).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', 'infra/local/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`runtime exited:\n${output}`);
    try {
      if ((await fetch(`${url}/api/user-manager/ready`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() - started > 60_000) throw new Error(`runtime not ready in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const eventsOf = (server: string) => {
    const events = new URL(server);
    events.pathname = `/${env.EVENTS_DB_NAME}`;
    return events.toString();
  };
  return {
    url,
    pid: child.pid!,
    serverUrl,
    eventsDatabaseUrl: eventsOf(serverUrl),
    eventsPooledUrl: eventsOf(pooler?.url ?? serverUrl),
    pooling: pooler ? 'PgBouncer (transaction mode)' : 'direct',
    env,
    peakRssMiB: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100 Hz)
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      // BENCH_LOG=<file>: keep what the runtime logged (LOG_LEVEL=ERROR: its failures), to explain odd answers.
      if (process.env.BENCH_LOG) writeFileSync(process.env.BENCH_LOG, output);
      // The run's databases go with it: a benchmark leaves nothing behind on the server it used.
      await pooler?.stop();
      for (const name of [env.IDM_DB_NAME!, env.EVENTS_DB_NAME!]) await dropDatabase(serverUrl, name);
      await embedded?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** JSON request helper for benchmark set-up. */
export async function api(url: string, method: string, path: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(url + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!, i);
      }
    }),
  );
  return results;
}
