import { randomUUID } from 'node:crypto';
import { type AppError, conflict, notFound } from '../../kernel/errors.ts';
import { sameTarget, type Target, type Ticket } from '../domain/model.ts';
import { directSaleRefusal, packetSaleRefusal, SOLD_OUT } from '../domain/seats.ts';
import { lockOrder, ticketTarget } from '../domain/tickets.ts';
import { contention, idNotFound, RACE_ATTEMPTS } from './common.ts';
import { type EventsStore, type EventsTx, RetryTransaction } from './ports.ts';
import { count } from '../../kernel/metrics.ts';

/** The request body of T1, T2 and T4. */
export interface TicketInput {
  event_id?: number | null;
  packet_id?: number | null;
}

const ticketNotFound = (code: string) => notFound(`ticket '${code}' not found`);

/**
 * Why `target` sells no seat, read after a conditional sale found none: 404, no seats defined or
 * sold out — or undefined when a seat is free after all (a cancellation committed in between).
 */
async function saleRefusal(reader: Pick<EventsTx, 'event' | 'packet'>, target: Target): Promise<AppError | undefined> {
  if (target.kind === 'event') {
    const event = await reader.event(target.id);
    return event ? directSaleRefusal(event) : idNotFound(target.id);
  }
  const packet = await reader.packet(target.id);
  return packet ? packetSaleRefusal(packet) : idNotFound(target.id);
}

/** One seat of `target`, inside the caller's transaction: the conditional UPDATE takes it (locking the one row) or says why not. */
async function takeSeat(tx: EventsTx, target: Target): Promise<void> {
  const taken = target.kind === 'event' ? await tx.takeDirectSeat(target.id) : await tx.takePacketSeat(target.id);
  if (!taken) throw (await saleRefusal(tx, target)) ?? new RetryTransaction();
}

const releaseSeat = (tx: EventsTx, target: Target) =>
  target.kind === 'event' ? tx.releaseDirectSeat(target.id) : tx.releasePacketSeat(target.id);

export function ticketUseCases(store: EventsStore) {
  /**
   * Sell `code` for `target`: seat and ticket row in one atomic statement. An existing ticket with
   * the same code and target is the answer to a repeated request (no second seat); with another
   * target it is a conflict. A lost race (a seat freed meanwhile, the same new code sold by a
   * concurrent request) runs the sale again.
   */
  async function sell(code: string, target: Target): Promise<{ ticket: Ticket; created: boolean }> {
    for (let attempt = 1; attempt <= RACE_ATTEMPTS; attempt++) {
      const sale = await store.sellTicket({ code, target });
      if (sale.kind === 'sold') {
        count('TicketsSold');
        return { ticket: { code, target }, created: true };
      }
      if (sale.kind === 'exists') {
        if (sameTarget(sale.ticket.target, target)) return { ticket: sale.ticket, created: false };
        throw conflict(`ticket '${code}' already exists for another ${sale.ticket.target.kind}`, 'TICKET_CODE_CONFLICT');
      }
      if (sale.kind === 'no-seat') {
        // The statement's snapshot usually says why. It can predate a sale the statement waited for
        // and still show a free seat; then a fresh read decides (or finds one freed meanwhile).
        const seen = sale.event ? directSaleRefusal(sale.event) : sale.packet ? packetSaleRefusal(sale.packet) : undefined;
        const refusal = seen ?? (await saleRefusal(store, target));
        if (refusal?.code === SOLD_OUT) count('SoldOutRefusals');
        if (refusal) throw refusal;
      }
    }
    throw contention();
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
      const ticket = await store.transaction(async (tx) => {
        const ticket = await tx.deleteTicket(code);
        if (!ticket) throw ticketNotFound(code);
        await releaseSeat(tx, ticket.target);
        return ticket;
      });
      count('TicketsCancelled');
      return ticket;
    },
  };
}

export type TicketUseCases = ReturnType<typeof ticketUseCases>;
