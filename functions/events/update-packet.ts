import { caller, endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { packetJson } from '#shared/events/http/representations';
import { IdParams, UpdatePacketBody } from '#shared/events/http/schemas';

export const handler = endpoint({ body: UpdatePacketBody, params: IdParams }, async (req) =>
  ok({ event_packet: packetJson(await eventsDeps().packets.update(caller(req), req.params.id, req.body)) }),
);
