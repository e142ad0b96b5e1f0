import { unprocessable } from '../../kernel/errors.ts';
import type { Target } from './model.ts';

/**
 * Ticket codes given by the caller (PUT /tickets/{code}): 1..128 characters of [A-Za-z0-9._:-],
 * not "." or ".." (a URL path would swallow them). Generated codes are UUID v4 and fit too.
 */
export const TICKET_CODE = /^(?!\.{1,2}$)[A-Za-z0-9._:-]{1,128}$/;
export const TICKET_CODE_MESSAGE = 'must be 1 to 128 characters of A-Z a-z 0-9 . _ : - (not "." or "..")';

/** ORIGINAL §5.4 T1: a ticket is for exactly one packet or one event. */
export function ticketTarget(body: { event_id?: number | null; packet_id?: number | null }): Target {
  const eventId = body.event_id ?? undefined;
  const packetId = body.packet_id ?? undefined;
  if (eventId === undefined && packetId === undefined) {
    throw unprocessable('ticket must be associated with either a packet or an event', undefined, 'INVALID_TICKET_TARGET');
  }
  if (eventId !== undefined && packetId !== undefined) {
    throw unprocessable('ticket cannot be associated with both a packet and an event', undefined, 'INVALID_TICKET_TARGET');
  }
  return eventId !== undefined ? { kind: 'event', id: eventId } : { kind: 'packet', id: packetId! };
}

/** Global lock order of seat rows: events before packets, ascending ids (see docs/EVENT-MANAGER.md). */
export const lockOrder = (a: Target, b: Target) =>
  a.kind === b.kind ? a.id - b.id : a.kind === 'event' ? -1 : 1;
