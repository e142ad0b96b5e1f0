import { blacklist } from '../auth/blacklist.ts';
import { bcryptCost, internalBaseUrl, once, registrationsPerAddressPerHour, serviceAccountEmail } from '../kernel/config.ts';
import { pgPool } from '../kernel/postgres.ts';
import { redisClient } from '../kernel/redis.ts';
import { makeIssueServiceToken } from './application/issue-service-token.ts';
import { makeDeleteIdentity } from './application/delete-identity.ts';
import { makeLogin } from './application/login.ts';
import { makeRegister } from './application/register.ts';
import { makeRevoke } from './application/revoke.ts';
import { makeServiceToken } from './application/service-token.ts';
import { makeLoginThrottle, makeRegistrationLimit } from './application/throttles.ts';
import { makeVerify } from './application/verify.ts';
import { BcryptHasher } from './infrastructure/bcrypt-hasher.ts';
import { HttpProfileService } from './infrastructure/http-profile-service.ts';
import { PgUserRepository } from './infrastructure/pg-user-repository.ts';
import { appendAudit } from '../audit/pg-audit.ts';
import { FallbackWindowCounters, MemoryWindowCounters, RedisWindowCounters } from './infrastructure/window-counters.ts';

/** How long registration waits for the User service before rolling back. */
const PROFILE_TIMEOUT_MS = 5_000;

/**
 * Composition root of the identity service, once per container. Adapters connect lazily (the pool
 * on first query, Redis on first command), so verify and revoke never configure PostgreSQL.
 */
export const idmDeps = once(async () => {
  const users = new PgUserRepository(() => pgPool('idm'));
  const hasher = new BcryptHasher(bcryptCost());
  const redis = redisClient();
  const counters = redis ? new FallbackWindowCounters(new RedisWindowCounters(redis)) : new MemoryWindowCounters();
  const audit = { append: async (entry: Parameters<typeof appendAudit>[1]) => appendAudit(await pgPool('idm'), entry) };
  const profiles = new HttpProfileService({
    baseUrl: internalBaseUrl(),
    serviceToken: makeServiceToken({ users, email: serviceAccountEmail() }),
    timeoutMs: PROFILE_TIMEOUT_MS,
  });
  return {
    register: makeRegister({ users, profiles, hasher, limit: makeRegistrationLimit(counters, registrationsPerAddressPerHour()) }),
    login: makeLogin({ users, hasher, throttle: makeLoginThrottle(counters), audit }),
    verify: makeVerify({ blacklist: blacklist() }),
    revoke: makeRevoke({ blacklist: blacklist(), audit }),
    issueServiceToken: makeIssueServiceToken({ users, hasher, email: serviceAccountEmail() }),
    deleteIdentity: makeDeleteIdentity({ users }),
  };
});

export type IdmUseCases = Awaited<ReturnType<typeof idmDeps>>;
