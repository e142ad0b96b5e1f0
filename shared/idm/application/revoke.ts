import type { Blacklist } from '../../auth/blacklist.ts';
import { decodeToken } from '../../auth/tokens.ts';
import { unauthorized } from '../../kernel/errors.ts';
import { validToken } from './input.ts';
import type { AuditTrail } from './ports.ts';
import { count } from '../../kernel/metrics.ts';

export const REVOKED_MESSAGE = 'Token has been successfully revoked and added to blacklist';
export const ALREADY_REVOKED_MESSAGE = 'Token was already revoked';
export const ALREADY_EXPIRED_MESSAGE = 'Token has already expired';

/**
 * Log out: blacklist a genuine token until it would expire anyway (CONTRACT F14). Logging out is
 * idempotent (revoked or expired tokens succeed without change); a token we did not issue is refused
 * and nothing is recorded for it, so junk cannot fill the blacklist.
 */
export function makeRevoke(deps: { blacklist: Blacklist; audit?: AuditTrail }) {
  return async (token: string): Promise<{ message: string }> => {
    const decoded = await decodeToken(validToken(token));
    if (!decoded.valid) {
      if (decoded.reason === 'expired') return { message: ALREADY_EXPIRED_MESSAGE };
      throw unauthorized(decoded.message, 'INVALID_TOKEN');
    }
    const { jti, expiresAt } = decoded.token;
    if (await deps.blacklist.isRevoked(jti)) return { message: ALREADY_REVOKED_MESSAGE };
    await deps.blacklist.revoke(jti, expiresAt);
    count('TokensRevoked');
    // The token's holder logged out (the route is public: the token says who); never the token itself.
    await deps.audit?.append({
      action: 'token.revoked', resourceType: 'user', resourceId: decoded.token.userId,
      actor: { actor_id: decoded.token.userId, actor_role: decoded.token.role },
      changes: { after: { revoked_until: new Date(expiresAt * 1000).toISOString() } },
    });
    return { message: REVOKED_MESSAGE };
  };
}
