import type { Server } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { useLocalInvoker } from '../../shared/kernel/invoke.ts';
import { closeMongo } from '../../shared/kernel/mongo.ts';
import { closePools } from '../../shared/kernel/postgres.ts';
import { redisClient } from '../../shared/kernel/redis.ts';
import { DEFAULT_AUTHORIZER_TTL_SECONDS } from '../../shared/auth/gateway-responses.ts';
import { applySchema } from '../../shared/ops/apply-schema.ts';
import { lambdaAuthorizer } from './authorizer.ts';
import { ensureIdempotencyTable, ensureRevocationsTable } from '../../shared/users/infrastructure/dynamo-idempotency.ts';
import { type Embedded, startDynalite, startEmbeddedMongo, startEmbeddedPostgres } from './embedded.ts';
import { type Authorizer, startGateway } from './gateway.ts';
import { startGrpcServer } from './grpc-server.ts';
import { startWebApp, type WebMode } from './web.ts';
import { assertPortFree } from './ports.ts';
import { localSecrets } from './secrets.ts';

/**
 * The whole platform in one process, without AWS or Docker: the stores (embedded, or external ones
 * named by DATABASE_URL / MONGODB_URL / REDIS_URL), schema migrations, seeded accounts, and every
 * route of the route table behind the local API Gateway. `npm start` and the HTTP tests both use it.
 */
export interface PlatformOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** Mongo data on disk (the runtime) or in memory (tests). */
  persistMongo?: boolean;
  /** Defaults to functions/authorizer.ts run as API Gateway runs it (AUTHORIZER_TTL_SECONDS cache). */
  authorizer?: Authorizer;
  log?: (line: string) => void;
  /**
   * Native gRPC port of the IdentityService. Unset: GRPC_PORT or 50051 — except when `port` is 0
   * (tests), where it also takes a free port, so parallel platforms never collide. 0: a free port.
   */
  grpcPort?: number;
  /** The web app on `/` (see web.ts). Default: WEB, else off (the API tests need no web app). */
  web?: WebMode;
}

export interface Platform {
  url: string;
  port: number;
  /** Native gRPC (HTTP/2 cleartext) address of the IdentityService. */
  grpcUrl: string;
  grpcPort: number;
  /** What runs where, for the start-up banner. */
  services: Record<string, string>;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const env = process.env;

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const say = options.log ?? (() => {});
  const stops: Array<() => Promise<void>> = [];
  const services: Record<string, string> = {};
  const envBefore = { ...env };
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => say(`stop failed: ${String(e)}`));
    // Leave the environment as it was, so a later start in this process configures itself afresh.
    for (const key of Object.keys(env)) if (!(key in envBefore)) delete env[key];
    Object.assign(env, envBefore);
  };
  const host = options.host ?? env.HOST ?? '127.0.0.1';
  try {
    await assertPortFree(options.port, host);
    const secrets = localSecrets(options.dataDir);
    env.JWT_SIGNING_KEY ??= JSON.stringify(secrets.jwtSigningKey);
    env.SERVICE_ACCOUNT_PASSWORD ??= secrets.serviceAccountPassword;
    env.ADMIN_EMAIL ??= 'admin@tix.local';
    env.ADMIN_PASSWORD ??= secrets.adminPassword;
    env.PG_POOL_MAX ??= '10';
    // Each service logs in as its own PostgreSQL role (the migrations create it), as in the cloud.
    env.IDM_DB_USER ??= 'tix_idm';
    env.IDM_DB_PASSWORD ??= secrets.idmDbPassword;
    env.EVENTS_DB_USER ??= 'tix_events';
    env.EVENTS_DB_PASSWORD ??= secrets.eventsDbPassword;
    env.AUDIT_DB_USER ??= 'tix_audit'; // GET /api/audit reads both databases' audit_log as this role only
    env.AUDIT_DB_PASSWORD ??= secrets.auditDbPassword;
    env.MONGO_POOL_MAX ??= '20';

    // PostgreSQL: the two service databases on one server (applySchema creates and migrates them).
    if (!env.IDM_DATABASE_URL || !env.EVENTS_DATABASE_URL) {
      if (!env.DATABASE_URL) {
        const pg = await startEmbeddedPostgres(options.dataDir, secrets.postgresPassword);
        stops.push(pg.stop);
        env.DATABASE_URL = pg.url;
        services.postgres = `embedded PostgreSQL at ${redact(pg.url)} (data in ${options.dataDir}/postgres)`;
      } else services.postgres = `external PostgreSQL at ${redact(env.DATABASE_URL)}`;
    } else services.postgres = 'external PostgreSQL (IDM_DATABASE_URL, EVENTS_DATABASE_URL)';
    // MongoDB before the schema: applySchema seeds the admin's profile.
    if (!env.MONGODB_URL) {
      const mongo: Embedded = await startEmbeddedMongo(options.persistMongo ? options.dataDir : undefined);
      stops.push(mongo.stop);
      env.MONGODB_URL = mongo.url;
      services.mongodb = `embedded MongoDB-compatible server at ${mongo.url}`;
    } else services.mongodb = `external MongoDB at ${redact(env.MONGODB_URL)}`;
    stops.push(closeMongo);
    await applySchema();
    stops.push(closePools);

    // DynamoDB: the purchases' idempotency records.
    if (!env.DYNAMODB_ENDPOINT) {
      const dynamo = await startDynalite();
      stops.push(dynamo.stop);
      env.DYNAMODB_ENDPOINT = dynamo.url;
      services.dynamodb = `embedded DynamoDB (dynalite, in memory) at ${dynamo.url}`;
    } else services.dynamodb = `external DynamoDB at ${env.DYNAMODB_ENDPOINT}`;
    env.IDEMPOTENCY_TABLE ??= 'tix-idempotency';
    await ensureIdempotencyTable({ endpoint: env.DYNAMODB_ENDPOINT, table: env.IDEMPOTENCY_TABLE, region: env.AWS_REGION });
    // The durable copy of token revocations, as in the cloud (Redis is only the fast path).
    env.REVOCATIONS_TABLE ??= 'tix-revocations';
    await ensureRevocationsTable({ endpoint: env.DYNAMODB_ENDPOINT, table: env.REVOCATIONS_TABLE, region: env.AWS_REGION });

    services.redis = env.REDIS_URL ? `external Redis at ${redact(env.REDIS_URL)}` : 'none: in-memory token blacklist and login throttle';
    stops.push(async () => redisClient()?.close());

    // Functions invoked directly rather than through the API (Lambda Invoke in the cloud) run in-process.
    useLocalInvoker(async (module, payload) => {
      const { handler } = (await import(pathToFileURL(`${ROOT}functions/${module}.ts`).href)) as { handler: (event: unknown) => Promise<unknown> };
      // JSON in and out, as Lambda's Invoke carries it.
      return JSON.parse(JSON.stringify(await handler(JSON.parse(JSON.stringify(payload)))));
    });
    stops.push(async () => useLocalInvoker(undefined));

    let gatewayServer: Server | undefined;
    const web = await startWebApp(options.web ?? ((env.WEB as WebMode | undefined) || 'off'), () => gatewayServer);
    if (web) {
      stops.push(web.close);
      services.web = web.description;
    }
    const gateway = await startGateway({
      port: options.port,
      host,
      functionsDir: `${ROOT}functions`,
      authorizer:
        options.authorizer ??
        lambdaAuthorizer(
          () => import('../../functions/authorizer.ts').then((m) => m.handler),
          Number(env.AUTHORIZER_TTL_SECONDS ?? DEFAULT_AUTHORIZER_TTL_SECONDS),
        ),
      web,
    });
    stops.push(gateway.close);
    gatewayServer = gateway.server;
    const url = `http://localhost:${gateway.port}`;
    env.PUBLIC_BASE_URL ??= url;
    env.INTERNAL_BASE_URL ??= `http://127.0.0.1:${gateway.port}`;
    env.CORS_ORIGINS ??= ['http://localhost:3000', 'http://localhost:5173', url, `http://127.0.0.1:${gateway.port}`].join(',');
    services.api = `${url} (every route of shared/routes.ts)`;

    const grpc = await startGrpcServer({
      port: options.grpcPort ?? (options.port === 0 ? 0 : Number(env.GRPC_PORT ?? 50051)),
      host,
    });
    stops.push(grpc.close);
    const grpcUrl = `http://localhost:${grpc.port}`;
    services.grpc = `${grpcUrl} (IdentityService as native gRPC over HTTP/2, also Connect and gRPC-Web)`;

    services.accounts = `service account and admin ${env.ADMIN_EMAIL} (with its profile) seeded (passwords in ${options.dataDir}/local-secrets.json)`;

    return { url, port: gateway.port, grpcUrl, grpcPort: grpc.port, services, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
