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

export interface LoginThrottle {
  /** Seconds until `attempt` may try again, 0 when it may now. */
  retryAfter(attempt: AttemptKeys): Promise<number>;
  recordFailure(attempt: AttemptKeys): Promise<void>;
  /** A correct password: clears the e-mail counter (the per-address one keeps counting). */
  recordSuccess(attempt: AttemptKeys): Promise<void>;
}

/** The IDM's audit trail, for changes outside its tables (lockouts, logouts); see shared/audit. */
export interface AuditTrail {
  append(entry: AuditEntry): Promise<void>;
}
