import { endpoint, noContent } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { TicketBody, TicketCodeParams } from '#shared/events/http/schemas';

/** Idempotent: a repeat with the same code and target is 204 again, without a second seat. */
export const handler = endpoint({ body: TicketBody, params: TicketCodeParams }, async (req) => {
  await eventsDeps().tickets.put(req.params.code, req.body);
  return noContent();
});
