import { afterAll, beforeAll, describe, vi } from 'vitest';
import { stopApi } from '../support/api.ts';
import { loginRaceTests } from './login-race.ts';

/** The same race with Redis down: the in-memory fallback counters decide, atomically too. */
beforeAll(() => {
  vi.stubEnv('REDIS_URL', 'redis://127.0.0.1:1'); // nothing listens there: every command fails fast
});
afterAll(async () => {
  await stopApi();
  vi.unstubAllEnvs();
});

describe('concurrent logins, throttled by the memory fallback (Redis unreachable)', () => loginRaceTests());
