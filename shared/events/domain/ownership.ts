import type { Identity } from '../../auth/tokens.ts';
import { forbidden } from '../../kernel/errors.ts';

/**
 * Who may change what (CONTRACT F3, F4, F6) — the one place of these rules. The route table has
 * already checked the caller's role; here the caller must own the resource, or be an admin.
 */

const isAdmin = (caller: Identity) => caller.role === 'admin';

export const mayManage = (caller: Identity, ownerId: number) => isAdmin(caller) || caller.userId === ownerId;

/** Throws 403 `forbidden: you don't have permission to <action>` unless the caller may manage it. */
export function requireManager(caller: Identity, ownerId: number, action: string): void {
  if (!mayManage(caller, ownerId)) throw forbidden(`forbidden: you don't have permission to ${action}`);
}

/** F3: the owner of a new event or packet is the caller; naming someone else is only for admins. */
export function ownerOfNew(caller: Identity, requested: number | null | undefined): number {
  if (requested == null || requested === caller.userId) return caller.userId;
  if (!isAdmin(caller)) throw forbidden('forbidden: id_owner must be your own user id');
  return requested;
}

/** F3: PATCH may not transfer ownership, except by an admin. Returns the new owner, if it changes. */
export function ownerChange(caller: Identity, currentOwner: number, requested: number | null | undefined, what: string): number | undefined {
  if (requested == null || requested === currentOwner) return undefined;
  if (!isAdmin(caller)) throw forbidden(`forbidden: you don't have permission to change the owner of this ${what}`);
  return requested;
}

/**
 * F4: binding, re-allocating and unbinding spend an event's seats, so besides the packet the caller
 * must manage the event (an owner may not spend another owner's seats).
 */
export function requireEventSeats(caller: Identity, event: { id: number; ownerId: number }): void {
  if (!mayManage(caller, event.ownerId)) {
    throw forbidden(`forbidden: you don't have permission to use the seats of event ${event.id}: it belongs to another owner`);
  }
}
