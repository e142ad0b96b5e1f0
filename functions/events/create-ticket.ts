import { created, endpoint } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { ticketJson } from '#shared/events/http/representations';
import { TicketBody } from '#shared/events/http/schemas';

/** A ticket with a generated code (UUID v4). */
export const handler = endpoint({ body: TicketBody }, async (req) =>
  created(ticketJson(await eventsDeps().tickets.create(req.body))),
);
