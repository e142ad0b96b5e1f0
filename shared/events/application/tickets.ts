import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../../kernel/errors.ts';
import { sameTarget, type Target, type Ticket } from '../domain/model.ts';
import { directSaleRefusal, packetSaleRefusal } from '../domain/seats.ts';
import { lockOrder, ticketTarget } from '../domain/tickets.ts';
import { idNotFound } from './common.ts';
import { type EventsStore, type EventsTx, RetryTransaction } from './ports.ts';

/** The request body of T1, T2 and T4. */
export interface TicketInput {
  event_id?: number | null;
  packet_id?: number | null;
}

const ticketNotFound = (code: string) => notFound(`ticket '${code}' not found`);

/**
 * One seat of `target`, inside the caller's transaction: the conditional UPDATE takes it (locking
 * the one row) or nothing happens; then the row is read to say why (404, no seats, sold out).
 */
async function takeSeat(tx: EventsTx, target: Target): Promise<void> {
  if (target.kind === 'event') {
    if (await tx.takeDirectSeat(target.id)) return;
    const event = await tx.event(target.id);
    if (!event) throw idNotFound(target.id);
    throw directSaleRefusal(event) ?? new RetryTransaction();
  }
  if (await tx.takePacketSeat(target.id)) return;
  const packet = await tx.packet(target.id);
  if (!packet) throw idNotFound(target.id);
  throw packetSaleRefusal(packet) ?? new RetryTransaction();
}

const releaseSeat = (tx: EventsTx, target: Target) =>
  target.kind === 'event' ? tx.releaseDirectSeat(target.id) : tx.releasePacketSeat(target.id);

export function ticketUseCases(store: EventsStore) {
  /**
   * Sell `code` for `target`: seat and ticket row in one transaction. An existing ticket with the
   * same code and target is the answer to a repeated request (no second seat); with another target
   * it is a conflict. Two requests racing with one new code: the second one's insert finds the
   * code taken, rolls back its seat and runs again, now seeing the first one's ticket.
   */
  async function sell(code: string, target: Target): Promise<{ ticket: Ticket; created: boolean }> {
    return store.transaction(async (tx) => {
      const existing = await tx.ticket(code);
      if (existing) {
        if (sameTarget(existing.target, target)) return { ticket: existing, created: false };
        throw conflict(`ticket '${code}' already exists for another ${existing.target.kind}`, 'TICKET_CODE_CONFLICT');
      }
      await takeSeat(tx, target);
      const ticket = { code, target };
      if (!(await tx.insertTicket(ticket))) throw new RetryTransaction();
      return { ticket, created: true };
    });
  }

  return {
    /** T1: a new ticket with a generated code. */
    async create(body: TicketInput): Promise<Ticket> {
      return (await sell(randomUUID(), ticketTarget(body))).ticket;
    },

    /** T2: idempotent upsert by code (the purchase flow's call). */
    put(code: string, body: TicketInput) {
      return sell(code, ticketTarget(body));
    },

    /** T3 */
    async get(code: string): Promise<Ticket> {
      const ticket = await store.ticket(code);
      if (!ticket) throw ticketNotFound(code);
      return ticket;
    },

    /**
     * T4: move a ticket to another event or packet, with the sale rules of the new target; the old
     * seat is released in the same transaction. Seat rows are touched in the global lock order.
     */
    async move(code: string, body: TicketInput): Promise<Ticket> {
      const target = ticketTarget(body);
      return store.transaction(async (tx) => {
        const ticket = await tx.lockTicket(code);
        if (!ticket) throw ticketNotFound(code);
        if (sameTarget(ticket.target, target)) return ticket;
        const steps = [
          { target: ticket.target, run: () => releaseSeat(tx, ticket.target) },
          { target, run: () => takeSeat(tx, target) },
        ].sort((a, b) => lockOrder(a.target, b.target));
        for (const step of steps) await step.run();
        await tx.retarget(code, target);
        return { code, target };
      });
    },

    /** T5 with F9: cancelling frees the seat; returns the deleted ticket. */
    async remove(code: string): Promise<Ticket> {
      return store.transaction(async (tx) => {
        const ticket = await tx.deleteTicket(code);
        if (!ticket) throw ticketNotFound(code);
        await releaseSeat(tx, ticket.target);
        return ticket;
      });
    },
  };
}

export type TicketUseCases = ReturnType<typeof ticketUseCases>;
