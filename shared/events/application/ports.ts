import type { Event, Inclusion, Packet, Target, Ticket } from '../domain/model.ts';
import type { OrderBy, Paging } from '../domain/listing.ts';

/**
 * What the use cases need from storage. Every rule that guards a write runs inside `transaction`,
 * on rows the transaction has locked (`lock*`), or through a conditional statement (`take*Seat`,
 * `sellTicket`).
 */

export interface NewEvent {
  ownerId: number;
  name: string;
  location: string | null;
  description: string | null;
  seats: number | null;
}

export interface NewPacket {
  ownerId: number;
  name: string;
  location: string | null;
  description: string | null;
  allocatedSeats: number | null;
}

/** Only the fields that change. */
export type EventChanges = Partial<Omit<NewEvent, 'seats'> & { seats: number }>;
export type PacketChanges = Partial<Omit<NewPacket, 'allocatedSeats'> & { allocatedSeats: number }>;

export interface ListFilter extends Paging {
  name?: string;
  location?: string;
  description?: string;
  /** On events `seats`, on packets `allocated_seats`. */
  minSeats?: number;
  maxSeats?: number;
  ownerId?: number;
  orderBy?: OrderBy;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** Reads outside any transaction (each one statement, so each sees one consistent snapshot). */
export interface EventsReader {
  event(id: number): Promise<Event | undefined>;
  packet(id: number): Promise<Packet | undefined>;
  ticket(code: string): Promise<Ticket | undefined>;
  listEvents(filter: ListFilter): Promise<Page<Event>>;
  listPackets(filter: ListFilter): Promise<Page<Packet>>;
  packetsOfEvent(eventId: number): Promise<Packet[]>;
  eventsOfPacket(packetId: number): Promise<Event[]>;
}

export interface EventsStore extends EventsReader {
  /**
   * Runs `work` in one transaction. When it throws RetryTransaction the transaction is rolled back
   * and run again (a few times); storage faults that a client caused are turned into 4xx AppErrors.
   */
  transaction<T>(work: (tx: EventsTx) => Promise<T>): Promise<T>;
  /**
   * Sells one seat of the ticket's target and records the ticket in one atomic statement, outside
   * any transaction: both happen or neither. Nothing happens when the code already exists.
   */
  sellTicket(ticket: Ticket): Promise<Sale>;
}

/**
 * What one sale attempt did: `no-seat` — the target's rule refused, with the target's row as the
 * statement's snapshot saw it (none: no such target then); `code-taken` — a concurrent request with
 * the same new code won, the next attempt sees its ticket.
 */
export type Sale =
  | { kind: 'sold' }
  | { kind: 'exists'; ticket: Ticket }
  | { kind: 'no-seat'; event?: Event; packet?: Packet }
  | { kind: 'code-taken' };

/**
 * One transaction. Lock order, everywhere: the ticket row, then event rows by ascending id, then
 * packet rows by ascending id. A method never waits for a lock that breaks this order.
 */
export interface EventsTx {
  event(id: number): Promise<Event | undefined>;
  packet(id: number): Promise<Packet | undefined>;

  insertEvent(event: NewEvent): Promise<Event>;
  /** Locks the events (ascending id) against concurrent changes; missing ids are left out. */
  lockEvents(ids: readonly number[]): Promise<Event[]>;
  /** Locks an event for deletion (also against new tickets and inclusions referencing it). */
  lockEventForDelete(id: number): Promise<Event | undefined>;
  updateEvent(id: number, changes: EventChanges): Promise<Event>;
  deleteEvent(id: number): Promise<void>;
  eventHasInclusions(id: number): Promise<boolean>;
  /** One direct seat, if §9.1 allows it right now: a single conditional UPDATE. */
  takeDirectSeat(eventId: number): Promise<boolean>;
  releaseDirectSeat(eventId: number): Promise<void>;
  /** Adds `delta` to the packet allocations counted by these (already locked) events. */
  addAllocation(eventIds: readonly number[], delta: number): Promise<void>;

  insertPacket(packet: NewPacket): Promise<Packet>;
  lockPacket(id: number): Promise<Packet | undefined>;
  lockPacketForDelete(id: number): Promise<Packet | undefined>;
  updatePacket(id: number, changes: PacketChanges): Promise<Packet>;
  deletePacket(id: number): Promise<void>;
  packetHasInclusions(id: number): Promise<boolean>;
  /** Ids of the events including the packet, ascending. */
  eventIdsOfPacket(packetId: number): Promise<number[]>;
  /** One packet seat, if §9.2 allows it right now: a single conditional UPDATE. */
  takePacketSeat(packetId: number): Promise<boolean>;
  releasePacketSeat(packetId: number): Promise<void>;

  inclusionExists(inclusion: Inclusion): Promise<boolean>;
  insertInclusion(inclusion: Inclusion): Promise<void>;
  /** False when there was no such inclusion. */
  deleteInclusion(inclusion: Inclusion): Promise<boolean>;

  lockTicket(code: string): Promise<Ticket | undefined>;
  /** The deleted ticket, or undefined when there was none. */
  deleteTicket(code: string): Promise<Ticket | undefined>;
  retarget(code: string, target: Target): Promise<void>;
}

/** Thrown by a storage write when a unique name is taken. */
export class NameTaken extends Error {
  override name = 'NameTaken';
}

/** Thrown inside a transaction to roll it back and run it again (it lost a race it can win next time). */
export class RetryTransaction extends Error {
  override name = 'RetryTransaction';
}
