import { endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { eventJson } from '#shared/events/http/representations';
import { IdParams } from '#shared/events/http/schemas';

export const handler = endpoint({ params: IdParams }, async (req) =>
  ok({ event: eventJson(await eventsDeps().events.get(req.params.id)) }),
);
