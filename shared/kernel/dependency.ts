import { type Dependency, dependencyError } from './metrics.ts';

/**
 * Calls to the stores and to other services, as operators see them: each one a trace subsegment
 * (when a request tracer is active, see tracing.ts) and each failure of the dependency itself — not
 * a client's mistake the store merely reported — one `DependencyErrors` count with its store.
 * Kept free of the tracer's code, so that the authorizer (which uses Redis) stays small.
 */

/** A dependency check: resolves when the dependency answers; may report how it is used. */
export type Probe = () => Promise<string | void>;

export interface Span {
  close(error?: unknown): void;
}

/** Opens spans under the current request's trace; registered by tracing.ts where a tracer runs. */
let tracing: ((name: string) => Span | undefined) | undefined;
export const useTracing = (open: (name: string) => Span | undefined) => {
  tracing = open;
};

/** A span the caller closes itself (driver events); undefined where nothing traces. */
export const openSpan = (name: string): Span | undefined => tracing?.(name);

/** Counts the dependency faults of an AWS SDK v3 client (a middleware at its first step). */
export function countAwsFaults<C extends { middlewareStack: { add(middleware: unknown, options: unknown): void } }>(client: C, store: Dependency): C {
  const middleware = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
    try {
      return await next(args);
    } catch (error) {
      if (isFault(error)) dependencyError(store);
      throw error;
    }
  };
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'tixDependencyFaults' });
  return client;
}

export async function dependency<T>(store: Dependency, operation: string, call: () => Promise<T>): Promise<T> {
  const span = tracing?.(`## ${store} ${operation}`);
  try {
    const result = await call();
    span?.close();
    return result;
  } catch (error) {
    if (isFault(error)) dependencyError(store);
    span?.close(error);
    throw error;
  }
}

/** SQLSTATE classes of a server in trouble (connection, resources, operator, system, internal). */
const PG_FAULT = /^(08|53|57|58|XX)/;

/**
 * Whether an error means the dependency failed, rather than refused a request on its merits (a
 * unique or check violation, a duplicate key, a conditional write that lost, an error of ours).
 */
export function isFault(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  const { code, severity, name } = error as Error & { code?: unknown; severity?: unknown };
  if (typeof severity === 'string' && typeof code === 'string') return PG_FAULT.test(code); // a PostgreSQL error reply
  if (name === 'MongoServerError') return code !== 11000; // duplicate key: a claim or id taken
  if (name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException') return false;
  if ('status' in error && typeof (error as { status: unknown }).status === 'number') return false; // an AppError
  return !['RetryTransaction', 'NameTaken'].includes(name);
}
