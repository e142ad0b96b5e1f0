
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

/**
 * A plain value from `NAME`, or the secret at `NAME_SECRET_ARN` (optionally one JSON key of it);
 * `fresh`: fetched again rather than from this container's cache (keys that rotate).
 */
async function plainOrSecret(name: string, hint: string, jsonKey?: string, fresh = false): Promise<string> {
  const plain = read(name);
  if (plain !== undefined) return plain;
  const arn = read(`${name}_SECRET_ARN`);
  if (arn === undefined) throw new ConfigError(`${name} (or ${name}_SECRET_ARN) is not set: ${hint}`);
  const secret = await (fresh ? fetchSecret(arn) : secretValue(arn));
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

export const jwtConfig = once(async () => ({
  issuer: read('JWT_ISSUER') ?? 'tix-idm',
  ttlSeconds: integer('JWT_TTL_SECONDS', 3600, 60, 86_400),
  /** How long a container keeps the keys before reading them again (a rotation reaches it by then). */
  keysTtlSeconds: integer('JWT_KEYS_TTL_SECONDS', 300, 1, 86_400),
}));

/**
 * The token keys (ES256), read afresh on every call (the caller caches them for `keysTtlSeconds`):
 *  - `JWT_SIGNING_KEY` (or `…_SECRET_ARN`): the current private key as a JWK with its `kid`; only
 *    the functions that sign tokens have it;
 *  - `JWT_PUBLIC_KEYS` (or `…_SECRET_ARN`): the JWKS every verifier trusts (the current key and the
 *    previous ones still within their tokens' lifetime). Without it, the signing key's public half.
 */
export async function jwtKeyMaterial(): Promise<{ signingKey?: string; publicKeys?: string }> {
  const optional = async (name: string) =>
    read(name) !== undefined || read(`${name}_SECRET_ARN`) !== undefined ? plainOrSecret(name, '', undefined, true) : undefined;
  const [signingKey, publicKeys] = await Promise.all([optional('JWT_SIGNING_KEY'), optional('JWT_PUBLIC_KEYS')]);
  if (signingKey === undefined && publicKeys === undefined) {
    throw new ConfigError('JWT_PUBLIC_KEYS (or JWT_PUBLIC_KEYS_SECRET_ARN) is not set: the JWKS that verifies tokens');
  }
  return { signingKey, publicKeys };
}

// ── stores ───────────────────────────────────────────────────────────────────────────────────

export type Database = 'idm' | 'events';

/** Name of a service's database on the server (`IDM_DB_NAME` / `EVENTS_DB_NAME`). */
export const databaseName = (db: Database): string =>
  read(`${db.toUpperCase()}_DB_NAME`) ?? (db === 'idm' ? 'idm' : 'event_manager');

/**
 * The PostgreSQL server the request path talks to, as a URL of its `postgres` database:
 * `DATABASE_URL` locally (which may point at a pooler in transaction mode, e.g. PgBouncer), or, in
 * the cloud, the RDS Proxy endpoint (`DB_HOST`, `DB_PORT`); the credentials are then the service's
 * own role (see `serviceRole`). Without `DB_HOST`, the RDS secret (`DB_SECRET_ARN`) names the host.
 */
export const databaseServerUrl = once(async (): Promise<string> => {
  const url = read('DATABASE_URL');
  if (url) return url;
  const host = read('DB_HOST');
  if (host) return `postgres://${host}:${read('DB_PORT') ?? 5432}/postgres?${tlsParameters()}`;
  return masterSecretUrl();
});

/**
 * The direct connection for migrations and database/role creation (never through a pooler: they
 * hold an advisory lock and run DDL): `DATABASE_ADMIN_URL`, else `DATABASE_URL`, else, in the
 * cloud, the RDS master secret (`DB_SECRET_ARN`), which only the migration function may read.
 */
export const databaseAdminUrl = once(async (): Promise<string> => read('DATABASE_ADMIN_URL') ?? read('DATABASE_URL') ?? masterSecretUrl());

async function masterSecretUrl(): Promise<string> {
  const arn = require('DB_SECRET_ARN', 'set DATABASE_URL (or IDM_DATABASE_URL and EVENTS_DATABASE_URL) locally, DB_HOST or DB_SECRET_ARN in the cloud');
  const s = JSON.parse(await secretValue(arn)) as Record<string, string | number>;
  const auth = `${encodeURIComponent(String(s.username))}:${encodeURIComponent(String(s.password))}`;
  return `postgres://${auth}@${s.host}:${s.port ?? 5432}/postgres?${tlsParameters()}`;
}

/**
 * TLS towards RDS: verified against the CA bundle shipped with the functions (`DB_CA_FILE`, see
 * shared/kernel/tls.ts). `DB_SSLMODE` overrides (`disable` for LocalStack's PostgreSQL container).
 */
const tlsParameters = (): string => {
  const mode = read('DB_SSLMODE') ?? 'verify-full';
  const ca = read('DB_CA_FILE');
  return ca && mode.startsWith('verify') ? `sslmode=${mode}&sslrootcert=${encodeURIComponent(ca)}` : `sslmode=${mode}`;
};

/**
 * The PostgreSQL role a service logs in as (`IDM_DB_USER` + `IDM_DB_PASSWORD`, or the secret at
 * `IDM_DB_SECRET_ARN` with `username` and `password`; likewise `EVENTS_…`). The migrations create it
 * with rights on its own database only. Unset: the credentials of the server URL are used as they are.
 */
export const serviceRole = (db: Database) => roleLoaders[db]();
/**
 * The audit reader's role (`AUDIT_DB_USER` + `AUDIT_DB_PASSWORD`, or `AUDIT_DB_SECRET_ARN`): it may
 * connect to both databases and only read their `audit_log`. Unset: the services' credentials.
 */
export const auditRole = () => roleLoaders.audit();
const roleLoader = (prefix: string) =>
  once(async (): Promise<{ user: string; password: string } | undefined> => {
    const arn = read(`${prefix}_DB_SECRET_ARN`);
    if (arn) {
      const s = JSON.parse(await secretValue(arn)) as Record<string, unknown>;
      if (typeof s.username !== 'string' || typeof s.password !== 'string') throw new ConfigError(`secret ${arn} needs "username" and "password"`);
      return { user: s.username, password: s.password };
    }
    const user = read(`${prefix}_DB_USER`);
    if (user === undefined) return undefined;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(user)) throw new ConfigError(`${prefix}_DB_USER is invalid: a lower-case PostgreSQL identifier expected`);
    return { user, password: require(`${prefix}_DB_PASSWORD`, `the password of the ${user} role`) };
  });
const roleLoaders = { idm: roleLoader('IDM'), events: roleLoader('EVENTS'), audit: roleLoader('AUDIT') };

/**
 * Connection URL of a service's database for the request path: `IDM_DATABASE_URL` /
 * `EVENTS_DATABASE_URL`, else the service database on the server; logged in as the service's role
 * when one is configured.
 */
export const databaseUrl = (db: Database) => dbUrlLoaders[db]();
/** The same database for the audit reader: as its own role when one is configured (`auditRole`). */
export const auditDatabaseUrl = (db: Database) => auditUrlLoaders[db]();
const dbUrlLoader = (db: Database, as: () => Promise<{ user: string; password: string } | undefined> = () => serviceRole(db)) =>
  once(async () => {
    const url = new URL(read(`${db.toUpperCase()}_DATABASE_URL`) ?? (await databaseServerUrl()));
    if (!read(`${db.toUpperCase()}_DATABASE_URL`)) url.pathname = `/${databaseName(db)}`;
    const role = await as();
    if (role) {
      url.username = encodeURIComponent(role.user);
      url.password = encodeURIComponent(role.password);
    }
    return url.toString();
  });
const dbUrlLoaders = { idm: dbUrlLoader('idm'), events: dbUrlLoader('events') };
const auditUrlLoaders = {
  idm: dbUrlLoader('idm', async () => (await auditRole()) ?? serviceRole('idm')),
  events: dbUrlLoader('events', async () => (await auditRole()) ?? serviceRole('events')),
};

/**
 * A service's database on the direct admin connection (migrations, grants): the database of
 * `IDM_DATABASE_URL` / `EVENTS_DATABASE_URL` (or `IDM_DB_NAME` / `EVENTS_DB_NAME`) on `DATABASE_ADMIN_URL`'s
 * server; without `DATABASE_ADMIN_URL`, an explicit service URL is used as it is.
 */
export async function databaseAdminUrlOf(db: Database): Promise<string> {
  const explicit = read(`${db.toUpperCase()}_DATABASE_URL`);
  if (explicit && !read('DATABASE_ADMIN_URL')) return explicit;
  const url = new URL(await databaseAdminUrl());
  url.pathname = explicit ? new URL(explicit).pathname : `/${databaseName(db)}`;
  return url.toString();
}

export const mongoConfig = once(async () => ({
  url: await plainOrSecret('MONGODB_URL', 'the MongoDB / DocumentDB connection string'),
  database: read('USERS_DB_NAME') ?? 'user_service',
}));

/** Redis for the token blacklist and login throttling; absent → in-memory fallback. */
export const redisUrl = once((): string | undefined => read('REDIS_URL'));

/**
 * The Redis ACL user (ElastiCache RBAC) when its password is a secret, not part of REDIS_URL:
 * `REDIS_AUTH_SECRET_ARN` → `{"username","password"}`. Unset: whatever REDIS_URL carries.
 */
export const redisAuth = once(async (): Promise<{ username: string; password: string } | undefined> => {
  const arn = read('REDIS_AUTH_SECRET_ARN');
  if (arn === undefined) return undefined;
  const s = JSON.parse(await secretValue(arn)) as Record<string, unknown>;
  if (typeof s.username !== 'string' || typeof s.password !== 'string') throw new ConfigError(`secret ${arn} needs "username" and "password"`);
  return { username: s.username, password: s.password };
});

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

// ── DynamoDB (idempotency records of purchases, token revocations) ───────────────────────────────

/** `DYNAMODB_ENDPOINT` points at dynalite locally; unset in the cloud (the SDK's default endpoint). */
export const dynamoConfig = once(() => ({
  endpoint: read('DYNAMODB_ENDPOINT'),
  region: read('AWS_REGION') ?? read('AWS_DEFAULT_REGION') ?? 'us-east-1',
  idempotencyTable: read('IDEMPOTENCY_TABLE') ?? 'tix-idempotency',
  /** The durable copy of token revocations; unset: none (a one-process runtime, memory fallback). */
  revocationsTable: read('REVOCATIONS_TABLE'),
}));
