
/**
 * Configuration, read from the environment and validated once per cold start (each loader is
 * memoised). Secrets come from AWS Secrets Manager in the cloud (`*_SECRET_ARN`) and from generated
 * local defaults locally (the local runtime writes them into the environment). Each function reads
 * only the parts it needs, so a missing variable fails only where it matters, with a clear message.
 */

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const read = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
};

function require(name: string, hint: string): string {
  const value = read(name);
  if (value === undefined) throw new ConfigError(`${name} is not set: ${hint}`);
  return value;
}

// Plain validators rather than a schema library: every function, even the authorizer, loads this.

function url(name: string, fallback: string): string {
  const value = read(name) ?? fallback;
  try {
    new URL(value);
  } catch {
    throw new ConfigError(`${name} is invalid: not a URL: ${value}`);
  }
  return value.replace(/\/+$/, '');
}

function integer(name: string, fallback: number, min: number, max: number): number {
  const text = read(name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} is invalid: expected an integer from ${min} to ${max}, got ${text}`);
  }
  return value;
}

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = (read(name) ?? fallback) as T;
  if (!allowed.includes(value)) throw new ConfigError(`${name} is invalid: expected one of ${allowed.join(', ')}`);
  return value;
}

/** Memoise a loader; a failed load is retried on the next call (a transient Secrets Manager error). */
export function once<T>(load: () => T): () => T {
  let cached: { value: T } | undefined;
  return () => {
    if (cached) return cached.value;
    const value = load();
    if (value instanceof Promise) value.catch(() => (cached = undefined));
    cached = { value };
    return value;
  };
}

// ── secrets ──────────────────────────────────────────────────────────────────────────────────

/** Secret values by ARN, fetched once per container. */
const fetchSecret = async (arn: string): Promise<string> => {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ endpoint: read('AWS_ENDPOINT_URL') });
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString) throw new ConfigError(`secret ${arn} has no string value`);
  return out.SecretString;
};
const secretCache = new Map<string, Promise<string>>();
export function secretValue(arn: string): Promise<string> {
  let value = secretCache.get(arn);
  if (!value) {
    value = fetchSecret(arn);
    value.catch(() => secretCache.delete(arn));
    secretCache.set(arn, value);
  }
  return value;
}

/** A plain value from `NAME`, or the secret at `NAME_SECRET_ARN` (optionally one JSON key of it). */
async function plainOrSecret(name: string, hint: string, jsonKey?: string): Promise<string> {
  const plain = read(name);
  if (plain !== undefined) return plain;
  const arn = read(`${name}_SECRET_ARN`);
  if (arn === undefined) throw new ConfigError(`${name} (or ${name}_SECRET_ARN) is not set: ${hint}`);
  const secret = await secretValue(arn);
  if (jsonKey === undefined) return secret;
  const value = (JSON.parse(secret) as Record<string, unknown>)[jsonKey];
  if (typeof value !== 'string' || !value) throw new ConfigError(`secret ${arn} has no "${jsonKey}"`);
  return value;
}

// ── HTTP ─────────────────────────────────────────────────────────────────────────────────────

const DEFAULT_ORIGINS = 'http://localhost:3000,http://localhost:5173';

export const httpConfig = once(() => ({
  /** Absolute base URL of the public API: every `_links` href starts with it (CONTRACT F16). */
  publicBaseUrl: url('PUBLIC_BASE_URL', 'http://localhost:3000'),
  /** Browser origins allowed by CORS. */
  corsOrigins: (read('CORS_ORIGINS') ?? DEFAULT_ORIGINS).split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean),
  /** Handlers verify the token themselves when no authorizer ran (LocalStack free tier, local runtime). */
  authFallback: oneOf('AUTH_FALLBACK', ['on', 'off'], 'on') === 'on',
}));

// ── tokens ───────────────────────────────────────────────────────────────────────────────────

export const jwtConfig = once(async () => {
  const secret = await plainOrSecret('JWT_SECRET', 'the HS256 signing key (at least 32 characters)');
  if (secret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters long');
  return {
    key: new TextEncoder().encode(secret),
    issuer: read('JWT_ISSUER') ?? 'tix-idm',
    ttlSeconds: integer('JWT_TTL_SECONDS', 3600, 60, 86_400),
  };
});

// ── stores ───────────────────────────────────────────────────────────────────────────────────

export type Database = 'idm' | 'events';

/** Name of a service's database on the server (`IDM_DB_NAME` / `EVENTS_DB_NAME`). */
export const databaseName = (db: Database): string =>
  read(`${db.toUpperCase()}_DB_NAME`) ?? (db === 'idm' ? 'idm' : 'event_manager');

/**
 * The PostgreSQL server holding both service databases, as a URL of its `postgres` database:
 * `DATABASE_URL` locally, or, in the cloud, the RDS secret (`DB_SECRET_ARN`: host, port, username,
 * password).
 */
export const databaseServerUrl = once(async (): Promise<string> => {
  const url = read('DATABASE_URL');
  if (url) return url;
  const arn = require('DB_SECRET_ARN', 'set DATABASE_URL (or IDM_DATABASE_URL and EVENTS_DATABASE_URL) locally, DB_SECRET_ARN in the cloud');
  const s = JSON.parse(await secretValue(arn)) as Record<string, string | number>;
  const auth = `${encodeURIComponent(String(s.username))}:${encodeURIComponent(String(s.password))}`;
  return `postgres://${auth}@${s.host}:${s.port ?? 5432}/postgres?sslmode=${read('DB_SSLMODE') ?? 'no-verify'}`;
});

/** Connection URL of a service's database: `IDM_DATABASE_URL` / `EVENTS_DATABASE_URL`, else on the server. */
export const databaseUrl = (db: Database) => dbUrlLoaders[db]();
const dbUrlLoader = (db: Database) =>
  once(async () => {
    const explicit = read(`${db.toUpperCase()}_DATABASE_URL`);
    if (explicit) return explicit;
    const url = new URL(await databaseServerUrl());
    url.pathname = `/${databaseName(db)}`;
    return url.toString();
  });
const dbUrlLoaders = { idm: dbUrlLoader('idm'), events: dbUrlLoader('events') };

export const mongoConfig = once(async () => ({
  url: await plainOrSecret('MONGODB_URL', 'the MongoDB / DocumentDB connection string'),
  database: read('USERS_DB_NAME') ?? 'user_service',
}));

/** Redis for the token blacklist and login throttling; absent → in-memory fallback. */
export const redisUrl = once((): string | undefined => read('REDIS_URL'));

// ── service account and service-to-service calls ─────────────────────────────────────────────

/** The service account's e-mail alone (the IDM mints its token and needs no password). */
export const serviceAccountEmail = once((): string => read('SERVICE_ACCOUNT_EMAIL') ?? 'clients_service@system.local');

export const serviceAccount = once(async () => ({
  email: serviceAccountEmail(),
  password: await plainOrSecret('SERVICE_ACCOUNT_PASSWORD', 'the service account password', 'password'),
}));

/**
 * The deployed name of the internal service-token issuer (functions/idm/issue-service-token.ts),
 * set by the CDK stack on the user manager's functions; unset locally (invoked in-process).
 */
export const serviceTokenFunction = once((): string | undefined => read('SERVICE_TOKEN_FUNCTION'));

/** The seeded admin (CONTRACT F6: admins come from configuration, never from registration). */
export const adminAccount = once(async () => ({
  email: read('ADMIN_EMAIL') ?? 'admin@tix.local',
  password: await plainOrSecret('ADMIN_PASSWORD', 'the seeded admin password', 'password'),
}));

/** Base URL the services use to call each other's public API (through API Gateway in the cloud). */
export const internalBaseUrl = once(() =>
  url('INTERNAL_BASE_URL', read('PUBLIC_BASE_URL') ?? 'http://localhost:3000'),
);

export const bcryptCost = once(() => integer('BCRYPT_COST', 10, 4, 15));

/** Registrations one client address may make per hour (CONTRACT F23). */
export const registrationsPerAddressPerHour = once(() => integer('REGISTRATIONS_PER_ADDRESS_PER_HOUR', 100, 1, 1_000_000_000));

/** CONTRACT F23: how many tickets one buyer may hold for one event, and for one packet. */
export const maxTicketsPerBuyer = once(() => integer('MAX_TICKETS_PER_BUYER', 10, 1, 1_000_000));

// ── DynamoDB (idempotency records of purchases) ───────────────────────────────────────────────

/** `DYNAMODB_ENDPOINT` points at dynalite locally; unset in the cloud (the SDK's default endpoint). */
export const dynamoConfig = once(() => ({
  endpoint: read('DYNAMODB_ENDPOINT'),
  region: read('AWS_REGION') ?? read('AWS_DEFAULT_REGION') ?? 'us-east-1',
  idempotencyTable: read('IDEMPOTENCY_TABLE') ?? 'tix-idempotency',
}));
