import { caller, endpoint, ok } from '#shared/http/endpoint';
import { usersDeps } from '#shared/users/deps';
import { userJson } from '#shared/users/http/representations';
import { UserIdPath } from '#shared/users/http/schemas';

export const handler = endpoint({ params: UserIdPath }, async (req) => {
  const { getProfile } = await usersDeps();
  return ok({ user: userJson(await getProfile(caller(req), req.params.id)) });
});
