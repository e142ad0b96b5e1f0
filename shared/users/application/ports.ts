import type { Deadline } from '../../kernel/deadline.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Profile, ProfileChanges, TicketEntry, TicketTarget } from '../domain/profile.ts';

/**
 * What the User service's use cases need from the outside world. Adapters live in
 * ../infrastructure; tests plug in their own (a failing repository, an unreachable event manager).
 */

export type CreateOutcome = 'created' | 'id-taken' | 'email-taken';
export type AppendOutcome = 'recorded' | 'no-profile' | 'limit-reached';
export type UpdateOutcome = { updated: Profile } | 'not-found';

/** Profiles, one document per identity; e-mails unique (case-insensitively); tickets appended atomically. */
export interface ProfileRepository {
  create(profile: Profile): Promise<CreateOutcome>;
  find(id: number): Promise<Profile | undefined>;
  update(id: number, changes: ProfileChanges): Promise<UpdateOutcome>;
  /** The deleted profile, or undefined when there was none. */
  remove(id: number): Promise<Profile | undefined>;
  /**
   * Marks the profile as closing (its account is being deleted), in one write: from then on no
   * ticket can be appended. The profile as marked, or undefined when there is none.
   */
  close(id: number): Promise<Profile | undefined>;
  /** Undoes close() (the deletion was refused). */
  reopen(id: number): Promise<void>;
  /**
   * Appends one ticket in a single atomic write, unless the profile already holds `limit` tickets
   * for the same event (resp. packet): the check and the append are one conditional update, so
   * concurrent appends can never pass the limit. Appending a code that is already listed changes
   * nothing (a retried purchase) and counts as recorded. A closing profile takes no new tickets
   * ('no-profile').
   */
  appendTicket(id: number, entry: TicketEntry, limit: number): Promise<AppendOutcome>;
  /** Removes the ticket with this code, if listed. */
  removeTicket(id: number, code: string): Promise<void>;
  /** Profiles holding at least one ticket for exactly this event (resp. packet). */
  customersOf(target: TicketTarget): Promise<Profile[]>;
}

/** The answer of the event manager to a sale, when it is not a success. */
export type SaleRefusal =
  | { kind: 'not-found'; message: string }
  | { kind: 'sold-out'; message: string }
  | { kind: 'rejected'; message: string; code: string };

export interface EventSummary {
  id: number;
  id_owner: number;
  name: string;
  [field: string]: unknown;
}
export type PacketSummary = EventSummary;

/**
 * The event manager's public HTTP API, as the User service uses it. Transient failures are retried
 * inside; what is left surfaces as UpstreamUnavailable.
 */
export interface EventManagerClient {
  /**
   * PUT /tickets/{code}: sells one seat; the same code and target again changes nothing. Every
   * attempt and retry ends by `deadline` (default: the request's).
   */
  sellTicket(code: string, target: TicketTarget, deadline?: Deadline): Promise<SaleRefusal | undefined>;
  /** DELETE /tickets/{code}: frees the seat; 'absent' when there is no such ticket (already freed). */
  cancelTicket(code: string, deadline?: Deadline): Promise<'cancelled' | 'absent'>;
  event(id: number): Promise<EventSummary | undefined>;
  packet(id: number): Promise<PacketSummary | undefined>;
}

/**
 * The event manager could not be asked at all (breaker open, no time left before the deadline): 503
 * like any unavailability, but certainly nothing happened there, so there is nothing to undo.
 */
export class NotSent extends AppError {
  constructor() {
    super(503, 'UPSTREAM_UNAVAILABLE', 'event manager unavailable, try again later');
  }
}

/** The IDM's public API, as deleting an account uses it. Unreachable → 503 UPSTREAM_UNAVAILABLE. */
export interface IdentityClient {
  /**
   * DELETE /api/idm/users/{id} as the service account: 'absent' when it is gone already; an account
   * from configuration (service account, admin) → 409 ACCOUNT_FROM_CONFIGURATION.
   */
  deleteIdentity(id: number): Promise<'deleted' | 'absent'>;
  /** POST /api/idm/auth/revoke: this token is refused everywhere from now on. */
  revokeToken(token: string): Promise<void>;
}

/** A bearer token of the service account, obtained from the IdentityService and cached. */
export interface ServiceTokenProvider {
  token(): Promise<string>;
  /** The event manager rejected `token`: forget it, so that the next token() logs in again. */
  invalidate(token: string): void;
}

/** The outcome a purchase recorded under an Idempotency-Key. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export type IdempotencyStart =
  /** This request runs the purchase, with this ticket code (reused when an earlier run failed). */
  | { kind: 'run'; code: string; lease: IdempotencyLease }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

export interface IdempotencyLease {
  complete(response: StoredResponse): Promise<void>;
  /** The run failed: a retry with the same key and body runs again, with the same ticket code. */
  fail(): Promise<void>;
}

/** Idempotency records keyed by (scope, Idempotency-Key), holding a fingerprint of the request. */
export interface IdempotencyStore {
  start(scope: string, key: string, fingerprint: string, newCode: string): Promise<IdempotencyStart>;
}
