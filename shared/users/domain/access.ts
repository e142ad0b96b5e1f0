import type { Identity } from '../../auth/tokens.ts';
import { forbidden } from '../../kernel/errors.ts';

/**
 * Who may touch what in the User service. Roles were already checked by the route table; these are
 * the per-resource rules, each in exactly one place.
 */

const isAdmin = (caller: Identity) => caller.role === 'admin';

/**
 * Self or admin (U2–U4, tickets of a user; CONTRACT F6, F10): the token's user id must be the path's
 * user id. `action` words the message as the original did ("view", "edit", "delete", …).
 */
export function assertSelfOrAdmin(caller: Identity, userId: number, action: string): void {
  if (caller.userId !== userId && !isAdmin(caller)) throw forbidden(`forbidden: user not authorized to ${action}`);
}

/**
 * Owner or admin (U5, CONTRACT F4): the owner is whoever the event manager reports as `id_owner`.
 */
export function assertOwnerOrAdmin(caller: Identity, ownerId: number, what: 'event' | 'packet'): void {
  if (caller.userId !== ownerId && !isAdmin(caller)) {
    throw forbidden(`forbidden: only the ${what}'s owner can view its customers`);
  }
}
