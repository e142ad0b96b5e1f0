import { created, endpoint } from '#shared/http/endpoint';
import { idmDeps } from '#shared/idm/deps';
import { RegisterBody, registeredJson } from '#shared/idm/http/schemas';

export const handler = endpoint({ body: RegisterBody }, async (req) => {
  const { register } = await idmDeps();
  // sourceIp is set by API Gateway from the connection, so a client cannot choose it.
  const { userId } = await register({ ...req.body, clientIp: req.event.requestContext?.identity?.sourceIp ?? undefined });
  return created(registeredJson(userId));
});
