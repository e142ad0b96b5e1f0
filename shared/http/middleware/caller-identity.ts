import { blacklist } from '../../auth/blacklist.ts';
import { decide, roleRefusal } from '../../auth/policy.ts';
import { isRole } from '../../auth/roles.ts';
import { httpConfig } from '../../kernel/config.ts';
import { AppError, unauthorized } from '../../kernel/errors.ts';
import { type ApiMiddleware, header } from './types.ts';

/**
 * Who is calling. Normally the Lambda authorizer has authenticated the token and passed `userId`,
 * `role`, `email`, `jti`, `exp` in its context; since API Gateway may serve that decision from its
 * cache, the token's expiry and revocation are checked again here (a logout takes effect at once) —
 * revocation only when the decision is older than the request, i.e. cached — and then the route's
 * role rule is applied (403). Where no authorizer
 * ran (LocalStack's free tier; AUTH_FALLBACK=on), the handler makes the very same decision itself.
 * A protected route never runs without an identity.
 */
export const callerIdentity = (): ApiMiddleware => ({
  before: async (request) => {
    const { route } = request.context;
    const fromAuthorizer = request.event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
    if (fromAuthorizer && fromAuthorizer.userId !== undefined) {
      const userId = Number(fromAuthorizer.userId);
      const expiresAt = Number(fromAuthorizer.exp);
      const { role, email, jti } = fromAuthorizer;
      if (!Number.isSafeInteger(userId) || !isRole(role) || typeof email !== 'string' || typeof jti !== 'string') throw unauthorized('invalid or expired token', 'INVALID_TOKEN');
      if (!(expiresAt > Date.now() / 1000) || (!checkedForThisRequest(fromAuthorizer, request.event) && (await blacklist().isRevoked(jti)))) {
        throw unauthorized('invalid or expired token', 'INVALID_TOKEN');
      }
      // The role rule after the revocation check, so a revoked token reads 401 on every route.
      const refusal = roleRefusal(route.access, role);
      if (refusal) throw new AppError(refusal.status, refusal.code, refusal.message);
      request.context.caller = { userId, role, email };
      return;
    }
    if (route.access.kind === 'public') return;
    if (!httpConfig().authFallback) throw unauthorized('invalid or expired token', 'INVALID_TOKEN');
    const decision = await decide(route.access, header(request.event, 'authorization'), blacklist());
    if (!decision.allow) throw new AppError(decision.status, decision.code, decision.message);
    request.context.caller = decision.identity;
  },
});

/**
 * The authorizer checked revocation after this request reached API Gateway: its decision was made
 * for this request, not taken from the cache, and asking the blacklist again would tell nothing new.
 */
function checkedForThisRequest(fromAuthorizer: Record<string, unknown>, event: { requestContext?: { requestTimeEpoch?: number } }): boolean {
  const checkedAt = Number(fromAuthorizer.checkedAt);
  const arrivedAt = Number(event.requestContext?.requestTimeEpoch);
  return Number.isFinite(checkedAt) && Number.isFinite(arrivedAt) && checkedAt >= arrivedAt;
}
