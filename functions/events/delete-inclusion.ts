import { caller, endpoint, ok } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { inclusionJson } from '#shared/events/http/representations';
import { InclusionParams } from '#shared/events/http/schemas';

/** 200 with the deleted inclusion (ORIGINAL §5.3 I5). */
export const handler = endpoint({ params: InclusionParams }, async (req) => {
  const { event_id: eventId, packet_id: packetId } = req.params;
  return ok(inclusionJson(await eventsDeps().inclusions.remove(caller(req), { eventId, packetId })));
});
