import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Config is read once per cold start: each test imports a fresh copy under its own environment. */
const saved = { ...process.env };
const fresh = () => import('../../shared/kernel/config.ts');
const secrets = mockClient(SecretsManagerClient);

beforeEach(() => {
  vi.resetModules();
  secrets.reset();
  for (const key of ['JWT_SIGNING_KEY', 'JWT_PUBLIC_KEYS', 'IDM_DATABASE_URL', 'EVENTS_DATABASE_URL', 'DATABASE_URL', 'DATABASE_ADMIN_URL', 'SERVICE_ACCOUNT_PASSWORD']) delete process.env[key];
  for (const key of Object.keys(process.env)) if (/^(IDM|EVENTS)_DB_/.test(key)) delete process.env[key];
});
afterEach(() => {
  process.env = { ...saved };
});

describe('configuration', () => {
  it('names what is missing', async () => {
    const { jwtKeyMaterial, databaseUrl, ConfigError } = await fresh();
    await expect(jwtKeyMaterial()).rejects.toThrow(ConfigError);
    await expect(jwtKeyMaterial()).rejects.toThrow(/JWT_PUBLIC_KEYS \(or JWT_PUBLIC_KEYS_SECRET_ARN\) is not set/);
    await expect(databaseUrl('events')).rejects.toThrow(/DB_SECRET_ARN is not set/);
  });

  it('rejects unsafe or malformed values with the variable named', async () => {
    process.env.PUBLIC_BASE_URL = 'not a url';
    process.env.BCRYPT_COST = '99';
    process.env.AUTH_FALLBACK = 'maybe';
    const config = await fresh();
    expect(() => config.httpConfig()).toThrow(/PUBLIC_BASE_URL is invalid/);
    expect(() => config.bcryptCost()).toThrow(/BCRYPT_COST is invalid: expected an integer from 4 to 15/);
  });

  it('registrations per address per hour: 100 by default (F23), configurable, at least 1', async () => {
    delete process.env.REGISTRATIONS_PER_ADDRESS_PER_HOUR;
    expect((await fresh()).registrationsPerAddressPerHour()).toBe(100);
    vi.resetModules();
    process.env.REGISTRATIONS_PER_ADDRESS_PER_HOUR = '250';
    expect((await fresh()).registrationsPerAddressPerHour()).toBe(250);
    vi.resetModules();
    process.env.REGISTRATIONS_PER_ADDRESS_PER_HOUR = '0';
    expect((await fresh()).registrationsPerAddressPerHour).toThrow(/REGISTRATIONS_PER_ADDRESS_PER_HOUR is invalid/);
  });

  it('derives each service database from one server URL locally', async () => {
    process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
    process.env.EVENTS_DB_NAME = 'em_custom';
    const { databaseUrl } = await fresh();
    expect(await databaseUrl('idm')).toBe('postgres://postgres@127.0.0.1:5432/idm');
    expect(await databaseUrl('events')).toBe('postgres://postgres@127.0.0.1:5432/em_custom');
  });

  it('logs each service in as its own role; migrations use the direct admin connection', async () => {
    process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:6432/postgres'; // a pooler
    process.env.DATABASE_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
    process.env.IDM_DB_USER = 'tix_idm';
    process.env.IDM_DB_PASSWORD = 'p@ss';
    const { databaseUrl, databaseAdminUrlOf } = await fresh();
    expect(await databaseUrl('idm')).toBe('postgres://tix_idm:p%40ss@127.0.0.1:6432/idm');
    expect(await databaseUrl('events')).toBe('postgres://postgres@127.0.0.1:6432/event_manager');
    expect(await databaseAdminUrlOf('idm')).toBe('postgres://postgres@127.0.0.1:5432/idm');

    vi.resetModules();
    process.env.EVENTS_DB_USER = 'events; DROP ROLE x';
    await expect((await fresh()).databaseUrl('events')).rejects.toThrow(/EVENTS_DB_USER is invalid/);
  });

  it('keeps the database of an explicit service URL on the admin connection', async () => {
    process.env.IDM_DATABASE_URL = 'postgres://postgres@127.0.0.1:6432/run_idm';
    process.env.DATABASE_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
    expect(await (await fresh()).databaseAdminUrlOf('idm')).toBe('postgres://postgres@127.0.0.1:5432/run_idm');
    delete process.env.DATABASE_ADMIN_URL;
    vi.resetModules();
    expect(await (await fresh()).databaseAdminUrlOf('idm')).toBe('postgres://postgres@127.0.0.1:6432/run_idm');
  });

  it('reads secrets from Secrets Manager in the cloud, once per container', async () => {
    process.env.JWT_PUBLIC_KEYS_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:jwks';
    process.env.DB_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:db';
    process.env.DB_HOST = 'proxy.internal';
    process.env.DB_CA_FILE = '/var/task/certs/rds-ca.pem';
    process.env.IDM_DB_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:idm-db';
    process.env.SERVICE_ACCOUNT_PASSWORD_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:svc';
    secrets
      .on(GetSecretValueCommand, { SecretId: process.env.JWT_PUBLIC_KEYS_SECRET_ARN })
      .resolves({ SecretString: '{"keys":[]}' })
      .on(GetSecretValueCommand, { SecretId: process.env.DB_SECRET_ARN })
      .resolves({ SecretString: JSON.stringify({ username: 'tix', password: 'p@ss/w:rd', host: 'db.internal', port: 5432 }) })
      .on(GetSecretValueCommand, { SecretId: process.env.IDM_DB_SECRET_ARN })
      .resolves({ SecretString: JSON.stringify({ username: 'tix_idm', password: 'idm-pw' }) })
      .on(GetSecretValueCommand, { SecretId: process.env.SERVICE_ACCOUNT_PASSWORD_SECRET_ARN })
      .resolves({ SecretString: JSON.stringify({ email: 'clients_service@system.local', password: 'svc-password' }) });
    const config = await fresh();

    expect(await config.jwtKeyMaterial()).toEqual({ publicKeys: '{"keys":[]}' });
    // Request path: the proxy, as the service's role, TLS verified against the shipped CA bundle.
    const tls = 'sslmode=verify-full&sslrootcert=%2Fvar%2Ftask%2Fcerts%2Frds-ca.pem';
    expect(await config.databaseUrl('idm')).toBe(`postgres://tix_idm:idm-pw@proxy.internal:5432/idm?${tls}`);
    // Migrations: the instance itself, as the master user.
    expect(await config.databaseAdminUrlOf('events')).toBe(`postgres://tix:p%40ss%2Fw%3Ard@db.internal:5432/event_manager?${tls}`);
    expect((await config.serviceAccount()).password).toBe('svc-password');
    await config.databaseUrl('idm');
    await config.serviceAccount();
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(4); // each secret fetched once
    // …except the token keys, read afresh whenever the token module's copy is due (rotation).
    await config.jwtKeyMaterial();
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(5);
  });

  it('retries a secret whose first fetch failed (a transient error is not cached)', async () => {
    process.env.SERVICE_ACCOUNT_PASSWORD_SECRET_ARN = 'arn:svc';
    secrets.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: '{"password":"pw"}' });
    const { serviceAccount } = await fresh();
    await expect(serviceAccount()).rejects.toThrow('throttled');
    expect((await serviceAccount()).password).toBe('pw');
  });
});
