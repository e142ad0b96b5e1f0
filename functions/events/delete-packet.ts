import { caller, endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { packetJson } from '#shared/events/http/representations';
import { IdParams } from '#shared/events/http/schemas';

/** 200 with the deleted packet (ORIGINAL §5.2 P4). */
export const handler = endpoint({ params: IdParams }, async (req) =>
  ok({ event_packet: packetJson(await eventsDeps().packets.remove(caller(req), req.params.id)) }),
);
