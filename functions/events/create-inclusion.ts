import { caller, created, endpoint } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { inclusionJson } from '#shared/events/http/representations';
import { InclusionBody, InclusionParams } from '#shared/events/http/schemas';

export const handler = endpoint({ body: InclusionBody, params: InclusionParams }, async (req) => {
  const { event_id: eventId, packet_id: packetId } = req.params;
  return created(inclusionJson(await eventsDeps().inclusions.create(caller(req), { eventId, packetId })));
});
