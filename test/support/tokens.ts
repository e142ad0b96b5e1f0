import { generateKeyPairSync } from 'node:crypto';
import { importJWK, type JWTPayload, SignJWT } from 'jose';
import type { Role } from '../../shared/auth/roles.ts';
import { issueToken } from '../../shared/auth/tokens.ts';

let nextUserId = 1_000_000 + Math.floor(Math.random() * 1_000_000) * 100;

/** A fresh user id no other test uses (tests share the run's databases). */
export const newUserId = () => ++nextUserId;

/** A valid token for a (by default fresh) user of `role`, signed with the run's key. */
export async function tokenFor(role: Role, userId = newUserId(), email = `user${userId}@tix.test`) {
  const { token } = await issueToken({ userId, role, email });
  return { token, userId, email, role };
}

/** Any payload signed with the run's signing key (ES256, its `kid`): for expired or odd-claim tokens. */
export async function signWithRunKey(payload: JWTPayload): Promise<string> {
  const jwk = JSON.parse(process.env.JWT_SIGNING_KEY!);
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: jwk.kid }).sign(await importJWK(jwk, 'ES256'));
}

/**
 * Signed with a key outside the JWKS. `kid`: which key it claims to be signed with — by default
 * the run's own (a forgery that names a trusted key), or any other (a key nobody published).
 */
export async function signWithForeignKey(payload: JWTPayload, kid = JSON.parse(process.env.JWT_SIGNING_KEY!).kid as string): Promise<string> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid }).sign(privateKey);
}
