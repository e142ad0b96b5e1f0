import { endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { eventsOfPacketJson } from '#shared/events/http/representations';
import { PacketIdParams } from '#shared/events/http/schemas';

export const handler = endpoint({ params: PacketIdParams }, async (req) =>
  ok(eventsOfPacketJson(req.params.packet_id, await eventsDeps().events.ofPacket(req.params.packet_id))),
);
