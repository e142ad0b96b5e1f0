import { endpoint } from '#shared/http/endpoint';
import { eventsDeps } from '#shared/events/deps';
import { InclusionBody, InclusionParams } from '#shared/events/http/schemas';

/** ORIGINAL §5.3 I4: an inclusion has nothing to update; the body must still be `{}`. */
export const handler = endpoint({ body: InclusionBody, params: InclusionParams }, async () => eventsDeps().inclusions.update());
