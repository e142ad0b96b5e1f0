import type { ServiceTokenAnswer } from '#shared/auth/service-token-issuer';
import { idmDeps } from '#shared/idm/deps';
import { newRequestContext, runWithContext } from '#shared/kernel/request-context';

/**
 * The internal service-token issuer (shared/auth/service-token-issuer.ts): no route leads here; the
 * user manager's functions invoke it directly (IAM: lambda:InvokeFunction is granted to them only).
 */
export const handler = (request: unknown): Promise<ServiceTokenAnswer> =>
  runWithContext(newRequestContext(undefined, { route: 'invoke idm/issue-service-token' }), async () =>
    (await idmDeps()).issueServiceToken(request),
  );
