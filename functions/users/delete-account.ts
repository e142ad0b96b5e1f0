import { bearerToken } from '#shared/auth/tokens';
import { caller, endpoint, ok } from '#shared/http/endpoint';
import { usersDeps } from '#shared/users/deps';
import { userJson } from '#shared/users/http/representations';
import { UserIdPath } from '#shared/users/http/schemas';

/** CONTRACT F20: tickets cancelled, profile and identity deleted, the caller's own token revoked. */
export const handler = endpoint({ params: UserIdPath }, async (req) => {
  const { deleteAccount } = await usersDeps();
  const deleted = await deleteAccount(caller(req), req.params.id, bearerToken(req.header('authorization')));
  return ok({ user: deleted ? userJson(deleted) : null });
});
