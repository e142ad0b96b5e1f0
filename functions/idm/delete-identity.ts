import { endpoint, ok } from '#shared/http/endpoint';
import { idmDeps } from '#shared/idm/deps';
import { IdentityIdPath, identityDeletedJson } from '#shared/idm/http/schemas';

export const handler = endpoint({ params: IdentityIdPath }, async (req) => {
  const { deleteIdentity } = await idmDeps();
  return ok(identityDeletedJson(req.params.id, (await deleteIdentity(req.params.id)).message));
});
