import { endpoint, ok } from '#shared/http/endpoint';
import { idmDeps } from '#shared/idm/deps';
import { LoginBody, loggedInJson } from '#shared/idm/http/schemas';

export const handler = endpoint({ body: LoginBody }, async (req) => {
  const { login } = await idmDeps();
  // sourceIp is set by API Gateway from the connection, so a client cannot choose it.
  return ok(loggedInJson(await login({ ...req.body, clientIp: req.event.requestContext?.identity?.sourceIp ?? undefined })));
});
