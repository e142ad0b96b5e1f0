import { caller, endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { eventJson } from '#shared/events/http/representations';
import { IdParams, UpdateEventBody } from '#shared/events/http/schemas';

export const handler = endpoint({ body: UpdateEventBody, params: IdParams }, async (req) =>
  ok({ event: eventJson(await eventsDeps().events.update(caller(req), req.params.id, req.body)) }),
);
