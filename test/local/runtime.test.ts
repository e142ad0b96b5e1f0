import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/ports.ts';

/**
 * `npm start` as a user runs it: a fresh data directory, no external servers (embedded defaults),
 * then Ctrl-C. Proves the 15-second start, the health and readiness answers, persistence across a
 * restart, a clean stop without orphan database processes, and a clear error for a taken port.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'tix-runtime-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The environment of a fresh shell: none of the external servers the test run itself uses. */
function freshEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'WARN' };
  for (const key of Object.keys(env)) {
    if (/(_DATABASE_URL|^DATABASE_URL|^MONGODB_URL|^REDIS_URL|^USERS_DB_NAME|^JWT_SIGNING_KEY|^JWT_PUBLIC_KEYS|^(IDM|EVENTS)_DB_|^DATABASE_ADMIN_URL|^SERVICE_ACCOUNT_|^ADMIN_|^PUBLIC_BASE_URL|^INTERNAL_BASE_URL|^CORS_ORIGINS|^BCRYPT_COST|^GRPC_PORT|^DYNAMODB_ENDPOINT)/.test(key)) delete env[key];
  }
  return env;
}

type Exit = number | NodeJS.Signals | null;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<Exit>;
}

async function start(port: number): Promise<Run> {
  const env = { ...freshEnv(port), GRPC_PORT: String(await freePort()) };
  const child = spawn('npm', ['start', '--silent'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
  return { child, output: () => output, exited };
}

/** Polls `url` until it answers 200; a runtime that exits meanwhile fails at once, with its output. */
async function waitForHealth(run: Run, url: string, deadlineMs: number): Promise<number> {
  const started = Date.now();
  let exited: Exit | undefined;
  void run.exited.then((code) => (exited = code));
  while (Date.now() - started < deadlineMs) {
    if (exited !== undefined) throw new Error(`npm start exited (${exited}) before ${url} answered:\n${run.output()}`);
    try {
      if ((await fetch(url)).status === 200) return Date.now() - started;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no healthy answer from ${url} within ${deadlineMs} ms:\n${run.output()}`);
}

const postgresProcesses = () => {
  try {
    return execFileSync('pgrep', ['-f', join(dataDir, 'postgres')], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
};

/** Ctrl-C (SIGINT) or SIGTERM to the whole process group, as a terminal or a supervisor sends it. */
async function stop(run: Run, signal: NodeJS.Signals) {
  // A runtime that already exited has no group left to signal; the failure that ended it is reported.
  if (run.child.exitCode !== null || run.child.signalCode !== null) return run.exited;
  process.kill(-run.child.pid!, signal);
  const code = await run.exited;
  expect(run.output()).toContain(`${signal}: stopping`);
  return code;
}
/** The runtime exits 0; npm around it re-raises the signal it was stopped with (or reports 130/143). */
const STOPPED: Exit[] = [0, 130, 143, 'SIGINT', 'SIGTERM'];

describe('npm start on a fresh machine', { timeout: 90_000 }, () => {
  it('serves the three health endpoints within 15 s, reports readiness, and stops cleanly', async () => {
    const port = await freePort();
    const run = await start(port);
    let stopped: Exit;
    try {
      await waitForHealth(run, `http://127.0.0.1:${port}/api/idm/health`, 15_000);
      for (const prefix of ['/api/idm', '/api/event-manager', '/api/user-manager']) {
        expect((await fetch(`http://127.0.0.1:${port}${prefix}/health`)).status).toBe(200);
        const ready = await fetch(`http://127.0.0.1:${port}${prefix}/ready`);
        const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };
        expect(ready.status, run.output()).toBe(200);
        expect(Object.keys(body.checks).length).toBeGreaterThan(0);
      }
      expect(run.output()).toMatch(/embedded PostgreSQL/);
      // A user for the restart test: identity in PostgreSQL, profile in the document store.
      const registered = await fetch(`http://127.0.0.1:${port}/api/idm/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'restart@example.com', password: 'secret123', role: 'client' }),
      });
      expect(registered.status).toBe(201);
      expect(postgresProcesses()).not.toBe('');
    } finally {
      stopped = await stop(run, 'SIGINT'); // asserted below, so that a failure above is the one reported
    }
    expect(STOPPED).toContain(stopped);
    expect(postgresProcesses()).toBe('');
  });

  it('keeps its data (identities, profiles) and generated secrets across a restart', async () => {
    const secrets = readFileSync(join(dataDir, 'local-secrets.json'), 'utf8');
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    const port = await freePort();
    const run = await start(port);
    let stopped: Exit;
    try {
      await waitForHealth(run, `http://127.0.0.1:${port}/api/event-manager/ready`, 15_000);
      expect(readFileSync(join(dataDir, 'local-secrets.json'), 'utf8')).toBe(secrets);
      const login = await fetch(`http://127.0.0.1:${port}/api/idm/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'restart@example.com', password: 'secret123' }),
      });
      const { token, user_id } = (await login.json()) as { token: string; user_id: string };
      const profile = await fetch(`http://127.0.0.1:${port}/api/user-manager/users/${user_id}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(profile.status, 'the profile survived the restart').toBe(200);
    } finally {
      stopped = await stop(run, 'SIGTERM'); // asserted below, so that a failure above is the one reported
    }
    expect(STOPPED).toContain(stopped);
    expect(postgresProcesses()).toBe('');
  });

  it('a taken port gives a clear error and leaves nothing running', async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const run = await start(port);
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(new RegExp(`port ${port} is already in use`));
    } finally {
      blocker.close();
    }
    expect(postgresProcesses()).toBe('');
  });
});
