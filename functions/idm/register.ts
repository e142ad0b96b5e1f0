import { created, endpoint } from '#shared/kernel/endpoint';
import { idmDeps } from '#shared/idm/deps';
import { RegisterBody, registeredJson } from '#shared/idm/http/schemas';

export const handler = endpoint({ body: RegisterBody }, async (req) => {
  const { register } = await idmDeps();
  const { userId } = await register(req.body);
  return created(registeredJson(userId));
});
