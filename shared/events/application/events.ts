import type { Identity } from '../../auth/tokens.ts';
import type { Event } from '../domain/model.ts';
import { ownerChange, ownerOfNew, requireManager } from '../domain/ownership.ts';
import { eventDeletionRefusal, seatsChangeRefusal } from '../domain/seats.ts';
import { givenFields, idNotFound, noFieldsToUpdate, rethrowNameTaken, throwError } from './common.ts';
import type { EventChanges, EventsStore, ListFilter, Page } from './ports.ts';

/** The request bodies of E1 / E3 (JSON names; null = not given, as in the original). */
export interface EventInput {
  id_owner?: number | null;
  name?: string | null;
  location?: string | null;
  description?: string | null;
  seats?: number | null;
}

export function eventUseCases(store: EventsStore) {
  return {
    /** E1 with F3: the owner is the caller. */
    async create(caller: Identity, body: EventInput & { name: string }): Promise<Event> {
      const ownerId = ownerOfNew(caller, body.id_owner);
      return store
        .transaction((tx) =>
          tx.insertEvent({
            ownerId,
            name: body.name,
            location: body.location ?? null,
            description: body.description ?? null,
            seats: body.seats ?? null,
          }),
        )
        .catch(rethrowNameTaken(`event '${body.name}' already exists`));
    },

    /** E2 */
    async get(id: number): Promise<Event> {
      return (await store.event(id)) ?? throwError(idNotFound(id));
    },

    /** E3: 404 → 403 → no fields → §9.3 → write (409 on a taken name), all on the locked row. */
    async update(caller: Identity, id: number, body: EventInput): Promise<Event> {
      return store
        .transaction(async (tx) => {
          const [event] = await tx.lockEvents([id]);
          if (!event) throw idNotFound(id);
          requireManager(caller, event.ownerId, 'edit this event');
          if (givenFields(body) === 0) throw noFieldsToUpdate();
          const changes: EventChanges = {};
          const newOwner = ownerChange(caller, event.ownerId, body.id_owner, 'event');
          if (newOwner !== undefined) changes.ownerId = newOwner;
          if (body.name != null) changes.name = body.name;
          if (body.location != null) changes.location = body.location;
          if (body.description != null) changes.description = body.description;
          if (body.seats != null) {
            const refusal = seatsChangeRefusal(event, body.seats);
            if (refusal) throw refusal;
            changes.seats = body.seats;
          }
          return tx.updateEvent(id, changes);
        })
        .catch(rethrowNameTaken(`name ${body.name} already exists`));
    },

    /** E4: blocked while tickets or inclusions exist; returns the deleted event. */
    async remove(caller: Identity, id: number): Promise<Event> {
      return store.transaction(async (tx) => {
        const event = await tx.lockEventForDelete(id);
        if (!event) throw idNotFound(id);
        requireManager(caller, event.ownerId, 'delete this event');
        const refusal = eventDeletionRefusal(event, await tx.eventHasInclusions(id));
        if (refusal) throw refusal;
        await tx.deleteEvent(id);
        return event;
      });
    },

    /** E5 */
    list(filter: ListFilter): Promise<Page<Event>> {
      return store.listEvents(filter);
    },

    /** I3: the events a packet includes (no existence check, as the original). */
    ofPacket(packetId: number): Promise<Event[]> {
      return store.eventsOfPacket(packetId);
    },
  };
}

export type EventUseCases = ReturnType<typeof eventUseCases>;
