import type { Role } from '../../auth/roles.ts';
import type { AuditEntry } from '../../audit/model.ts';
import type { AttemptKeys } from '../domain/throttle.ts';

/** What the identity use cases need from the outside world; adapters live in ../infrastructure. */

export interface UserRecord {
  id: number;
  email: string;
  passwordHash: string;
  role: Role;
}

export interface UserRepository {
  /** E-mails are unique regardless of case, so the lookup ignores case too. */
  findByEmail(email: string): Promise<UserRecord | undefined>;
  /** The new id, or `'email-taken'` when the unique index refused it (also under concurrency). */
  create(user: Omit<UserRecord, 'id'>): Promise<{ id: number } | 'email-taken'>;
  delete(id: number): Promise<void>;
  /**
   * Deletes a registered identity (client or owner) in one statement: `absent` when there is none,
   * `configured` for the service account and admins, which exist by configuration (CONTRACT F6).
   */
  deleteRegistered(id: number): Promise<'deleted' | 'absent' | 'configured'>;
}

export type ProfileOutcome =
  | { ok: true }
  /** Transport error, timeout or 5xx: the User service could not answer (the profile may or may not exist). */
  | { ok: false; reason: 'unavailable'; detail: string }
  /** The User service answered 4xx: it refused this profile. */
  | { ok: false; reason: 'rejected'; status: number; code?: string; message: string };

/** The User service's profiles, as the registration saga sees them. */
export interface ProfileService {
  create(profile: { id: number; email: string }): Promise<ProfileOutcome>;
  /** Best-effort compensation after an `unavailable` outcome (it may exist after all); never throws. */
  discard(profile: { id: number; email: string; role: Role }): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  matches(password: string, hash: string): Promise<boolean>;
  /** Same cost as a real comparison, for unknown e-mails (no timing oracle for who exists). */
  burn(password: string): Promise<void>;
}

/** One fixed-window counter: at most `max` counts per window of `windowSeconds`. */
export interface CounterSpec {
  key: string;
  max: number;
  windowSeconds: number;
}

/** Fixed-window counters, the store behind the login throttle and the registration limit. */
export interface WindowCounters {
  /**
   * One atomic step, whatever runs concurrently: when a counter has reached its `max`, nothing is
   * counted and the answer is the seconds until its window ends (at least 1); else every counter
   * counts one (the first count starts its window) and the answer is 0.
   */
  take(counters: readonly CounterSpec[]): Promise<number>;
  /** What `take` would answer now, counting nothing. */
  wait(counters: readonly CounterSpec[]): Promise<number>;
  /** Give back one count (an attempt that turned out not to count). */
  giveBack(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

export interface LoginThrottle {
  /** Count this attempt before its password is checked: 0 = check it; else seconds to wait (nothing counted). */
  admit(attempt: AttemptKeys): Promise<number>;
  /** The password was right: clears the e-mail counter, and the attempt does not count against its address. */
  succeeded(attempt: AttemptKeys): Promise<void>;
  /** Seconds until the next attempt would be admitted (0: it would be), counting nothing. */
  lockedFor(attempt: AttemptKeys): Promise<number>;
}

export interface RegistrationLimit {
  /** Count a registration from `clientIp`: 0 = go ahead; else seconds to wait (nothing counted). */
  admit(clientIp: string | undefined): Promise<number>;
}

/** The IDM's audit trail, for changes outside its tables (lockouts, logouts); see shared/audit. */
export interface AuditTrail {
  append(entry: AuditEntry): Promise<void>;
}
