import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, dropRole, ensureDatabase, grantAuditReader, grantServiceRole, migrate } from '../../shared/kernel/migrations.ts';
import { ensureRevocationsTable } from '../../shared/users/infrastructure/dynamo-idempotency.ts';
import { generateSigningKey, publicJwks } from '../../shared/auth/signing-keys.ts';
import { DEFAULT_REDIS_URL, redisAnswers } from './redis.ts';
import { type Embedded, startDynalite, startEmbeddedMongo, startEmbeddedPostgres } from '../../infra/local/embedded.ts';

/**
 * Real stores for the whole test run, provisioned once before the workers start (they inherit the
 * environment set here):
 *  - PostgreSQL: the server at DATABASE_URL (CI: the machine's PostgreSQL 15), else an embedded
 *    PostgreSQL 18; fresh databases for this run, migrated on DATABASE_ADMIN_URL (the direct
 *    connection; DATABASE_URL may be a pooler in transaction mode), dropped afterwards. The services
 *    log in as this run's own roles (created by the platform's migrations), dropped afterwards.
 *  - MongoDB: MONGODB_URL, else the embedded wire-compatible server (in memory).
 *  - DynamoDB (idempotency records): DYNAMODB_ENDPOINT, else dynalite (in memory); the platform
 *    creates the table.
 *  - Redis: REDIS_URL when set (CI: the machine's Redis 7), else Redis at its default local address
 *    when it answers: the Redis adapter tests need one and are skipped (saying why) without it.
 *    The platform itself uses Redis only when REDIS_URL is set, as in `npm start`.
 */
export default async function setup() {
  const env = process.env;
  const run = `tix_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const scratch = mkdtempSync(join(tmpdir(), 'tix-test-'));
  const stops: Array<() => Promise<void>> = [];

  env.LOG_LEVEL ??= 'SILENT';
  // The token keys, as the cloud has them: the IDM's private key and the JWKS everybody verifies with.
  const signingKey = generateSigningKey();
  env.JWT_SIGNING_KEY = JSON.stringify(signingKey);
  env.JWT_PUBLIC_KEYS = JSON.stringify(publicJwks([signingKey]));
  env.SERVICE_ACCOUNT_PASSWORD = randomBytes(16).toString('base64url');
  env.ADMIN_EMAIL = 'admin@tix.test';
  env.ADMIN_PASSWORD = randomBytes(16).toString('base64url');
  env.BCRYPT_COST = '4'; // the cost is configuration; tests need not pay 75 ms per hash
  // The suite registers hundreds of accounts from 127.0.0.1, and Redis keeps the count across runs:
  // lift the per-address limit (test/idm/registration-limit.test.ts sets its own, low one).
  env.REGISTRATIONS_PER_ADDRESS_PER_HOUR ??= '1000000000';
  env.TEST_DATA_DIR = scratch;

  let serverUrl = env.DATABASE_ADMIN_URL ?? env.DATABASE_URL;
  if (!serverUrl) {
    const pg: Embedded = await startEmbeddedPostgres(scratch, randomBytes(12).toString('hex'));
    stops.push(pg.stop);
    serverUrl = pg.url;
  }
  const pooledUrl = env.DATABASE_URL ?? serverUrl;
  env.TEST_POSTGRES_SERVER_URL = serverUrl;
  const onPooler = (url: string) => Object.assign(new URL(pooledUrl), { pathname: new URL(url).pathname }).toString();
  const idm = await ensureDatabase(serverUrl, `${run}_idm`);
  const events = await ensureDatabase(serverUrl, `${run}_events`);
  await migrate('idm', idm);
  await migrate('events', events);
  env.IDM_DATABASE_URL = onPooler(idm);
  env.EVENTS_DATABASE_URL = onPooler(events);
  env.IDM_DB_USER = `${run}_idm`;
  env.IDM_DB_PASSWORD = randomBytes(16).toString('base64url');
  env.EVENTS_DB_USER = `${run}_events`;
  env.EVENTS_DB_PASSWORD = randomBytes(16).toString('base64url');
  env.AUDIT_DB_USER = `${run}_audit`;
  env.AUDIT_DB_PASSWORD = randomBytes(16).toString('base64url');
  // The roles exist before any test: a test that calls a handler directly (no runtime started, so
  // no applySchema) must not depend on an earlier file having made them.
  await grantServiceRole(idm, { user: env.IDM_DB_USER, password: env.IDM_DB_PASSWORD });
  await grantServiceRole(events, { user: env.EVENTS_DB_USER, password: env.EVENTS_DB_PASSWORD });
  for (const db of [idm, events]) await grantAuditReader(db, { user: env.AUDIT_DB_USER, password: env.AUDIT_DB_PASSWORD });
  stops.push(async () => {
    await dropDatabase(serverUrl, `${run}_idm`);
    await dropDatabase(serverUrl, `${run}_events`);
    await dropRole(serverUrl, `${run}_idm`);
    await dropRole(serverUrl, `${run}_events`);
    await dropRole(serverUrl, `${run}_audit`);
  });

  if (!env.MONGODB_URL) {
    const mongo = await startEmbeddedMongo(undefined);
    stops.push(mongo.stop);
    env.MONGODB_URL = mongo.url;
  }
  env.USERS_DB_NAME = `${run}_users`;

  if (!env.DYNAMODB_ENDPOINT) {
    const dynamo = await startDynalite();
    stops.push(dynamo.stop);
    env.DYNAMODB_ENDPOINT = dynamo.url;
  }
  env.IDEMPOTENCY_TABLE = `${run}_idempotency`;
  env.REVOCATIONS_TABLE = `${run}_revocations`;
  // Here, not only by the platform: tests that use the blacklist without starting one need it too.
  await ensureRevocationsTable({ endpoint: env.DYNAMODB_ENDPOINT, table: env.REVOCATIONS_TABLE });

  const redisUrl = env.REDIS_URL || DEFAULT_REDIS_URL;
  if (await redisAnswers(redisUrl)) env.TEST_REDIS_URL = redisUrl;
  else {
    env.TEST_REDIS_SKIP_REASON = env.REDIS_URL ? `Redis at REDIS_URL does not answer` : `REDIS_URL not set and no Redis answers at ${DEFAULT_REDIS_URL}`;
    console.warn(`Redis adapter tests are skipped: ${env.TEST_REDIS_SKIP_REASON}`);
  }

  return async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => console.error('teardown:', e));
    rmSync(scratch, { recursive: true, force: true });
  };
}
