import { Aws } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { DEFAULT_AUTHORIZER_TTL_SECONDS } from '../shared/auth/gateway-responses.ts';

/**
 * Where the app is deployed: `aws` (default) or `localstack` (`-c profile=localstack`).
 * Everything that differs between the two is decided here, from context values, once.
 */
export type ProfileName = 'aws' | 'localstack';

/**
 * How much the `aws` profile buys (`-c stage=prod`): `dev` (default) is small and cheap, one of
 * everything; `prod` is highly available and kept on delete (see README, Deploying).
 */
export type StageName = 'dev' | 'prod';

/** Connection URLs of the stores LocalStack's free tier lacks (they run beside it). */
export interface LocalStores {
  idmDatabaseUrl: string;
  eventsDatabaseUrl: string;
  mongodbUrl: string;
  redisUrl: string;
}

export interface Profile {
  name: ProfileName;
  /** `dev` or `prod` (context `stage`); LocalStack is always `dev`. */
  stage: StageName;
  /** Browser origins allowed by CORS (context `corsOrigins`, comma-separated). */
  corsOrigins: string[];
  /** Handlers check tokens themselves: LocalStack's free tier does not run Lambda authorizers. */
  authFallback: boolean;
  /** How long API Gateway caches an authorizer decision (context `authorizerTtl`, 0–60 s). */
  authorizerTtlSeconds: number;
  /** The API's public base URL, from its id (a token), unless context `publicBaseUrl` overrides it. */
  apiBaseUrl(restApiId: string): string;
  /** LocalStack only: stores given as URLs instead of RDS, DocumentDB and ElastiCache. */
  localStores?: LocalStores;
  /** Extra environment of every function. */
  functionEnv: Record<string, string>;
}

export const DEFAULT_CORS_ORIGINS = ['http://localhost:3000', 'http://localhost:5173'];
export const LOCALSTACK_ENDPOINT = 'http://localhost.localstack.cloud:4566';
export const API_STAGE = 'api';

/**
 * Where LocalStack's Lambda containers find the stores by default: the service names of
 * infra/localstack/compose.yaml, on the network those containers join (LAMBDA_DOCKER_NETWORK).
 */
export const LOCALSTACK_STORE_URLS: LocalStores = {
  idmDatabaseUrl: 'postgres://postgres@postgres:5432/idm',
  eventsDatabaseUrl: 'postgres://postgres@postgres:5432/event_manager',
  mongodbUrl: 'mongodb://mongodb:27017/user_service',
  redisUrl: 'redis://redis:6379',
};

export function profileFromContext(node: Node): Profile {
  const ctx = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    return Array.isArray(value) ? value.join(',') : String(value);
  };
  const name = ctx('profile') ?? 'aws';
  if (name !== 'aws' && name !== 'localstack') {
    throw new Error(`context "profile" must be "aws" or "localstack", not "${name}"`);
  }
  const stage = ctx('stage') ?? 'dev';
  if (stage !== 'dev' && stage !== 'prod') throw new Error(`context "stage" must be "dev" or "prod", not "${stage}"`);
  if (name === 'localstack' && stage !== 'dev') throw new Error('the localstack profile has one stage: dev');
  const corsOrigins = (ctx('corsOrigins') ?? DEFAULT_CORS_ORIGINS.join(','))
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  const override = ctx('publicBaseUrl')?.replace(/\/+$/, '');
  const authorizerTtlSeconds = Number(ctx('authorizerTtl') ?? DEFAULT_AUTHORIZER_TTL_SECONDS);
  if (!Number.isInteger(authorizerTtlSeconds) || authorizerTtlSeconds < 0 || authorizerTtlSeconds > 60) {
    throw new Error('context "authorizerTtl" must be a whole number of seconds from 0 to 60');
  }

  if (name === 'aws') {
    return {
      name,
      stage,
      corsOrigins,
      authFallback: false,
      authorizerTtlSeconds,
      apiBaseUrl: (id) => override ?? `https://${id}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${API_STAGE}`,
      functionEnv: {},
    };
  }
  return {
    name,
    stage,
    corsOrigins,
    authFallback: true,
    authorizerTtlSeconds,
    apiBaseUrl: (id) => override ?? `http://${id}.execute-api.localhost.localstack.cloud:4566/${API_STAGE}`,
    // TLS override: the containers beside LocalStack speak plain TCP, so these URLs carry no
    // `sslmode` / `tls` and no DB_HOST / DB_CA_FILE is set (the aws profile verifies TLS against the
    // CA bundle the functions carry); no RDS Proxy, no service roles, no Redis user: one local
    // PostgreSQL user and an open Redis, as the compose file runs them.
    localStores: {
      idmDatabaseUrl: ctx('idmDatabaseUrl') ?? LOCALSTACK_STORE_URLS.idmDatabaseUrl,
      eventsDatabaseUrl: ctx('eventsDatabaseUrl') ?? LOCALSTACK_STORE_URLS.eventsDatabaseUrl,
      mongodbUrl: ctx('mongodbUrl') ?? LOCALSTACK_STORE_URLS.mongodbUrl,
      redisUrl: ctx('redisUrl') ?? LOCALSTACK_STORE_URLS.redisUrl,
    },
    functionEnv: { AWS_ENDPOINT_URL: LOCALSTACK_ENDPOINT },
  };
}
