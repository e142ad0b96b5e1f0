import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DurableBlacklist, DynamoBlacklist, RedisBlacklist, REVOCATION_UNAVAILABLE } from '../../shared/auth/blacklist.ts';
import { RedisClient } from '../../shared/kernel/redis.ts';
import { ensureRevocationsTable } from '../../shared/users/infrastructure/dynamo-idempotency.ts';
import { call, stopApi } from '../support/api.ts';
import { tokenFor } from '../support/tokens.ts';
import { freePort } from '../../infra/local/ports.ts';

/**
 * Revocation never fails open (CONTRACT F14), with many containers: a token revoked by another
 * container is refused while Redis is paused (`CLIENT PAUSE`) and while it is stopped, because the
 * durable store answers; when neither answers, 503. Against a private redis-server started here
 * (not the shared one) and the run's dynalite. This file's process owns its environment.
 */
const env = process.env;
const table = `${env.REVOCATIONS_TABLE}_${randomUUID().slice(0, 8)}`;
const dynamo = () => new DynamoDBClient({ endpoint: env.DYNAMODB_ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const now = () => Math.floor(Date.now() / 1000);
const PROTECTED = '/api/event-manager/event-packets/999999901'; // a packet nobody made: 404 once through

let port: number;
let redis: ChildProcess | undefined;

async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const probe = new RedisClient(`redis://127.0.0.1:${port}`);
  for (let i = 0; i < 50; i++) {
    if (await probe.command('PING').then(() => true, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  probe.close();
}

async function stopRedis(): Promise<void> {
  const child = redis;
  redis = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A second, independent container's view of the same stores: its own memory, its own Redis connection. */
function otherContainer(table_ = table) {
  const client = new RedisClient(`redis://127.0.0.1:${port}`, { commandTimeoutMs: 300, connectTimeoutMs: 300 });
  const dynamoClient = dynamo();
  const list = new DurableBlacklist(new RedisBlacklist(client), new DynamoBlacklist(async () => dynamoClient, table_));
  return { list, close: () => (client.close(), dynamoClient.destroy()) };
}

/** `CLIENT PAUSE <ms> ALL` from an admin connection (it answers before the pause starts). */
async function pauseRedis(ms: number): Promise<void> {
  const admin = new RedisClient(`redis://127.0.0.1:${port}`);
  await admin.command('CLIENT', 'PAUSE', ms, 'ALL');
  admin.close();
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  await ensureRevocationsTable({ endpoint: env.DYNAMODB_ENDPOINT!, table });
  // The platform of this file talks to the private Redis and its own revocations table.
  env.REDIS_URL = `redis://127.0.0.1:${port}`;
  env.REVOCATIONS_TABLE = table;
});

afterAll(async () => {
  await stopApi();
  await stopRedis();
});

describe('a token revoked by another container', () => {
  it('is refused while Redis is paused, and a valid token still passes (the durable store answers)', async () => {
    const revoked = await tokenFor('owner-event');
    const valid = await tokenFor('owner-event');
    expect((await call('GET', PROTECTED, { token: valid.token })).status).toBe(404); // the platform is up
    const other = otherContainer();
    const { jti, exp } = JSON.parse(Buffer.from(revoked.token.split('.')[1]!, 'base64url').toString());
    await other.list.revoke(jti, exp);
    other.close();

    await pauseRedis(2_500);
    const started = Date.now();
    expect((await call('GET', PROTECTED, { token: revoked.token })).status).toBe(401);
    expect((await call('DELETE', '/api/event-manager/events/999999999', { token: valid.token })).status).toBe(404);
    expect(Date.now() - started).toBeLessThan(2_500); // answered during the pause, not after it
    await new Promise((resolve) => setTimeout(resolve, 2_600 - (Date.now() - started))); // the pause ends
  });

  it('is refused while Redis is stopped; a logout meanwhile is refused (503), not half-recorded', async () => {
    const revoked = await tokenFor('owner-event');
    const other = otherContainer();
    const { jti, exp } = JSON.parse(Buffer.from(revoked.token.split('.')[1]!, 'base64url').toString());
    await other.list.revoke(jti, exp);
    other.close();

    await stopRedis();
    try {
      expect((await call('GET', PROTECTED, { token: revoked.token })).status).toBe(401);
      expect((await call('POST', '/api/idm/auth/verify', { body: { token: revoked.token } })).body).toMatchObject({ valid: false, blacklisted: true });
      const fresh = await tokenFor('owner-event');
      expect((await call('GET', '/api/event-manager/event-packets/999999902', { token: fresh.token })).status).toBe(404);
      // A logout while Redis is down is refused (503) rather than half-recorded: the client retries.
      const logout = await call('POST', '/api/idm/auth/logout', { token: fresh.token });
      expect([logout.status, logout.body.code]).toEqual([503, REVOCATION_UNAVAILABLE]);
    } finally {
      await startRedis();
    }
  });
});

describe('when neither Redis nor the durable store answers', () => {
  it('the check refuses with 503, never an Allow; so does a logout', async () => {
    const lost = `${table}_gone`;
    const list = otherContainer(lost).list; // a table that does not exist: every durable call fails
    await stopRedis();
    try {
      await expect(list.isRevoked(randomUUID())).rejects.toMatchObject({ status: 503, code: REVOCATION_UNAVAILABLE });
      await expect(list.revoke(randomUUID(), now() + 60)).rejects.toMatchObject({ status: 503, code: REVOCATION_UNAVAILABLE });
    } finally {
      await startRedis();
    }
  });

  it('over HTTP: 503 from the authorizer and from the handlers, with a clear body', async () => {
    const { token } = await tokenFor('owner-event');
    await stopRedis();
    await dynamo().send(new DeleteTableCommand({ TableName: table }));
    try {
      const res = await call('GET', '/api/event-manager/event-packets/999999903', { token });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'authorization is unavailable right now; try again shortly', code: 'AUTHORIZER_UNAVAILABLE' });
      const verify = await call('POST', '/api/idm/auth/verify', { body: { token } });
      expect([verify.status, verify.body.code]).toEqual([503, REVOCATION_UNAVAILABLE]);
    } finally {
      await ensureRevocationsTable({ endpoint: env.DYNAMODB_ENDPOINT!, table });
      await startRedis();
    }
  });
});
