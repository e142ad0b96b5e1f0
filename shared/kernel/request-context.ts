import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { Deadline } from './deadline.ts';

/**
 * Per-request context: the correlation id and a logger that carries it. Held in AsyncLocalStorage
 * rather than on a shared logger, so that concurrent requests in one process (the local runtime)
 * never see each other's keys.
 */
export interface RequestContext {
  correlationId: string;
  /** Keys every log line of the request carries, besides the correlation id. */
  keys: Record<string, string>;
  /** Made on first use: a child logger costs a Console each, and most requests log nothing. */
  logger?: Logger;
  /** The service serving the request (the metrics' `service` dimension). */
  service?: string;
  /** Who the request acts as, for the audit trail (shared/kernel/audit-context.ts). */
  actor?: { userId: number; role: string; onBehalfOf?: number };
  /** By when the request must have answered (from the Lambda context's remaining time). */
  deadline?: Deadline;
}

/** The current request's context, if any. */
export const currentContext = (): RequestContext | undefined => storage.getStore();

/**
 * Made on first use, not at start-up: a Logger builds a Console over stdout, which a cold start
 * would pay for before the first invocation even where nothing is ever logged (the authorizer).
 */
let root: Logger | undefined;
const rootLogger = (): Logger =>
  (root ??= new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tix',
    logLevel: (process.env.LOG_LEVEL ?? 'INFO').toUpperCase() as 'INFO',
  }));

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request's logger, or the root logger outside a request (start-up, tests). */
export function log(): Logger {
  const context = storage.getStore();
  if (!context) return rootLogger();
  return (context.logger ??= rootLogger().createChild({ persistentKeys: { correlation_id: context.correlationId, ...context.keys } }));
}

/**
 * Whether lines of `level` are written at all (to skip building one that would not be). The level
 * is read once: Logger's getter consults the environment on every call, and this runs per request.
 */
let threshold: number | undefined;
export const logs = (level: keyof typeof LogLevelThreshold): boolean => (threshold ??= rootLogger().level) <= LogLevelThreshold[level];

export const correlationId = (): string | undefined => storage.getStore()?.correlationId;

/** The current request's deadline; outside a request (start-up, tests) a fresh function timeout's. */
export const requestDeadline = (): Deadline => storage.getStore()?.deadline ?? Deadline.fromContext(undefined);

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Take the caller's correlation id when it is sane, otherwise make a new one. */
export function newRequestContext(incoming: string | undefined, keys: Record<string, string>, deadline?: Deadline): RequestContext {
  const id = incoming && VALID_ID.test(incoming) ? incoming : randomUUID();
  return { correlationId: id, keys, deadline };
}
