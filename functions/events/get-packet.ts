import { endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { packetJson } from '#shared/events/http/representations';
import { IdParams } from '#shared/events/http/schemas';

export const handler = endpoint({ params: IdParams }, async (req) =>
  ok({ event_packet: packetJson(await eventsDeps().packets.get(req.params.id)) }),
);
