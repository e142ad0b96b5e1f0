/**
 * Login throttling rule (CONTRACT §3): failed logins are counted per e-mail and per client address
 * in fixed windows that start at the first failure. Once a counter has reached its limit, further
 * attempts are refused until its window ends — without checking the password, so guessing stops,
 * and refused attempts do not extend the window. Requests that break the input rules (422) are not
 * login attempts and count nowhere. A correct password clears its e-mail's counter (its owner should
 * not stay one typo away from a lockout) but never the address counter (else an attacker with one
 * account of their own could reset it between guesses at others).
 */

export interface Limit {
  max: number;
  windowSeconds: number;
}

export type ThrottleScope = 'email' | 'ip';

export const LOGIN_LIMITS: Readonly<Record<ThrottleScope, Limit>> = {
  email: { max: 5, windowSeconds: 15 * 60 },
  ip: { max: 50, windowSeconds: 15 * 60 },
};

/** One counter as a store holds it. */
export interface Counter {
  count: number;
  /** Seconds until the window ends (and the counter disappears). */
  resetInSeconds: number;
}

/** What the counters of one attempt are called. */
export interface AttemptKeys {
  email: string;
  ip?: string;
}

/** Seconds the caller must wait (at least 1), or 0 when no counter has reached its limit. */
export function retryAfterSeconds(
  counters: Partial<Record<ThrottleScope, Counter | undefined>>,
  limits: Readonly<Record<ThrottleScope, Limit>> = LOGIN_LIMITS,
): number {
  let wait = 0;
  for (const scope of ['email', 'ip'] as const) {
    const counter = counters[scope];
    if (counter && counter.count >= limits[scope].max) wait = Math.max(wait, Math.max(1, Math.ceil(counter.resetInSeconds)));
  }
  return wait;
}

/**
 * Store keys of an attempt. E-mails are compared case-insensitively (as the unique index does), and
 * an IPv4-mapped IPv6 address counts as its IPv4 address.
 */
export function counterKeys(attempt: AttemptKeys): Array<{ scope: ThrottleScope; id: string }> {
  const keys: Array<{ scope: ThrottleScope; id: string }> = [{ scope: 'email', id: attempt.email.toLowerCase() }];
  if (attempt.ip) keys.push({ scope: 'ip', id: attempt.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '') });
  return keys;
}
