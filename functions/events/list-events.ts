import { endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { eventsPage } from '#shared/events/http/representations';
import { ListQuery, toListFilter } from '#shared/events/http/schemas';

export const handler = endpoint({ query: ListQuery }, async (req) => {
  const filter = toListFilter(req.query);
  return ok(eventsPage(filter, await eventsDeps().events.list(filter)));
});
