import { generateKeyPairSync, type JsonWebKey, randomBytes } from 'node:crypto';

/**
 * Token key pairs (ES256) as JWKs: made by the local runtime, the tests, the migration function
 * (the first key pair of a deployment) and rotations. Never loaded by the request path.
 */
export type SigningJwk = JsonWebKey & { kid: string };

/** A fresh ES256 key pair as a private JWK; `kid`: when it was made, and a random part. */
export function generateSigningKey(): SigningJwk {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `${new Date().toISOString().slice(0, 10)}-${randomBytes(6).toString('base64url')}`;
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
}

/** The public half of private JWKs, as a JWKS. */
export const publicJwks = (keys: SigningJwk[]) => ({
  keys: keys.map(({ kty, crv, x, y, kid }) => ({ kty, crv, x, y, kid, alg: 'ES256', use: 'sig' })),
});
