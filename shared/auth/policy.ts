import type { Access } from '../routes.ts';
import type { Blacklist } from './blacklist.ts';
import type { Role } from './roles.ts';
import { bearerToken, type Identity, type VerifiedToken, verifyToken } from './tokens.ts';

/**
 * The access decision for one request to one route. The handlers' fallback check (no authorizer)
 * uses `decide`; the Lambda authorizer only `authenticate`s, and the handler behind it applies
 * `roleRefusal` after re-checking revocation: API Gateway caches an authorizer's Deny like its Allow,
 * and a cached 403 would outlive a logout (it must read 401 at once).
 */
export type Decision =
  | { allow: true; identity?: Identity; token?: VerifiedToken }
  | { allow: false; status: 401 | 403; code: string; message: string };

export async function decide(access: Access, authorization: string | undefined, revoked: Blacklist): Promise<Decision> {
  const decision = await authenticate(access, authorization, revoked);
  return decision.allow && decision.identity ? (roleRefusal(access, decision.identity.role) ?? decision) : decision;
}

/** Everything but the role rule: the token is there, genuine, unexpired and not revoked. */
export async function authenticate(access: Access, authorization: string | undefined, revoked: Blacklist): Promise<Decision> {
  if (access.kind === 'public') return { allow: true };
  const token = bearerToken(authorization);
  if (!token) return { allow: false, status: 401, code: 'AUTH_REQUIRED', message: 'Authorization header required' };
  const verification = await verifyToken(token, revoked);
  if (!verification.valid) {
    return { allow: false, status: 401, code: 'INVALID_TOKEN', message: 'invalid or expired token' };
  }
  const { userId, role, email } = verification.token;
  return { allow: true, identity: { userId, role, email }, token: verification.token };
}

/** The route's role rule: the 403 for a role it does not admit, or undefined. */
export function roleRefusal(access: Access, role: Role): Extract<Decision, { allow: false }> | undefined {
  if (access.kind !== 'roles' || access.roles.includes(role)) return undefined;
  return { allow: false, status: 403, code: 'FORBIDDEN', message: `forbidden: role '${role}' may not use this route` };
}
