import { caller, created, endpoint } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { packetJson } from '#shared/events/http/representations';
import { CreatePacketBody } from '#shared/events/http/schemas';

export const handler = endpoint({ body: CreatePacketBody }, async (req) =>
  created({ event_packet: packetJson(await eventsDeps().packets.create(caller(req), req.body)) }),
);
