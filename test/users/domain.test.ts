import { describe, expect, it } from 'vitest';
import type { Identity } from '../../shared/auth/tokens.ts';
import { AppError } from '../../shared/kernel/errors.ts';
import { validate } from '../../shared/kernel/validation.ts';
import { assertOwnerOrAdmin, assertSelfOrAdmin } from '../../shared/users/domain/access.ts';
import { CLAIM_GRACE_MS, mayTakeOver } from '../../shared/users/domain/email-claims.ts';
import { customerView, PRIVATE } from '../../shared/users/domain/privacy.ts';
import { newProfile, ticketEntry } from '../../shared/users/domain/profile.ts';
import { purchaseFingerprint } from '../../shared/users/application/tickets.ts';
import { BuyTicketBody } from '../../shared/users/http/schemas.ts';

const who = (userId: number, role: Identity['role'] = 'client'): Identity => ({ userId, role, email: `u${userId}@x.ro` });

const thrown = (f: () => void) => {
  try {
    f();
  } catch (error) {
    return error as AppError;
  }
  return undefined;
};

describe('access rules', () => {
  it('self or admin', () => {
    expect(thrown(() => assertSelfOrAdmin(who(5), 5, 'view user'))).toBeUndefined();
    expect(thrown(() => assertSelfOrAdmin(who(1, 'admin'), 5, 'view user'))).toBeUndefined();
    const denied = thrown(() => assertSelfOrAdmin(who(6, 'owner-event'), 5, 'view user'));
    expect([denied?.status, denied?.message]).toEqual([403, 'forbidden: user not authorized to view user']);
    expect(thrown(() => assertSelfOrAdmin(who(6, 'serviciu_clienti'), 5, 'view user'))?.status).toBe(403);
  });

  it('owner or admin', () => {
    expect(thrown(() => assertOwnerOrAdmin(who(5, 'owner-event'), 5, 'event'))).toBeUndefined();
    expect(thrown(() => assertOwnerOrAdmin(who(1, 'admin'), 5, 'packet'))).toBeUndefined();
    expect(thrown(() => assertOwnerOrAdmin(who(6, 'owner-event'), 5, 'event'))?.status).toBe(403);
  });
});

describe('privacy masking', () => {
  const base = newProfile({ id: 3, email: 'a@b.ro', first_name: 'Ana', last_name: 'Pop' });

  it.each([
    [false, false, 'Ana', 'Pop'],
    [true, false, PRIVATE, 'Pop'],
    [false, true, 'Ana', PRIVATE],
    [true, true, PRIVATE, PRIVATE],
  ])('first private %s, last private %s', (fp, lp, first, last) => {
    const view = customerView({ ...base, first_name_private: fp, last_name_private: lp, ticket_list: [ticketEntry('c', { event_id: 1 })] });
    expect(view).toEqual({ id: 3, email: 'a@b.ro', first_name: first, last_name: last, first_name_private: fp, last_name_private: lp });
  });

  it('social media links are shown when set; tickets never', () => {
    expect(customerView({ ...base, social_media_links: 'https://s' })).toHaveProperty('social_media_links', 'https://s');
    expect(customerView(base)).not.toHaveProperty('ticket_list');
  });
});

describe('e-mail claims', () => {
  const claim = { email: 'a@b.ro', user_id: 1, claimed_at: 1_000 };
  it('own claim: always; a claim backed by its profile: never; an unbacked one: after the grace period', () => {
    expect(mayTakeOver(claim, 1, undefined, 1_001)).toBe(true);
    expect(mayTakeOver(claim, 2, 'A@B.ro', 1_000 + CLAIM_GRACE_MS * 10)).toBe(false);
    expect(mayTakeOver(claim, 2, undefined, 1_000 + CLAIM_GRACE_MS)).toBe(false);
    expect(mayTakeOver(claim, 2, undefined, 1_001 + CLAIM_GRACE_MS)).toBe(true);
    expect(mayTakeOver(claim, 2, 'other@b.ro', 1_001 + CLAIM_GRACE_MS)).toBe(true);
  });
});

describe('purchase body and fingerprint', () => {
  it('exactly one target; fingerprints differ per target and ignore nulls', () => {
    expect(validate(BuyTicketBody, { event_id: 4 }, 'us')).toEqual({ event_id: 4 });
    expect(validate(BuyTicketBody, { packet_id: 4, event_id: null }, 'us')).toEqual({ packet_id: 4 });
    expect(purchaseFingerprint({ event_id: 4 })).not.toBe(purchaseFingerprint({ packet_id: 4 }));
    expect(purchaseFingerprint({ event_id: 4 })).toBe(purchaseFingerprint({ event_id: 4 }));
  });
});
