import { endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { packetsOfEventJson } from '#shared/events/http/representations';
import { EventIdParams } from '#shared/events/http/schemas';

export const handler = endpoint({ params: EventIdParams }, async (req) =>
  ok(packetsOfEventJson(req.params.event_id, await eventsDeps().packets.ofEvent(req.params.event_id))),
);
