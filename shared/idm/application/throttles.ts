import { createHash } from 'node:crypto';
import { type AttemptKeys, clientAddress, counterKeys, type Limit, LOGIN_LIMITS, REGISTRATION_WINDOW_SECONDS, type ThrottleScope } from '../domain/throttle.ts';
import type { CounterSpec, LoginThrottle, RegistrationLimit, WindowCounters } from './ports.ts';

/** The login rule of ../domain/throttle.ts on a counter store. E-mails are hashed: no addresses in the store. */
export function makeLoginThrottle(counters: WindowCounters, limits: Readonly<Record<ThrottleScope, Limit>> = LOGIN_LIMITS): LoginThrottle {
  const specs = (attempt: AttemptKeys): CounterSpec[] =>
    counterKeys(attempt).map(({ scope, id }) => ({
      key: `login:${scope}:${scope === 'email' ? createHash('sha256').update(id).digest('hex') : id}`,
      ...limits[scope],
    }));
  return {
    admit: (attempt) => counters.take(specs(attempt)),
    lockedFor: (attempt) => counters.wait(specs(attempt)),
    async succeeded(attempt) {
      const [email, ip] = specs(attempt);
      await counters.reset(email!.key);
      if (ip) await counters.giveBack(ip.key);
    },
  };
}

/** Registrations per client address per hour; a caller without an address (none known) is not limited. */
export function makeRegistrationLimit(counters: WindowCounters, max: number): RegistrationLimit {
  return {
    admit: async (ip) =>
      ip ? counters.take([{ key: `register:ip:${clientAddress(ip)}`, max, windowSeconds: REGISTRATION_WINDOW_SECONDS }]) : 0,
  };
}
