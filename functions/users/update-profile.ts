import { caller, endpoint, ok } from '#shared/http/endpoint';
import { usersDeps } from '#shared/users/deps';
import { userJson } from '#shared/users/http/representations';
import { UpdateProfileBody, UserIdPath } from '#shared/users/http/schemas';

export const handler = endpoint({ params: UserIdPath, body: UpdateProfileBody }, async (req) => {
  const { updateProfile } = await usersDeps();
  return ok({ user: userJson(await updateProfile(caller(req), req.params.id, req.body)) });
});
