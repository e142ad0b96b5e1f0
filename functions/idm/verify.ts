import { endpoint, ok } from '#shared/http/endpoint';
import { idmDeps } from '#shared/idm/deps';
import { TokenBody, tokenReportJson } from '#shared/idm/http/schemas';

export const handler = endpoint({ body: TokenBody }, async (req) => {
  const { verify } = await idmDeps();
  return ok(tokenReportJson(await verify(req.body.token)));
});
