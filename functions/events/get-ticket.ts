import { endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { ticketJson } from '#shared/events/http/representations';
import { TicketCodeParams } from '#shared/events/http/schemas';

export const handler = endpoint({ params: TicketCodeParams }, async (req) =>
  ok(ticketJson(await eventsDeps().tickets.get(req.params.code))),
);
