/**
 * Rate limits of the identity service (CONTRACT §3, F23), counted in fixed windows that start with
 * the first count.
 *
 * Login: attempts are counted per e-mail and per client address BEFORE the password is checked, in
 * one atomic step with the check of the limit, so that however many attempts run at once, at most
 * `max` passwords are checked per window. Once a counter has reached its limit, further attempts are
 * refused until its window ends — without checking the password, and without being counted, so they
 * do not extend the window. Requests that break the input rules (422) are not attempts and count
 * nowhere. A correct password clears its e-mail's counter (its owner should not stay one typo away
 * from a lockout) and does not count against its address; it never clears the address counter (else
 * an attacker with one account of their own could reset it between guesses at others).
 *
 * Registration: every registration attempt that passes the input rules counts against its client
 * address, before anything is written (F23: 100 per address per hour by default).
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

export const REGISTRATION_WINDOW_SECONDS = 60 * 60;

/** What the counters of one login attempt are called. */
export interface AttemptKeys {
  email: string;
  ip?: string;
}

/** An IPv4-mapped IPv6 address counts as its IPv4 address. */
export const clientAddress = (ip: string) => ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

/** The counters of a login attempt. E-mails are compared case-insensitively (as the unique index does). */
export function counterKeys(attempt: AttemptKeys): Array<{ scope: ThrottleScope; id: string }> {
  const keys: Array<{ scope: ThrottleScope; id: string }> = [{ scope: 'email', id: attempt.email.toLowerCase() }];
  if (attempt.ip) keys.push({ scope: 'ip', id: clientAddress(attempt.ip) });
  return keys;
}
