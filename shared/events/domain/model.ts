/**
 * The event manager's records, as the rules see them. The counters (`directSold`, `packetAllocated`,
 * `sold`) are maintained in the same rows by the transactions that sell, cancel, bind and re-allocate
 * (see docs/EVENT-MANAGER.md); they never leave the service.
 */

export interface Event {
  id: number;
  ownerId: number;
  name: string;
  location: string | null;
  description: string | null;
  /** null: not defined, nothing can be sold directly (ORIGINAL §9.1). */
  seats: number | null;
  /** D(e): tickets sold directly for the event. */
  directSold: number;
  /** ΣA(q) over the packets that include the event (null allocations count as 0). */
  packetAllocated: number;
}

export interface Packet {
  id: number;
  ownerId: number;
  name: string;
  location: string | null;
  description: string | null;
  /** null: the packet cannot be sold (ORIGINAL §9.2). */
  allocatedSeats: number | null;
  /** T(p): tickets sold for the packet. */
  sold: number;
}

export interface Inclusion {
  eventId: number;
  packetId: number;
}

/** What a ticket is for: exactly one event or one packet. */
export type Target = { kind: 'event'; id: number } | { kind: 'packet'; id: number };

export interface Ticket {
  code: string;
  target: Target;
}

export const sameTarget = (a: Target, b: Target) => a.kind === b.kind && a.id === b.id;
