import { endpoint, ok } from '#shared/http/endpoint';
import { idmDeps } from '#shared/idm/deps';
import { revokedJson, TokenBody } from '#shared/idm/http/schemas';

export const handler = endpoint({ body: TokenBody }, async (req) => {
  const { revoke } = await idmDeps();
  return ok(revokedJson((await revoke(req.body.token)).message));
});
