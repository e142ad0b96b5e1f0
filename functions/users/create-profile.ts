import { created, endpoint } from '#shared/http/endpoint';
import { usersDeps } from '#shared/users/deps';
import { userJson } from '#shared/users/http/representations';
import { CreateProfileBody } from '#shared/users/http/schemas';

/** U1: the registration saga (service account) or an admin creates a profile. */
export const handler = endpoint({ body: CreateProfileBody }, async (req) => {
  const { createProfile } = await usersDeps();
  return created({ user: userJson(await createProfile(req.body)) });
});
