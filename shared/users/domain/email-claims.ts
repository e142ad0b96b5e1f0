import { emailIdentity } from './profile.ts';

/**
 * E-mail uniqueness without unique secondary indexes (the embedded server ignores them; DocumentDB
 * and MongoDB would honour them, but correctness must not depend on which one runs): each e-mail in
 * use is *claimed* by a document whose `_id` is derived from the e-mail, so the store's `_id`
 * uniqueness decides who gets it. A claim is written before the profile that uses it and released
 * after the profile stops using it; a crash in between leaves a claim that no profile backs.
 */
export interface EmailClaim {
  email: string;
  user_id: number;
  /** ms since the epoch */
  claimed_at: number;
}

/**
 * How long an unbacked claim is respected: longer than any request can run (API Gateway stops at
 * 29 s, the functions at 30 s), so a claim whose profile write is still in flight is never stolen.
 */
export const CLAIM_GRACE_MS = 5 * 60_000;

/**
 * Whether `claimant` may use an e-mail somebody already claimed: its own claim, always (the profile's
 * `_id` then decides between concurrent creations of one user); another user's claim only when no
 * profile backs it (the holder's profile is gone or uses another e-mail) and it is older than the
 * grace period.
 */
export function mayTakeOver(claim: EmailClaim, claimant: number, holderEmail: string | undefined, now: number): boolean {
  if (claim.user_id === claimant) return true;
  if (holderEmail !== undefined && emailIdentity(holderEmail) === emailIdentity(claim.email)) return false;
  return now - claim.claimed_at > CLAIM_GRACE_MS;
}
