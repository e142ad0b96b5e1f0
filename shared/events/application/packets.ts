import type { Identity } from '../../auth/tokens.ts';
import type { Packet } from '../domain/model.ts';
import { ownerChange, ownerOfNew, requireEventSeats, requireManager } from '../domain/ownership.ts';
import { allocationChangeRefusal, packetDeletionRefusal } from '../domain/seats.ts';
import { givenFields, idNotFound, noFieldsToUpdate, rethrowNameTaken, throwError } from './common.ts';
import { type EventsStore, type ListFilter, type Page, type PacketChanges, RetryTransaction } from './ports.ts';

/** The request bodies of P1 / P3. */
export interface PacketInput {
  id_owner?: number | null;
  name?: string | null;
  location?: string | null;
  description?: string | null;
  allocated_seats?: number | null;
}

export function packetUseCases(store: EventsStore) {
  return {
    /** P1 with F3. No capacity check: a new packet is in no event. */
    async create(caller: Identity, body: PacketInput & { name: string }): Promise<Packet> {
      const ownerId = ownerOfNew(caller, body.id_owner);
      return store
        .transaction((tx) =>
          tx.insertPacket({
            ownerId,
            name: body.name,
            location: body.location ?? null,
            description: body.description ?? null,
            allocatedSeats: body.allocated_seats ?? null,
          }),
        )
        .catch(rethrowNameTaken(`event packet '${body.name}' already exists`));
    },

    /** P2 */
    async get(id: number): Promise<Packet> {
      return (await store.packet(id)) ?? throwError(idNotFound(id));
    },

    /**
     * P3: 404 → 403 → no fields → F4 (a new allocation: 403 unless the caller manages every
     * including event) → §9.4 → write (409 on a taken name). A new allocation is checked
     * against, and added to, every including event, so those event rows are locked first (lock
     * order: events, then the packet); if the set of including events changed before the packet
     * was locked, the transaction runs again.
     */
    async update(caller: Identity, id: number, body: PacketInput): Promise<Packet> {
      const allocation = body.allocated_seats ?? undefined;
      return store
        .transaction(async (tx) => {
          const eventIds = allocation === undefined ? [] : await tx.eventIdsOfPacket(id);
          const events = await tx.lockEvents(eventIds);
          const packet = await tx.lockPacket(id);
          if (!packet) throw idNotFound(id);
          requireManager(caller, packet.ownerId, 'edit this event packet');
          if (givenFields(body) === 0) throw noFieldsToUpdate();
          const changes: PacketChanges = {};
          const newOwner = ownerChange(caller, packet.ownerId, body.id_owner, 'event packet');
          if (newOwner !== undefined) changes.ownerId = newOwner;
          if (body.name != null) changes.name = body.name;
          if (body.location != null) changes.location = body.location;
          if (body.description != null) changes.description = body.description;
          if (allocation !== undefined) {
            // Inclusions change only under the packet's lock, which we hold now: this list is final.
            const current = await tx.eventIdsOfPacket(id);
            if (current.join() !== eventIds.join() || events.length !== eventIds.length) throw new RetryTransaction();
            // F4: a new allocation spends (or frees) seats of every including event.
            if (allocation !== packet.allocatedSeats) for (const event of events) requireEventSeats(caller, event);
            const refusal = allocationChangeRefusal(packet, events, allocation);
            if (refusal) throw refusal;
            const delta = allocation - (packet.allocatedSeats ?? 0);
            if (delta !== 0) await tx.addAllocation(eventIds, delta);
            changes.allocatedSeats = allocation;
          }
          return tx.updatePacket(id, changes);
        })
        .catch(rethrowNameTaken(`name ${body.name} already exists`));
    },

    /** P4: blocked while tickets or inclusions exist; returns the deleted packet. */
    async remove(caller: Identity, id: number): Promise<Packet> {
      return store.transaction(async (tx) => {
        const packet = await tx.lockPacketForDelete(id);
        if (!packet) throw idNotFound(id);
        requireManager(caller, packet.ownerId, 'delete this event packet');
        const refusal = packetDeletionRefusal(packet, await tx.packetHasInclusions(id));
        if (refusal) throw refusal;
        await tx.deletePacket(id);
        return packet;
      });
    },

    /** P5 */
    list(filter: ListFilter): Promise<Page<Packet>> {
      return store.listPackets(filter);
    },

    /** I2: the packets that include an event (no existence check, as the original). */
    ofEvent(eventId: number): Promise<Packet[]> {
      return store.packetsOfEvent(eventId);
    },
  };
}

export type PacketUseCases = ReturnType<typeof packetUseCases>;
