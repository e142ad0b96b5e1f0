import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../infra/local/ports.ts';

/**
 * PgBouncer in transaction mode in front of a PostgreSQL server: the local stand-in for RDS Proxy.
 * Every database of the server is reachable under its own name, as any role of the server
 * (looked up in the server's own catalogue through `auth_query`). A session pinned by a named prepared statement, a session SET, an advisory lock, a
 * temporary table or LISTEN breaks here as it would pin (or break) RDS Proxy: that is the point.
 *
 * Needs the `pgbouncer` binary (Debian: `apt-get install -y pgbouncer`).
 *   CLI: `tsx scripts/pgbouncer.ts [port]` (upstream: DATABASE_ADMIN_URL or DATABASE_URL) prints the
 *   pooled URL and PgBouncer's pid, and runs until SIGINT / SIGTERM.
 */
export interface PgBouncer {
  /** The upstream URL with host and port of the pooler. */
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export async function startPgBouncer(options: {
  upstream: string;
  port?: number;
  poolSize?: number;
  /** Clients must speak TLS, to this certificate (PEM files), as RDS Proxy's `requireTLS`. */
  tls?: { certFile: string; keyFile: string };
}): Promise<PgBouncer> {
  const upstream = new URL(options.upstream);
  const port = options.port || (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'tix-pgbouncer-'));
  const adminUser = decodeURIComponent(upstream.username) || 'postgres';
  writeFileSync(join(dir, 'users.txt'), `"${adminUser}" "${decodeURIComponent(upstream.password)}"\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${upstream.hostname} port=${upstream.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize ?? 20}`,
      'max_client_conn = 1000',
      // A server that trusts local connections (CI's): PgBouncer trusts too; one with passwords (the
      // embedded PostgreSQL): clients prove theirs against the server's SCRAM secrets.
      `auth_type = ${upstream.password ? 'scram-sha-256' : 'trust'}`,
      `auth_file = ${join(dir, 'users.txt')}`,
      `auth_user = ${adminUser}`,
      // What node-postgres sends at start-up; pgbouncer refuses unknown start-up parameters.
      'ignore_startup_parameters = extra_float_digits,options',
      'server_reset_query =',
      ...(options.tls ? ['client_tls_sslmode = require', `client_tls_cert_file = ${options.tls.certFile}`, `client_tls_key_file = ${options.tls.keyFile}`] : []),
      'log_connections = 0',
      'log_disconnections = 0',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root; CI runs as root.
  chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn('pgbouncer', [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  if (process.env.PGBOUNCER_DEBUG) child.stderr!.pipe(process.stderr);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = new URL(upstream);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return { url: url.toString(), port, pid: child.pid!, stop };
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}): ${stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`pgbouncer did not listen on ${port}: ${stderr()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const upstream = process.env.DATABASE_ADMIN_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const bouncer = await startPgBouncer({ upstream, port: Number(process.argv[2] ?? 0) });
  console.log(`${bouncer.url}\n${bouncer.pid}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void bouncer.stop().then(() => process.exit(0)));
}
