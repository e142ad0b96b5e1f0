import { bearerToken } from '#shared/auth/tokens';
import { endpoint, ok } from '#shared/http/endpoint';
import { unprocessable } from '#shared/kernel/errors';
import { parseJsonBody } from '#shared/kernel/json-body';
import { validate } from '#shared/kernel/validation';
import { idmDeps } from '#shared/idm/deps';
import { LogoutBody, revokedJson } from '#shared/idm/http/schemas';

/** Same as /revoke, but the body is optional: the token may come in the Authorization header instead. */
export const handler = endpoint({}, async (req) => {
  const { revoke } = await idmDeps();
  const body = req.event.body ? validate(LogoutBody, parseJsonBody(req.event.body, req.event.isBase64Encoded)) : {};
  const token = body.token ?? bearerToken(req.header('authorization'));
  if (token === undefined) throw unprocessable('token: is required (in the body or the Authorization header)', 'token');
  return ok(revokedJson((await revoke(token)).message));
});
