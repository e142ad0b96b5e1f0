import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { seatViolations } from '../../shared/events/infrastructure/invariants.ts';
import { type ApiResponse, call } from '../support/api.ts';
import { tokenFor } from '../support/tokens.ts';

/** Helpers of the event-manager tests: API shortcuts, a direct database handle, the drift check. */

export const EM = '/api/event-manager';

/** A pool of the test's own (the runtime's pool belongs to the runtime). */
let pool: pg.Pool | undefined;
export const db = () => (pool ??= new pg.Pool({ connectionString: process.env.EVENTS_DATABASE_URL, max: 4 }));
export async function closeDb() {
  await pool?.end();
  pool = undefined;
}

export const unique = (label = 'x') => `${label}-${randomUUID()}`;

export type Caller = Awaited<ReturnType<typeof tokenFor>>;
export const owner = () => tokenFor('owner-event');
export const admin = () => tokenFor('admin');
export const service = () => tokenFor('serviciu_clienti');
export const client = () => tokenFor('client');

/** Asserts the status, showing the body when it differs. */
export function expectStatus<T>(res: ApiResponse<T>, status: number): ApiResponse<T> {
  expect(res.status, `${res.status} ${res.text}`).toBe(status);
  return res;
}

export async function createEvent(who: Caller, fields: Record<string, unknown> = {}) {
  const res = expectStatus(await call('POST', `${EM}/events`, { token: who.token, body: { name: unique('event'), ...fields } }), 201);
  return res.body.event as { id: number; id_owner: number; name: string; seats?: number; location?: string; description?: string };
}

export async function createPacket(who: Caller, fields: Record<string, unknown> = {}) {
  const res = expectStatus(await call('POST', `${EM}/event-packets`, { token: who.token, body: { name: unique('packet'), ...fields } }), 201);
  return res.body.event_packet as { id: number; id_owner: number; name: string; allocated_seats: number | null; available_seats: number | null };
}

export const inclusionPath = (eventId: number | string, packetId: number | string) => `${EM}/event-packet-inclusions/event/${eventId}/packet/${packetId}`;

export async function bind(who: Caller, eventId: number, packetId: number) {
  return expectStatus(await call('POST', inclusionPath(eventId, packetId), { token: who.token, body: {} }), 201);
}

/** The purchase flow's call: PUT /tickets/{code}. */
export const put = (who: Caller, code: string, body: Record<string, unknown>) =>
  call('PUT', `${EM}/tickets/${encodeURIComponent(code)}`, { token: who.token, body });

/** The event's / packet's row as stored, counters included. */
export async function eventRow(id: number) {
  const { rows } = await db().query('SELECT * FROM events WHERE id = $1', [id]);
  return rows[0] ? normalise(rows[0]) : undefined;
}
export async function packetRow(id: number) {
  const { rows } = await db().query('SELECT * FROM "eventsPacket" WHERE id = $1', [id]);
  return rows[0] ? normalise(rows[0]) : undefined;
}
export async function ticketCount(where: { eventId?: number; packetId?: number }) {
  const { rows } = await db().query('SELECT count(*)::int AS n FROM tickets WHERE event_id = $1 OR packet_id = $2', [
    where.eventId ?? null,
    where.packetId ?? null,
  ]);
  return rows[0].n as number;
}

/** A row with its bigint columns as numbers. */
type StoredRow = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const normalise = (row: Record<string, unknown>): StoredRow =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) && k !== 'name' ? Number(v) : v]));

/** The drift check: counters equal the recount of ticket and inclusion rows, limits hold. */
export async function expectNoDrift(scope?: { eventIds?: number[]; packetIds?: number[] }) {
  expect(await seatViolations(db(), scope)).toEqual([]);
}
