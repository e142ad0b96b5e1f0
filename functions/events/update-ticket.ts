import { endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { ticketJson } from '#shared/events/http/representations';
import { TicketBody, TicketCodeParams } from '#shared/events/http/schemas';

/** Moves the ticket to the event or packet in the body, with the sale rules of the new target. */
export const handler = endpoint({ body: TicketBody, params: TicketCodeParams }, async (req) =>
  ok(ticketJson(await eventsDeps().tickets.move(req.params.code, req.body))),
);
