import { caller, endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { eventJson } from '#shared/events/http/representations';
import { IdParams } from '#shared/events/http/schemas';

/** 200 with the deleted event (ORIGINAL §5.1 E4). */
export const handler = endpoint({ params: IdParams }, async (req) =>
  ok({ event: eventJson(await eventsDeps().events.remove(caller(req), req.params.id)) }),
);
