import type { Access } from '../routes.ts';
import type { Blacklist } from './blacklist.ts';
import { bearerToken, type Identity, type VerifiedToken, verifyToken } from './tokens.ts';

/**
 * The access decision for one request to one route: the Lambda authorizer and the handlers'
 * own fallback check both use exactly this.
 */
export type Decision =
  | { allow: true; identity?: Identity; token?: VerifiedToken }
  | { allow: false; status: 401 | 403; code: string; message: string };

export async function decide(access: Access, authorization: string | undefined, revoked: Blacklist): Promise<Decision> {
  if (access.kind === 'public') return { allow: true };
  const token = bearerToken(authorization);
  if (!token) return { allow: false, status: 401, code: 'AUTH_REQUIRED', message: 'Authorization header required' };
  const verification = await verifyToken(token, revoked);
  if (!verification.valid) {
    return { allow: false, status: 401, code: 'INVALID_TOKEN', message: 'invalid or expired token' };
  }
  const { userId, role, email } = verification.token;
  if (access.kind === 'roles' && !access.roles.includes(role)) {
    return { allow: false, status: 403, code: 'FORBIDDEN', message: `forbidden: role '${role}' may not use this route` };
  }
  return { allow: true, identity: { userId, role, email }, token: verification.token };
}
