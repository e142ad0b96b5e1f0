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
  for (const key of ['JWT_SECRET', 'IDM_DATABASE_URL', 'EVENTS_DATABASE_URL', 'DATABASE_URL', 'SERVICE_ACCOUNT_PASSWORD']) delete process.env[key];
});
afterEach(() => {
  process.env = { ...saved };
});

describe('configuration', () => {
  it('names what is missing', async () => {
    const { jwtConfig, databaseUrl, ConfigError } = await fresh();
    await expect(jwtConfig()).rejects.toThrow(ConfigError);
    await expect(jwtConfig()).rejects.toThrow(/JWT_SECRET \(or JWT_SECRET_SECRET_ARN\) is not set/);
    await expect(databaseUrl('events')).rejects.toThrow(/DB_SECRET_ARN is not set/);
  });

  it('rejects unsafe or malformed values with the variable named', async () => {
    process.env.JWT_SECRET = 'short';
    process.env.PUBLIC_BASE_URL = 'not a url';
    process.env.BCRYPT_COST = '99';
    process.env.AUTH_FALLBACK = 'maybe';
    const config = await fresh();
    await expect(config.jwtConfig()).rejects.toThrow(/JWT_SECRET must be at least 32 characters/);
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

  it('reads secrets from Secrets Manager in the cloud, once per container', async () => {
    process.env.JWT_SECRET_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:jwt';
    process.env.DB_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:db';
    process.env.SERVICE_ACCOUNT_PASSWORD_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:svc';
    secrets
      .on(GetSecretValueCommand, { SecretId: process.env.JWT_SECRET_SECRET_ARN })
      .resolves({ SecretString: 'k'.repeat(64) })
      .on(GetSecretValueCommand, { SecretId: process.env.DB_SECRET_ARN })
      .resolves({ SecretString: JSON.stringify({ username: 'tix', password: 'p@ss/w:rd', host: 'db.internal', port: 5432 }) })
      .on(GetSecretValueCommand, { SecretId: process.env.SERVICE_ACCOUNT_PASSWORD_SECRET_ARN })
      .resolves({ SecretString: JSON.stringify({ email: 'clients_service@system.local', password: 'svc-password' }) });
    const config = await fresh();

    expect((await config.jwtConfig()).key).toHaveLength(64);
    expect(await config.databaseUrl('idm')).toBe('postgres://tix:p%40ss%2Fw%3Ard@db.internal:5432/idm?sslmode=no-verify');
    expect(await config.databaseUrl('events')).toBe('postgres://tix:p%40ss%2Fw%3Ard@db.internal:5432/event_manager?sslmode=no-verify');
    expect((await config.serviceAccount()).password).toBe('svc-password');
    await config.jwtConfig();
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(3); // each secret fetched once
  });

  it('retries a secret whose first fetch failed (a transient error is not cached)', async () => {
    process.env.JWT_SECRET_SECRET_ARN = 'arn:jwt';
    secrets.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: 'z'.repeat(40) });
    const { jwtConfig } = await fresh();
    await expect(jwtConfig()).rejects.toThrow('throttled');
    expect((await jwtConfig()).key).toHaveLength(40);
  });
});
