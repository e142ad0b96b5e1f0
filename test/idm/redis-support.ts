import { vi } from 'vitest';
import { RedisClient } from '../../shared/kernel/redis.ts';
import { log, newRequestContext, runWithContext } from '../../shared/kernel/request-context.ts';

/** A client that cannot reach Redis (nothing listens on port 1): every command fails quickly. */
export function unreachableRedis(): RedisClient {
  return new RedisClient('redis://127.0.0.1:1', { connectTimeoutMs: 200, commandTimeoutMs: 300, backoffMs: () => 100 });
}

/** Runs `fn` in a request context whose logger is spied on; returns what it logged at error level. */
export async function capturingErrors<T>(fn: () => Promise<T>): Promise<{ result: T; errors: string[] }> {
  const context = newRequestContext(undefined, { route: 'test' });
  const spy = vi.spyOn(runWithContext(context, log), 'error').mockImplementation(() => {});
  const result = await runWithContext(context, fn);
  const errors = spy.mock.calls.map((call) => String(call[0]));
  spy.mockRestore();
  return { result, errors };
}
