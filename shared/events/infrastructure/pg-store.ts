import type pg from 'pg';
import {
  CHECK_VIOLATION,
  FOREIGN_KEY_VIOLATION,
  pgPool,
  sqlState,
  transaction,
  UNIQUE_VIOLATION,
} from '../../kernel/postgres.ts';
import { type AppError, conflict, unprocessable } from '../../kernel/errors.ts';
import { auditStamp } from '../../kernel/audit-context.ts';
import { log } from '../../kernel/request-context.ts';
import {
  type EventChanges,
  type EventsStore,
  type EventsTx,
  type ListFilter,
  NameTaken,
  type NewEvent,
  type NewPacket,
  type Page,
  type PacketChanges,
  RetryTransaction,
  type Sale,
} from '../application/ports.ts';
import { contention, RACE_ATTEMPTS } from '../application/common.ts';
import { containsPattern, type OrderBy } from '../domain/listing.ts';
import type { Event, Inclusion, Packet, Target, Ticket } from '../domain/model.ts';
import { CAPACITY_EXCEEDED, RESOURCE_IN_USE } from '../domain/seats.ts';

/**
 * The event manager's PostgreSQL adapter (schema: ../migrations/0001_events.sql). Seat counters live
 * in the rows they guard and change only in the statements below, inside the use cases'
 * transactions; CHECK constraints make an oversold row impossible whatever happens here.
 */

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;
type Row = Record<string, unknown>;

const EVENT = 'id, id_owner, name, location, description, seats, direct_sold, packet_allocated';
const PACKET = 'id, id_owner, name, location, description, allocated_seats, sold';

const int = (value: unknown) => Number(value);
const intOrNull = (value: unknown) => (value === null ? null : Number(value));
const textOrNull = (value: unknown) => (value === null ? null : String(value));

const toEvent = (r: Row): Event => ({
  id: int(r.id),
  ownerId: int(r.id_owner),
  name: String(r.name),
  location: textOrNull(r.location),
  description: textOrNull(r.description),
  seats: intOrNull(r.seats),
  directSold: int(r.direct_sold),
  packetAllocated: int(r.packet_allocated),
});

const toPacket = (r: Row): Packet => ({
  id: int(r.id),
  ownerId: int(r.id_owner),
  name: String(r.name),
  location: textOrNull(r.location),
  description: textOrNull(r.description),
  allocatedSeats: intOrNull(r.allocated_seats),
  sold: int(r.sold),
});

const toTicket = (r: Row): Ticket => ({
  code: String(r.code),
  target: r.event_id !== null ? { kind: 'event', id: int(r.event_id) } : { kind: 'packet', id: int(r.packet_id) },
});

const targetColumns = (t: Target) => (t.kind === 'event' ? [t.id, null] : [null, t.id]);

/**
 * The row that counts the seats of a sale target, and its free-seat condition: §9.1 for an event's
 * direct sales, §9.2 for a packet (an allocation reserved its seats in the events up front).
 */
const SEAT_ROW = {
  event: { table: 'events', columns: EVENT, counter: 'direct_sold', free: 'seats IS NOT NULL AND direct_sold + packet_allocated < seats', ticketColumn: 'event_id' },
  packet: { table: '"eventsPacket"', columns: PACKET, counter: 'sold', free: 'allocated_seats IS NOT NULL AND sold < allocated_seats', ticketColumn: 'packet_id' },
} as const;

/** One seat of the target, if its rule allows it right now: a single conditional UPDATE. */
async function takeSeat(db: Queryable, { kind, id }: Target): Promise<boolean> {
  const row = SEAT_ROW[kind];
  const { rowCount } = await db.query(`UPDATE ${row.table} SET ${row.counter} = ${row.counter} + 1 WHERE id = $1 AND ${row.free}`, [id]);
  return rowCount === 1;
}

async function one<T>(db: Queryable, map: (r: Row) => T, text: string, values: unknown[]): Promise<T | undefined> {
  const { rows } = await db.query(text, values);
  return rows[0] ? map(rows[0]) : undefined;
}

async function exists(db: Queryable, text: string, values: unknown[]): Promise<boolean> {
  const { rows } = await db.query(`SELECT EXISTS (${text}) AS found`, values);
  return rows[0].found === true;
}

/** A unique name taken → NameTaken; anything else unchanged. */
async function naming<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const constraint = (error as { constraint?: string }).constraint;
    if (sqlState(error) === UNIQUE_VIOLATION && (constraint === 'events_name_key' || constraint === 'eventsPacket_name_key')) {
      throw new NameTaken();
    }
    throw error;
  }
}

/** `SET a = $2, b = $3` for the given columns (values from $2 on; $1 is the id). */
function assignments(columns: Record<string, unknown>): { sql: string; values: unknown[] } {
  const entries = Object.entries(columns).filter(([, v]) => v !== undefined);
  return { sql: entries.map(([column], i) => `${column} = $${i + 2}`).join(', '), values: entries.map(([, v]) => v) };
}

// ── reads ─────────────────────────────────────────────────────────────────────────────────────

const ORDER: Record<OrderBy | 'default', (seats: string) => string> = {
  default: () => 'id ASC',
  name_asc: () => 'name ASC, id ASC',
  name_desc: () => 'name DESC, id ASC',
  seats_asc: (seats) => `${seats} ASC NULLS LAST, id ASC`,
  seats_desc: (seats) => `${seats} DESC NULLS LAST, id ASC`,
};

/**
 * One page and the total, in one statement (one snapshot): filters are case-insensitive literal
 * substrings (CONTRACT F17), `seats` is the column min/max/order apply to.
 */
async function listPage<T>(db: Queryable, table: string, columns: string, seats: string, filter: ListFilter, map: (r: Row) => T): Promise<Page<T>> {
  const values: unknown[] = [];
  const where: string[] = [];
  const add = (condition: (param: string) => string, value: unknown) => {
    values.push(value);
    where.push(condition(`$${values.length}`));
  };
  for (const column of ['name', 'location', 'description'] as const) {
    const text = filter[column];
    if (text !== undefined) add((p) => `${column} ILIKE ${p} ESCAPE '\\'`, containsPattern(text));
  }
  if (filter.minSeats !== undefined) add((p) => `${seats} >= ${p}`, filter.minSeats);
  if (filter.maxSeats !== undefined) add((p) => `${seats} <= ${p}`, filter.maxSeats);
  if (filter.ownerId !== undefined) add((p) => `id_owner = ${p}`, filter.ownerId);
  const condition = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const limit = `$${values.length + 1}`;
  const page = `$${values.length + 2}`;
  const { rows } = await db.query(
    `SELECT c.total, t.* FROM (SELECT count(*) AS total FROM ${table} ${condition}) c
     LEFT JOIN LATERAL (
       SELECT ${columns} FROM ${table} ${condition}
       ORDER BY ${ORDER[filter.orderBy ?? 'default'](seats)}
       LIMIT ${limit}::bigint OFFSET (${page}::bigint - 1) * ${limit}::bigint
     ) t ON true`,
    [...values, filter.perPage, filter.page],
  );
  return { total: int(rows[0].total), items: rows.filter((r) => r.id !== null).map(map) };
}

// ── transactions ──────────────────────────────────────────────────────────────────────────────

class PgEventsTx implements EventsTx {
  constructor(private readonly db: pg.PoolClient) {}

  event(id: number) {
    return one(this.db, toEvent, `SELECT ${EVENT} FROM events WHERE id = $1`, [id]);
  }

  packet(id: number) {
    return one(this.db, toPacket, `SELECT ${PACKET} FROM "eventsPacket" WHERE id = $1`, [id]);
  }

  // events
  async insertEvent(e: NewEvent) {
    return (await naming(
      one(this.db, toEvent, `INSERT INTO events (id_owner, name, location, description, seats) VALUES ($1, $2, $3, $4, $5) RETURNING ${EVENT}`, [
        e.ownerId, e.name, e.location, e.description, e.seats,
      ]),
    ))!;
  }

  async lockEvents(ids: readonly number[]) {
    if (ids.length === 0) return [];
    // ORDER BY before the lock: rows are locked in ascending id order (no deadlock between lockers).
    const { rows } = await this.db.query(`SELECT ${EVENT} FROM events WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE`, [ids]);
    return rows.map(toEvent);
  }

  lockEventForDelete(id: number) {
    return one(this.db, toEvent, `SELECT ${EVENT} FROM events WHERE id = $1 FOR UPDATE`, [id]);
  }

  async updateEvent(id: number, c: EventChanges) {
    const set = assignments({ id_owner: c.ownerId, name: c.name, location: c.location, description: c.description, seats: c.seats });
    if (!set.sql) return (await this.event(id))!;
    return (await naming(one(this.db, toEvent, `UPDATE events SET ${set.sql} WHERE id = $1 RETURNING ${EVENT}`, [id, ...set.values])))!;
  }

  async deleteEvent(id: number) {
    await this.db.query('DELETE FROM events WHERE id = $1', [id]);
  }

  eventHasInclusions(id: number) {
    return exists(this.db, 'SELECT 1 FROM events_packet_inclusion WHERE event_id = $1', [id]);
  }

  takeDirectSeat(eventId: number) {
    return takeSeat(this.db, { kind: 'event', id: eventId });
  }

  async releaseDirectSeat(eventId: number) {
    await this.db.query('UPDATE events SET direct_sold = direct_sold - 1 WHERE id = $1', [eventId]);
  }

  async addAllocation(eventIds: readonly number[], delta: number) {
    if (eventIds.length === 0 || delta === 0) return;
    await this.db.query('UPDATE events SET packet_allocated = packet_allocated + $2 WHERE id = ANY($1::bigint[])', [eventIds, delta]);
  }

  // packets
  async insertPacket(p: NewPacket) {
    return (await naming(
      one(
        this.db,
        toPacket,
        `INSERT INTO "eventsPacket" (id_owner, name, location, description, allocated_seats) VALUES ($1, $2, $3, $4, $5) RETURNING ${PACKET}`,
        [p.ownerId, p.name, p.location, p.description, p.allocatedSeats],
      ),
    ))!;
  }

  lockPacket(id: number) {
    return one(this.db, toPacket, `SELECT ${PACKET} FROM "eventsPacket" WHERE id = $1 FOR NO KEY UPDATE`, [id]);
  }

  lockPacketForDelete(id: number) {
    return one(this.db, toPacket, `SELECT ${PACKET} FROM "eventsPacket" WHERE id = $1 FOR UPDATE`, [id]);
  }

  async updatePacket(id: number, c: PacketChanges) {
    const set = assignments({
      id_owner: c.ownerId, name: c.name, location: c.location, description: c.description, allocated_seats: c.allocatedSeats,
    });
    if (!set.sql) return (await this.packet(id))!;
    return (await naming(one(this.db, toPacket, `UPDATE "eventsPacket" SET ${set.sql} WHERE id = $1 RETURNING ${PACKET}`, [id, ...set.values])))!;
  }

  async deletePacket(id: number) {
    await this.db.query('DELETE FROM "eventsPacket" WHERE id = $1', [id]);
  }

  packetHasInclusions(id: number) {
    return exists(this.db, 'SELECT 1 FROM events_packet_inclusion WHERE packet_id = $1', [id]);
  }

  async eventIdsOfPacket(packetId: number) {
    const { rows } = await this.db.query('SELECT event_id FROM events_packet_inclusion WHERE packet_id = $1 ORDER BY event_id', [packetId]);
    return rows.map((r) => int(r.event_id));
  }

  takePacketSeat(packetId: number) {
    return takeSeat(this.db, { kind: 'packet', id: packetId });
  }

  async releasePacketSeat(packetId: number) {
    await this.db.query('UPDATE "eventsPacket" SET sold = sold - 1 WHERE id = $1', [packetId]);
  }

  // inclusions
  inclusionExists({ eventId, packetId }: Inclusion) {
    return exists(this.db, 'SELECT 1 FROM events_packet_inclusion WHERE event_id = $1 AND packet_id = $2', [eventId, packetId]);
  }

  async insertInclusion({ eventId, packetId }: Inclusion) {
    await this.db.query('INSERT INTO events_packet_inclusion (event_id, packet_id) VALUES ($1, $2)', [eventId, packetId]);
  }

  async deleteInclusion({ eventId, packetId }: Inclusion) {
    const { rowCount } = await this.db.query('DELETE FROM events_packet_inclusion WHERE event_id = $1 AND packet_id = $2', [eventId, packetId]);
    return rowCount === 1;
  }

  // tickets
  lockTicket(code: string) {
    return one(this.db, toTicket, 'SELECT code, event_id, packet_id FROM tickets WHERE code = $1 FOR UPDATE', [code]);
  }

  deleteTicket(code: string) {
    return one(this.db, toTicket, 'DELETE FROM tickets WHERE code = $1 RETURNING code, event_id, packet_id', [code]);
  }

  async retarget(code: string, target: Target) {
    await this.db.query('UPDATE tickets SET event_id = $2, packet_id = $3 WHERE code = $1', [code, ...targetColumns(target)]);
  }
}

export class PgEventsStore implements EventsStore {
  constructor(private readonly pool: () => Promise<pg.Pool>) {}

  async transaction<T>(work: (tx: EventsTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await transaction('events', (client) => work(new PgEventsTx(client)));
      } catch (error) {
        if (!(error instanceof RetryTransaction)) throw clientFault(error) ?? error;
        if (attempt === RACE_ATTEMPTS) throw contention();
      }
    }
  }

  async sellTicket({ code, target }: Ticket): Promise<Sale> {
    const seat = SEAT_ROW[target.kind];
    try {
      // Autocommit, one round trip: the seat row is locked only while PostgreSQL runs this, never
      // while a reply travels to the client and back — the lock hold time bounds a hot event's sales.
      // The target's row comes along, so that a refusal (sold out) needs no second statement.
      const { rows } = await (await this.pool()).query({
        // Unnamed (no `name:`): a named prepared statement lives in one server session, which a
        // pooler in transaction mode (RDS Proxy, PgBouncer) hands to other clients between statements.
        text: `WITH existing AS (SELECT code, event_id, packet_id FROM tickets WHERE code = $1),
              seat AS (UPDATE ${seat.table} SET ${seat.counter} = ${seat.counter} + 1
                       WHERE id = $2 AND ${seat.free} AND NOT EXISTS (SELECT FROM existing) RETURNING id),
              sold AS (INSERT INTO tickets (code, ${seat.ticketColumn}) SELECT $1, id FROM seat RETURNING code),
              target AS (SELECT ${seat.columns} FROM ${seat.table} WHERE id = $2)
         SELECT (SELECT count(*) FROM sold)::int AS sold_now, e.code, e.event_id, e.packet_id, t.*,
                set_config('tix.audit', $3, true) AS audit -- who sells, for the audit trigger (fires at the statement's end)
         FROM (VALUES (1)) AS one LEFT JOIN existing e ON true LEFT JOIN target t ON true`,
        values: [code, target.id, JSON.stringify(auditStamp())],
      });
      const row = rows[0];
      if (row.sold_now === 1) return { kind: 'sold' };
      if (row.code !== null) return { kind: 'exists', ticket: toTicket(row) };
      if (row.id === null) return { kind: 'no-seat' };
      return target.kind === 'event' ? { kind: 'no-seat', event: toEvent(row) } : { kind: 'no-seat', packet: toPacket(row) };
    } catch (error) {
      // A request with the same new code committed first; the whole statement (seat included) was undone.
      if (sqlState(error) === UNIQUE_VIOLATION) return { kind: 'code-taken' };
      throw clientFault(error) ?? error;
    }
  }

  async event(id: number) {
    return one(await this.pool(), toEvent, `SELECT ${EVENT} FROM events WHERE id = $1`, [id]);
  }

  async packet(id: number) {
    return one(await this.pool(), toPacket, `SELECT ${PACKET} FROM "eventsPacket" WHERE id = $1`, [id]);
  }

  async ticket(code: string) {
    return one(await this.pool(), toTicket, 'SELECT code, event_id, packet_id FROM tickets WHERE code = $1', [code]);
  }

  async listEvents(filter: ListFilter) {
    return listPage(await this.pool(), 'events', EVENT, 'seats', filter, toEvent);
  }

  async listPackets(filter: ListFilter) {
    return listPage(await this.pool(), '"eventsPacket"', PACKET, 'allocated_seats', filter, toPacket);
  }

  async packetsOfEvent(eventId: number) {
    const { rows } = await (await this.pool()).query(
      `SELECT ${PACKET.replace(/\w+/g, 'p.$&')} FROM "eventsPacket" p
       JOIN events_packet_inclusion i ON i.packet_id = p.id WHERE i.event_id = $1 ORDER BY p.id`,
      [eventId],
    );
    return rows.map(toPacket);
  }

  async eventsOfPacket(packetId: number) {
    const { rows } = await (await this.pool()).query(
      `SELECT ${EVENT.replace(/\w+/g, 'e.$&')} FROM events e
       JOIN events_packet_inclusion i ON i.event_id = e.id WHERE i.packet_id = $1 ORDER BY e.id`,
      [packetId],
    );
    return rows.map(toEvent);
  }
}

export const pgEventsStore = () => new PgEventsStore(() => pgPool('events'));

/** What a client sees when only the CHECK constraints stopped a write (the rules should have). */
export const CONSTRAINT_REFUSAL = 'the change would exceed the available seats';

/**
 * The schema's last line of defence fired: a client's request, not a server fault (never a 5xx).
 * A CHECK firing means a rule above let something through, so it is logged loudly.
 */
function clientFault(error: unknown): AppError | undefined {
  switch (sqlState(error)) {
    case CHECK_VIOLATION:
      log().error('seat constraint rejected a write', { constraint: (error as { constraint?: string }).constraint });
      return unprocessable(CONSTRAINT_REFUSAL, undefined, CAPACITY_EXCEEDED);
    case FOREIGN_KEY_VIOLATION:
      return unprocessable('the change conflicts with the events, packets or tickets referring to it', undefined, RESOURCE_IN_USE);
    case UNIQUE_VIOLATION:
      return conflict('the resource already exists', 'ALREADY_EXISTS');
    case '22003': // numeric_value_out_of_range
      return unprocessable('a number is out of range', undefined, 'OUT_OF_RANGE');
    default:
      return undefined;
  }
}
