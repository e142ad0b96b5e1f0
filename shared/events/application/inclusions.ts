import type { Identity } from '../../auth/tokens.ts';
import { conflict, notFound, unprocessable } from '../../kernel/errors.ts';
import type { Inclusion } from '../domain/model.ts';
import { requireEventSeats, requireManager } from '../domain/ownership.ts';
import { inclusionRefusal, unbindingRefusal } from '../domain/seats.ts';
import { idNotFound } from './common.ts';
import type { EventsStore, EventsTx } from './ports.ts';

export function inclusionUseCases(store: EventsStore) {
  /** Both rows locked in the global order (event, then packet); 404 for the first one missing. */
  async function lockBoth(tx: EventsTx, { eventId, packetId }: Inclusion) {
    const [event] = await tx.lockEvents([eventId]);
    if (!event) throw idNotFound(eventId);
    const packet = await tx.lockPacket(packetId);
    if (!packet) throw idNotFound(packetId);
    return { event, packet };
  }

  return {
    /**
     * I1 with F4, F12, F13: 404s → caller owns the packet, then the event (403) → already bound
     * (409) → the allocation fits the event's available seats (422) → bind, and count the
     * allocation against the event. The ownership checks come before the capacity check (ORIGINAL
     * §13.25).
     */
    async create(caller: Identity, inclusion: Inclusion): Promise<Inclusion> {
      return store.transaction(async (tx) => {
        const { event, packet } = await lockBoth(tx, inclusion);
        requireManager(caller, packet.ownerId, 'add packets to this event');
        requireEventSeats(caller, event);
        if (await tx.inclusionExists(inclusion)) {
          throw conflict(`event ${inclusion.eventId} is already included in packet ${inclusion.packetId}`, 'INCLUSION_EXISTS');
        }
        const refusal = inclusionRefusal(event, packet);
        if (refusal) throw refusal;
        await tx.insertInclusion(inclusion);
        if (packet.allocatedSeats !== null) await tx.addAllocation([event.id], packet.allocatedSeats);
        return inclusion;
      });
    },

    /** I4: an inclusion has no fields; the original always answers 422. */
    update(): never {
      throw unprocessable('update must contain at least one field', undefined, 'NO_FIELDS_TO_UPDATE');
    },

    /**
     * I5 with F4, F22: 404s → caller owns the packet, then the event (403) → 404 not bound → the
     * packet has no sold tickets (422; the packet's lock holds its sales off until commit) →
     * unbind, and release the allocation.
     */
    async remove(caller: Identity, inclusion: Inclusion): Promise<Inclusion> {
      return store.transaction(async (tx) => {
        const { event, packet } = await lockBoth(tx, inclusion);
        requireManager(caller, packet.ownerId, 'delete this inclusion');
        requireEventSeats(caller, event);
        if (!(await tx.inclusionExists(inclusion))) {
          throw notFound(`inclusion of event ${inclusion.eventId} in packet ${inclusion.packetId} not found`);
        }
        const refusal = unbindingRefusal(event, packet);
        if (refusal) throw refusal;
        await tx.deleteInclusion(inclusion);
        if (packet.allocatedSeats !== null) await tx.addAllocation([event.id], -packet.allocatedSeats);
        return inclusion;
      });
    },
  };
}

export type InclusionUseCases = ReturnType<typeof inclusionUseCases>;
