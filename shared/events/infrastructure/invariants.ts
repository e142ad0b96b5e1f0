import type pg from 'pg';

/**
 * The proof that the seat counters never drift: one statement (one snapshot) that recounts, from
 * the ticket and inclusion rows themselves, what every counter claims, and checks the invariants
 *   seats(e) not null ⇒ direct_tickets(e) + Σ allocated_seats(packets in e) ≤ seats(e)
 *   seats(e) null     ⇒ direct_tickets(e) = 0 and Σ allocated_seats(packets in e) = 0
 *   tickets(p) ≤ coalesce(allocated_seats(p), 0)
 * on the recounted numbers. The tests run it after every race (and during some); an operator can run
 * it against a live database at any time. Empty result = everything adds up.
 */

export interface Violation {
  kind: 'event' | 'packet';
  id: number;
  /** seats (event) or allocated_seats (packet). */
  capacity: number | null;
  /** What the row's counters say: direct_sold + packet_allocated, or sold. */
  recorded: { sold: number; allocated?: number };
  /** What the ticket and inclusion rows say. */
  actual: { sold: number; allocated?: number };
}

const SQL = `
WITH direct AS (
  SELECT event_id, count(*) AS n FROM tickets
  WHERE event_id IS NOT NULL AND ($1::bigint[] IS NULL OR event_id = ANY($1::bigint[])) GROUP BY event_id
), packet_tickets AS (
  SELECT packet_id, count(*) AS n FROM tickets
  WHERE packet_id IS NOT NULL AND ($2::bigint[] IS NULL OR packet_id = ANY($2::bigint[])) GROUP BY packet_id
), allocations AS (
  SELECT i.event_id, sum(coalesce(p.allocated_seats, 0)) AS a
  FROM events_packet_inclusion i JOIN "eventsPacket" p ON p.id = i.packet_id
  WHERE $1::bigint[] IS NULL OR i.event_id = ANY($1::bigint[]) GROUP BY i.event_id
), events_now AS (
  SELECT e.id, e.seats, e.direct_sold, e.packet_allocated, coalesce(d.n, 0) AS d, coalesce(a.a, 0) AS a
  FROM events e LEFT JOIN direct d ON d.event_id = e.id LEFT JOIN allocations a ON a.event_id = e.id
  WHERE $1::bigint[] IS NULL OR e.id = ANY($1::bigint[])
), packets_now AS (
  SELECT p.id, p.allocated_seats, p.sold, coalesce(t.n, 0) AS t
  FROM "eventsPacket" p LEFT JOIN packet_tickets t ON t.packet_id = p.id
  WHERE $2::bigint[] IS NULL OR p.id = ANY($2::bigint[])
)
SELECT 'event' AS kind, id, seats AS capacity, direct_sold AS recorded_sold, packet_allocated AS recorded_allocated,
       d AS actual_sold, a AS actual_allocated
FROM events_now
WHERE direct_sold <> d OR packet_allocated <> a
   OR (seats IS NOT NULL AND d + a > seats) OR (seats IS NULL AND d + a > 0)
UNION ALL
SELECT 'packet', id, allocated_seats, sold, NULL, t, NULL
FROM packets_now
WHERE sold <> t OR t > coalesce(allocated_seats, 0)
ORDER BY 1, 2`;

const num = (v: unknown) => (v === null ? null : Number(v));

/** Every event and packet whose counters or seat limits are wrong; with a scope, only those ids. */
export async function seatViolations(
  db: Pick<pg.Pool | pg.PoolClient, 'query'>,
  scope: { eventIds?: number[]; packetIds?: number[] } = {},
): Promise<Violation[]> {
  const scoped = scope.eventIds !== undefined || scope.packetIds !== undefined;
  const { rows } = await db.query(SQL, [scope.eventIds ?? (scoped ? [] : null), scope.packetIds ?? (scoped ? [] : null)]);
  return rows.map((r) => ({
    kind: r.kind,
    id: Number(r.id),
    capacity: num(r.capacity),
    recorded: r.kind === 'event' ? { sold: Number(r.recorded_sold), allocated: Number(r.recorded_allocated) } : { sold: Number(r.recorded_sold) },
    actual: r.kind === 'event' ? { sold: Number(r.actual_sold), allocated: Number(r.actual_allocated) } : { sold: Number(r.actual_sold) },
  }));
}
