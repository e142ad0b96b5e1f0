import * as z from 'zod';
import { MAX_ID, pathId, queryInt } from '../../kernel/validation.ts';
import type { ListFilter } from '../application/ports.ts';
import { DEFAULT_PAGE, DEFAULT_PER_PAGE, MAX_PER_PAGE, ORDER_BY, ORDER_BY_MESSAGE } from '../domain/listing.ts';
import { MAX_SEATS } from '../domain/seats.ts';
import { TICKET_CODE, TICKET_CODE_MESSAGE } from '../domain/tickets.ts';

/**
 * Request shapes of the event manager (ORIGINAL §5, CONTRACT F3, F11, F19). Strict objects: an
 * unknown key or a wrong JSON type is a 400, a broken limit a 422 naming the JSON field (see
 * shared/kernel/validation.ts). `null` for an optional field means "not given", as in the original.
 */

/** Text of at most `max` characters (counted as the original does: code points), without NUL. */
const text = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .refine((s) => [...s].length <= max, `must be at most ${max} characters long`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

const ownerId = z.int().min(1).max(MAX_ID);
const seats = z.int().min(1).max(MAX_SEATS);
const id = z.int().min(1).max(MAX_ID);

const NAME = 255;
const LOCATION = 500;
const DESCRIPTION = 1000;

// ── bodies ───────────────────────────────────────────────────────────────────────────────────

/** E1: `id_owner` optional, and when given it must be the caller (checked by the use case). */
export const CreateEventBody = z.strictObject({
  id_owner: ownerId.nullish(),
  name: text(NAME, 1),
  location: text(LOCATION).nullish(),
  description: text(DESCRIPTION).nullish(),
  seats: seats.nullish(),
});

/** E3: every field optional; null or absent = unchanged. */
export const UpdateEventBody = z.strictObject({
  id_owner: ownerId.nullish(),
  name: text(NAME, 1).nullish(),
  location: text(LOCATION).nullish(),
  description: text(DESCRIPTION).nullish(),
  seats: seats.nullish(),
});

export const CreatePacketBody = z.strictObject({
  id_owner: ownerId.nullish(),
  name: text(NAME, 1),
  location: text(LOCATION).nullish(),
  description: text(DESCRIPTION).nullish(),
  allocated_seats: seats.nullish(),
});

export const UpdatePacketBody = z.strictObject({
  id_owner: ownerId.nullish(),
  name: text(NAME, 1).nullish(),
  location: text(LOCATION).nullish(),
  description: text(DESCRIPTION).nullish(),
  allocated_seats: seats.nullish(),
});

/** I1 / I4: an inclusion has no fields: `{}` (or, as the original accepted, `null`). */
export const InclusionBody = z.strictObject({}).nullable();

/** T1 / T2 / T4: exactly one of the two (checked by the use case, with the original's messages). */
export const TicketBody = z.strictObject({
  packet_id: id.nullish(),
  event_id: id.nullish(),
});

// ── path parameters ──────────────────────────────────────────────────────────────────────────

export const IdParams = z.strictObject({ id: pathId() });
export const EventIdParams = z.strictObject({ event_id: pathId() });
export const PacketIdParams = z.strictObject({ packet_id: pathId() });
export const InclusionParams = z.strictObject({ event_id: pathId(), packet_id: pathId() });
export const TicketCodeParams = z.strictObject({ code: z.string().regex(TICKET_CODE, TICKET_CODE_MESSAGE) });

// ── list queries (E5, P5) ────────────────────────────────────────────────────────────────────

/** Both lists take the same parameters; `min_seats` / `max_seats` / `seats_*` mean allocated_seats on packets. */
export const ListQuery = z.strictObject({
  name: text(NAME).optional(),
  location: text(LOCATION).optional(),
  description: text(DESCRIPTION).optional(),
  min_seats: queryInt().optional(),
  max_seats: queryInt().optional(),
  owner_id: queryInt().pipe(ownerId).optional(),
  page: queryInt().pipe(z.int().min(1)).optional(),
  per_page: queryInt().pipe(z.int().min(1).max(MAX_PER_PAGE)).optional(),
  order_by: z.enum(ORDER_BY, { error: ORDER_BY_MESSAGE }).optional(),
});

export type ListQuery = z.output<typeof ListQuery>;

/** The parsed query as the use cases take it (defaults: page 1, 10 per page, id order). */
export const toListFilter = (q: ListQuery): ListFilter => ({
  name: q.name,
  location: q.location,
  description: q.description,
  minSeats: q.min_seats,
  maxSeats: q.max_seats,
  ownerId: q.owner_id,
  orderBy: q.order_by,
  page: q.page ?? DEFAULT_PAGE,
  perPage: q.per_page ?? DEFAULT_PER_PAGE,
});
