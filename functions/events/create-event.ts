import { caller, created, endpoint } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { eventJson } from '#shared/events/http/representations';
import { CreateEventBody } from '#shared/events/http/schemas';

export const handler = endpoint({ body: CreateEventBody }, async (req) =>
  created({ event: eventJson(await eventsDeps().events.create(caller(req), req.body)) }),
);
