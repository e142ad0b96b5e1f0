import { createHash, randomUUID } from 'node:crypto';
import type { Identity } from '../../auth/tokens.ts';
import { Deadline } from '../../kernel/deadline.ts';
import { AppError, conflict, notFound, serviceUnavailable, tooManyRequests, unprocessable } from '../../kernel/errors.ts';
import { log, requestDeadline } from '../../kernel/request-context.ts';
import { assertOwnerOrAdmin, assertSelfOrAdmin } from '../domain/access.ts';
import { type Customer, customerView } from '../domain/privacy.ts';
import { type TicketEntry, ticketEntry, type TicketTarget } from '../domain/profile.ts';
import { accessibleProfile, userNotFound } from './profiles.ts';
import {
  type AppendOutcome,
  type EventManagerClient,
  type EventSummary,
  type IdempotencyLease,
  type IdempotencyStore,
  NotSent,
  type PacketSummary,
  type ProfileRepository,
  type SaleRefusal,
  type StoredResponse,
} from './ports.ts';
import { count } from '../../kernel/metrics.ts';

/**
 * Buying, listing and cancelling tickets, and the customers of an event or packet (ORIGINAL §6
 * U5–U6, §8.5; CONTRACT F4, F7–F10, §3). The ordering rules are explained in docs/USER-MANAGER.md.
 */

export interface TicketDeps {
  profiles: ProfileRepository;
  eventManager: EventManagerClient;
  idempotency: IdempotencyStore;
  /** CONTRACT F23: tickets one buyer may hold per event, and per packet. */
  maxTicketsPerBuyer: number;
  /** How long a duplicate request waits (at most; the deadline may cut it) for the first one before answering 409. */
  duplicateWaitMs?: number;
  newCode?: () => string;
}

/**
 * Time a sale must leave for what follows it: recording the ticket and, should that fail, giving the
 * seat back. A sale is not started with less, and its own attempts stop this much before the deadline.
 */
export const AFTER_SALE_MS = 2_000;
/** Retry-After of a refusal at the per-buyer limit: cancelling a ticket frees a place at once. */
const LIMIT_RETRY_AFTER_SECONDS = 60;

export interface Purchase {
  response: StoredResponse;
  /** The answer of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

export interface TicketWithSummary {
  entry: TicketEntry;
  event?: EventSummary | null;
  packet?: PacketSummary | null;
}

const POLL_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What identifies "the same purchase" under one Idempotency-Key. */
export const purchaseFingerprint = (target: TicketTarget) =>
  createHash('sha256').update(JSON.stringify(target.event_id !== undefined ? { event_id: target.event_id } : { packet_id: target.packet_id })).digest('base64url');

export function ticketUseCases(deps: TicketDeps) {
  const { profiles, eventManager, idempotency } = deps;
  const newCode = deps.newCode ?? randomUUID;
  const duplicateWaitMs = deps.duplicateWaitMs ?? 2_000;

  /**
   * The saga of one purchase with a fixed ticket code: sell in the event manager, then record in the
   * profile (where the per-buyer limit is checked, atomically). Started only with time left for both
   * and for undoing the sale; the sale's own attempts end AFTER_SALE_MS before the deadline.
   */
  async function sell(userId: number, code: string, target: TicketTarget, deadline: Deadline): Promise<StoredResponse> {
    if (!deadline.allows(AFTER_SALE_MS + MIN_SALE_MS)) throw outOfTime();
    const saleDeadline = new Deadline(deadline.at - AFTER_SALE_MS);
    let refusal: SaleRefusal | undefined;
    try {
      refusal = await eventManager.sellTicket(code, target, saleDeadline);
    } catch (error) {
      // Asked, but no answer (in time): the sale may have happened all the same. Undo it while there is time.
      if (!(error instanceof NotSent)) await compensate(code, userId, deadline);
      throw error;
    }
    if (refusal) throw refusalError(refusal, target);

    let recorded: AppendOutcome | 'failed';
    try {
      recorded = await profiles.appendTicket(userId, ticketEntry(code, target), deps.maxTicketsPerBuyer);
    } catch (error) {
      log().error('recording a sold ticket failed; compensating', { code, error: String(error) });
      recorded = 'failed';
    }
    if (recorded === 'recorded') return { status: 201, body: { ticket_code: code } };

    // Compensation: the seat must not stay sold to nobody.
    await compensate(code, userId, deadline);
    if (recorded === 'no-profile') throw userNotFound(userId);
    if (recorded === 'limit-reached') throw limitReached(target, deps.maxTicketsPerBuyer);
    throw serviceUnavailable('the purchase could not be recorded and was undone; try again', 'PURCHASE_NOT_RECORDED');
  }

  async function compensate(code: string, userId: number, deadline: Deadline): Promise<void> {
    count('PurchaseCompensations');
    try {
      await eventManager.cancelTicket(code, deadline);
    } catch (error) {
      count('FailedCompensations');
      // The idempotency record (if any) keeps the code: a retry with the same key re-runs with it.
      log().error('compensation failed: the event manager may still hold an unrecorded ticket', { code, userId, error: String(error) });
    }
  }

  async function startIdempotent(
    userId: number,
    key: string,
    target: TicketTarget,
    requestDeadline: Deadline,
  ): Promise<{ code: string; lease: IdempotencyLease } | Purchase> {
    // Waiting for a duplicate never eats the time this request needs to answer.
    const deadline = Math.min(Date.now() + duplicateWaitMs, requestDeadline.at);
    for (;;) {
      const start = await idempotency.start(String(userId), key, purchaseFingerprint(target), newCode());
      switch (start.kind) {
        case 'run':
          return { code: start.code, lease: start.lease };
        case 'replay':
          count('IdempotentReplays');
          return { response: start.response, replayed: true };
        case 'mismatch':
          throw unprocessable('Idempotency-Key was already used for a different request', undefined, 'IDEMPOTENCY_KEY_REUSED');
        case 'in-progress':
          if (Date.now() + POLL_MS > deadline) {
            throw conflict('a purchase with this Idempotency-Key is in progress; retry later', 'IDEMPOTENCY_IN_PROGRESS');
          }
          await sleep(POLL_MS);
      }
    }
  }

  return {
    /**
     * Buy one ticket for `userId` (self or admin, CONTRACT F10). With an Idempotency-Key, a repeat of
     * the same request returns the first result and never buys twice.
     */
    async buyTicket(caller: Identity, userId: number, target: TicketTarget, idempotencyKey?: string): Promise<Purchase> {
      // No profile read first: the guarded `$push` after the sale is the existence check (a missing
      // profile is compensated and answered 404). A read would be a second document-store round
      // trip on every attempt, sold out or not: a third of a purchase's CPU in the local runtime.
      assertSelfOrAdmin(caller, userId, 'buy tickets for user');
      const deadline = requestDeadline();
      if (idempotencyKey === undefined) return { response: await sell(userId, newCode(), target, deadline), replayed: false };

      const started = await startIdempotent(userId, idempotencyKey, target, deadline);
      if ('response' in started) return started;
      try {
        const response = await sell(userId, started.code, target, deadline);
        await started.lease.complete(response);
        return { response, replayed: false };
      } catch (error) {
        await started.lease.fail().catch((e) => log().error('marking an idempotency record failed did not work', { error: String(e) }));
        throw error;
      }
    },

    /** CONTRACT F9: a user's tickets, each with a summary of its event or packet (null when unavailable). */
    async listTickets(caller: Identity, userId: number): Promise<TicketWithSummary[]> {
      const profile = await accessibleProfile(profiles, caller, userId, 'view tickets of user');
      const events = new Map<number, Promise<EventSummary | null>>();
      const packets = new Map<number, Promise<PacketSummary | null>>();
      const summary = <T>(cache: Map<number, Promise<T | null>>, id: number, load: (id: number) => Promise<T | undefined>) => {
        let value = cache.get(id);
        if (!value) {
          // A summary is a courtesy: the tickets are listed even when the event manager is away.
          value = load(id).then(
            (v) => v ?? null,
            (error) => {
              log().warn('ticket summary unavailable', { id, error: String(error) });
              return null;
            },
          );
          cache.set(id, value);
        }
        return value;
      };
      return Promise.all(
        profile.ticket_list.map(async (entry) =>
          entry.event_id !== undefined
            ? { entry, event: await summary(events, entry.event_id, (id) => eventManager.event(id)) }
            : { entry, packet: await summary(packets, entry.packet_id!, (id) => eventManager.packet(id)) },
        ),
      );
    },

    /**
     * CONTRACT F9: cancel one of the user's tickets. The seat is freed first, the profile entry
     * removed second: a failure in between leaves the entry listed, and cancelling again finishes
     * the job (the event manager then answers 404, which counts as freed). The reverse order could
     * lose a seat: an entry gone from the profile cannot be cancelled again.
     */
    async cancelTicket(caller: Identity, userId: number, code: string): Promise<TicketEntry> {
      const profile = await accessibleProfile(profiles, caller, userId, 'cancel tickets of user');
      const entry = profile.ticket_list.find((t) => t.code === code);
      if (!entry) throw notFound(`ticket ${code} not found`);
      await eventManager.cancelTicket(code);
      await profiles.removeTicket(userId, code);
      return entry;
    },

    /** U5 with CONTRACT F4: the event's owner (as the event manager reports it) or admin. */
    async eventCustomers(caller: Identity, eventId: number): Promise<Customer[]> {
      const event = await eventManager.event(eventId);
      if (!event) throw notFound(`event with ID ${eventId} not found`);
      assertOwnerOrAdmin(caller, event.id_owner, 'event');
      return (await profiles.customersOf({ event_id: eventId })).map(customerView);
    },

    async packetCustomers(caller: Identity, packetId: number): Promise<Customer[]> {
      const packet = await eventManager.packet(packetId);
      if (!packet) throw notFound(`packet with ID ${packetId} not found`);
      assertOwnerOrAdmin(caller, packet.id_owner, 'packet');
      return (await profiles.customersOf({ packet_id: packetId })).map(customerView);
    },
  };
}

/** The least time a sale is started with (besides AFTER_SALE_MS). */
const MIN_SALE_MS = 200;

const outOfTime = () => serviceUnavailable('not enough time left to complete the purchase; try again', 'DEADLINE_EXCEEDED');

function limitReached(target: TicketTarget, limit: number): AppError {
  const what = target.event_id !== undefined ? `event ${target.event_id}` : `packet ${target.packet_id}`;
  return tooManyRequests(`at most ${limit} tickets per buyer for ${what}`, LIMIT_RETRY_AFTER_SECONDS, 'TICKET_LIMIT_REACHED');
}

function refusalError(refusal: SaleRefusal, target: TicketTarget): AppError {
  const field = target.event_id !== undefined ? 'event_id' : 'packet_id';
  switch (refusal.kind) {
    case 'not-found':
      return notFound(refusal.message);
    case 'sold-out':
      return unprocessable(refusal.message, field, 'SOLD_OUT');
    case 'rejected':
      return unprocessable(refusal.message, field, refusal.code);
  }
}
