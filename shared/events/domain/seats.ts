import { type AppError, unprocessable } from '../../kernel/errors.ts';
import type { Event, Packet } from './model.ts';

/**
 * The seat arithmetic of ORIGINAL §9 with the inclusion rule of CONTRACT F13, over the counters kept
 * in the rows (see model.ts). Each rule answers "refused, and why" (an AppError carrying the
 * original's message) or undefined. The storage layer runs them on rows it has locked, so a rule and
 * the write it guards are one atomic step; the CHECK constraints of the schema back them up.
 *
 * The invariants they keep, for every event e and packet p:
 *   seats(e) not null  ⇒  D(e) + ΣA(packets in e) ≤ seats(e)
 *   seats(e) null      ⇒  D(e) = 0 and ΣA(packets in e) = 0
 *   T(p) ≤ coalesce(allocated_seats(p), 0)
 * and, for the tickets already sold, F22: a packet with sold tickets keeps its events.
 */

/** Greatest accepted `seats` / `allocated_seats`: sums of them stay far inside PostgreSQL's bigint. */
export const MAX_SEATS = 2_147_483_647;

export const SOLD_OUT = 'SOLD_OUT';
export const NO_SEATS_DEFINED = 'NO_SEATS_DEFINED';
export const CAPACITY_EXCEEDED = 'CAPACITY_EXCEEDED';
export const RESOURCE_IN_USE = 'RESOURCE_IN_USE';

/** §9.1: seats left for direct sale; null when the event has no seats defined. */
export const directAvailable = (e: Event): number | null =>
  e.seats === null ? null : e.seats - e.directSold - e.packetAllocated;

/** §9.2: seats left in a packet; null when it has no allocation. */
export const packetAvailable = (p: Packet): number | null =>
  p.allocatedSeats === null ? null : p.allocatedSeats - p.sold;

/**
 * §9.1, once the conditional sale found no seat: the reason, or undefined when a seat is free after
 * all (a cancellation committed in between; the caller tries again).
 */
export function directSaleRefusal(e: Event): AppError | undefined {
  const available = directAvailable(e);
  if (available === null) return unprocessable(`event ${e.id} does not have seats defined`, 'event_id', NO_SEATS_DEFINED);
  if (available > 0) return undefined;
  return unprocessable(
    `event '${e.name}' has no available seats (total: ${e.seats}, direct tickets: ${e.directSold}, packet allocations: ${e.packetAllocated})`,
    'event_id',
    SOLD_OUT,
  );
}

/** §9.2, likewise for a packet. */
export function packetSaleRefusal(p: Packet): AppError | undefined {
  const available = packetAvailable(p);
  if (available === null) return unprocessable(`packet ${p.id} does not have allocated seats defined`, 'packet_id', NO_SEATS_DEFINED);
  if (available > 0) return undefined;
  return unprocessable(`packet '${p.name}' is sold out (${p.sold}/${p.allocatedSeats} tickets sold)`, 'packet_id', SOLD_OUT);
}

/** §9.3: an event's seats may become `n` only while they still hold what is sold and allocated. */
export function seatsChangeRefusal(e: Event, n: number): AppError | undefined {
  const required = e.directSold + e.packetAllocated;
  if (n >= required) return undefined;
  return unprocessable(
    `cannot reduce seats to ${n}: total required is ${required} (${e.directSold} direct tickets sold + ${e.packetAllocated} allocated in packets)`,
    'seats',
    CAPACITY_EXCEEDED,
  );
}

/**
 * §9.4 with the binding rule of §9.5 / F13: a packet's allocation may become `n` when it covers the
 * tickets sold and fits, in every including event, what direct sales and the other packets leave; an
 * event without seats has nothing to allocate from. `events` are the events including the packet, in
 * id order (the first failing one is reported).
 */
export function allocationChangeRefusal(p: Packet, events: readonly Event[], n: number): AppError | undefined {
  if (n < p.sold) {
    return unprocessable(
      `cannot reduce allocated_seats to ${n}: ${p.sold} tickets have already been sold for this packet`,
      'allocated_seats',
      CAPACITY_EXCEEDED,
    );
  }
  const current = p.allocatedSeats ?? 0;
  for (const e of events) {
    if (e.seats === null) {
      return unprocessable(`cannot allocate ${n} seats: event ${e.id} doesn't have seats defined`, 'allocated_seats', NO_SEATS_DEFINED);
    }
    const others = e.packetAllocated - current;
    const available = e.seats - e.directSold - others;
    if (n > available) return allocationTooLarge(n, e, available, others, 'allocated_seats');
  }
  return undefined;
}

/**
 * §9.5 made safe by F13: binding requires the packet's allocation to fit the event's available seats
 * (the §9.4 formula, with every packet already bound counted as "other"). A packet without an
 * allocation always fits; one with an allocation needs an event with seats.
 */
export function inclusionRefusal(e: Event, p: Packet): AppError | undefined {
  const needed = p.allocatedSeats;
  if (needed === null) return undefined;
  if (e.seats === null) {
    return unprocessable(`event ${e.id} doesn't have seats defined, cannot be added to packet requiring ${needed} seats`, undefined, NO_SEATS_DEFINED);
  }
  if (e.seats < needed) {
    return unprocessable(`event has ${e.seats} seats but packet requires ${needed} allocated seats`, undefined, CAPACITY_EXCEEDED);
  }
  const available = e.seats - e.directSold - e.packetAllocated;
  if (needed > available) return allocationTooLarge(needed, e, available, e.packetAllocated, undefined);
  return undefined;
}

const allocationTooLarge = (n: number, e: Event, available: number, others: number, field: string | undefined) =>
  unprocessable(
    `cannot allocate ${n} seats: event '${e.name}' only has ${available} available seats (${e.seats} total - ${e.directSold} sold - ${others} in other packets)`,
    field,
    CAPACITY_EXCEEDED,
  );

/**
 * F22: a packet's sold tickets use the seats its allocation holds in every event it includes, so
 * those events stay in the packet until the tickets are cancelled (or moved).
 */
export function unbindingRefusal(e: Event, p: Packet): AppError | undefined {
  if (p.sold === 0) return undefined;
  const tickets = p.sold === 1 ? '1 ticket has' : `${p.sold} tickets have`;
  return unprocessable(
    `cannot remove event ${e.id} from packet '${p.name}': ${tickets} been sold for the packet and use this event's seats`,
    undefined,
    RESOURCE_IN_USE,
  );
}

/**
 * ORIGINAL §5.1 E4: events with tickets or inclusions stay. An event in a packet with sold tickets
 * therefore stays too: its inclusion cannot be removed (F22).
 */
export function eventDeletionRefusal(e: Event, hasInclusions: boolean): AppError | undefined {
  if (e.directSold > 0) return unprocessable('cannot delete event with sold tickets', undefined, RESOURCE_IN_USE);
  if (hasInclusions) return unprocessable('cannot delete event included in packets', undefined, RESOURCE_IN_USE);
  return undefined;
}

/** ORIGINAL §5.2 P4: packets with tickets or inclusions stay. */
export function packetDeletionRefusal(p: Packet, hasInclusions: boolean): AppError | undefined {
  if (p.sold > 0) return unprocessable('cannot delete packet with sold tickets', undefined, RESOURCE_IN_USE);
  if (hasInclusions) return unprocessable('cannot delete packet that contains events', undefined, RESOURCE_IN_USE);
  return undefined;
}
