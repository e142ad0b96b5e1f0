import { once } from '../kernel/config.ts';
import { eventUseCases } from './application/events.ts';
import { inclusionUseCases } from './application/inclusions.ts';
import { packetUseCases } from './application/packets.ts';
import { ticketUseCases } from './application/tickets.ts';
import { pgEventsStore } from './infrastructure/pg-store.ts';

/** Composition root of the event manager: one store (the container's pg pool), the use cases on it. */
export const eventsDeps = once(() => {
  const store = pgEventsStore();
  return {
    events: eventUseCases(store),
    packets: packetUseCases(store),
    inclusions: inclusionUseCases(store),
    tickets: ticketUseCases(store),
  };
});
