import { endpoint } from '#shared/http/endpoint';
import { publicKeys } from '#shared/auth/tokens';

/**
 * The public keys that verify our tokens (RFC 7517 JWKS; `kid` on each). Cacheable for five
 * minutes: a rotation publishes the next key before it signs, and keeps the previous one until its
 * tokens have expired, so a cached copy is never wrong for long.
 */
export const handler = endpoint({}, async () => ({
  status: 200,
  body: await publicKeys(),
  headers: { 'Cache-Control': 'public, max-age=300', 'Content-Type': 'application/jwk-set+json' },
}));
