import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, errors, importJWK, type JSONWebKeySet, type JWK, jwtVerify, SignJWT } from 'jose';
import { ConfigError, jwtConfig, jwtKeyMaterial } from '../kernel/config.ts';
import type { Blacklist } from './blacklist.ts';
import { isRole, type Role } from './roles.ts';

/**
 * The token rules: ES256 JWTs (header `kid`) with `sub`, `email`, `role`, `iss`, `iat`, `exp`, `jti`.
 * The IDM signs with its private key; everyone verifies against the public keys (the JWKS, also
 * published at /api/idm/.well-known/jwks.json). Verification pins the algorithm and checks
 * signature, issuer, expiry, the lifetime (`exp - iat` at most the configured TTL, `iat` at most
 * 60 s ahead), the claims' shapes and the blacklist.
 */

/** Who is calling, as every handler sees it. */
export interface Identity {
  userId: number;
  role: Role;
  email: string;
}

export interface VerifiedToken extends Identity {
  jti: string;
  issuer: string;
  expiresAt: number;
}

export type Verification =
  | { valid: true; token: VerifiedToken }
  | { valid: false; reason: 'expired' | 'invalid' | 'revoked'; message: string };

const ALGORITHM = 'ES256';

/** How far ahead of our clock a token's `iat` may be (clock skew between containers). */
export const MAX_CLOCK_SKEW_SECONDS = 60;

interface Keys {
  /** The current private key; only where `JWT_SIGNING_KEY` is configured (the signing functions). */
  signing?: { kid: string; key: CryptoKey };
  /** The public keys of the JWKS, as published (`kid`, `alg`, `use` on each; never a private part). */
  jwks: JSONWebKeySet;
  verify: ReturnType<typeof createLocalJWKSet>;
  loadedAt: number;
  /** Tokens whose signature and claims these keys verified (see `decodeToken`); dropped with the keys. */
  verified: Map<string, VerifiedToken>;
}

/** At most this many verified tokens are remembered per container (the oldest go first). */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Keys are read once, then again after `JWT_KEYS_TTL_SECONDS`, so a rotation reaches every warm
 * container; a token whose `kid` is unknown also triggers a reload, at most every 10 s.
 */
let loaded: { keys: Promise<Keys>; at: number } | undefined;
const UNKNOWN_KID_RELOAD_MS = 10_000;

async function keys(): Promise<Keys> {
  const ttlMs = (await jwtConfig()).keysTtlSeconds * 1000;
  if (!loaded || Date.now() - loaded.at >= ttlMs) return reloadKeys();
  return loaded.keys;
}

/** Reads the keys again (a rotation), now. */
export function reloadKeys(): Promise<Keys> {
  const entry = { keys: loadKeys(), at: Date.now() };
  entry.keys.catch(() => loaded === entry && (loaded = undefined));
  loaded = entry;
  return entry.keys;
}

async function loadKeys(): Promise<Keys> {
  const material = await jwtKeyMaterial();
  let signing: Keys['signing'];
  let published: JWK[] = [];
  if (material.signingKey !== undefined) {
    const jwk = parseJson<JWK>(material.signingKey, 'JWT_SIGNING_KEY');
    if (!jwk.kid || !jwk.d) throw new ConfigError('JWT_SIGNING_KEY must be a private JWK with a "kid"');
    signing = { kid: jwk.kid, key: (await importJWK({ ...jwk, alg: ALGORITHM }, ALGORITHM)) as CryptoKey };
    published = [jwk];
  }
  if (material.publicKeys !== undefined) published = parseJson<JSONWebKeySet>(material.publicKeys, 'JWT_PUBLIC_KEYS').keys ?? [];
  const jwks = { keys: published.map(({ kty, crv, x, y, kid }) => ({ kty, crv, x, y, kid, alg: ALGORITHM, use: 'sig' })) };
  if (!jwks.keys.length || jwks.keys.some((k) => !k.kid || k.kty !== 'EC' || k.crv !== 'P-256')) {
    throw new ConfigError('JWT_PUBLIC_KEYS must be a JWKS of P-256 keys, each with a "kid"');
  }
  return { signing, jwks, verify: createLocalJWKSet(jwks), loadedAt: Date.now(), verified: new Map() };
}

function parseJson<T>(text: string, name: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ConfigError(`${name} is invalid: not JSON`);
  }
}

/** The public keys, for the JWKS endpoint. */
export const publicKeys = async (): Promise<JSONWebKeySet> => (await keys()).jwks;

/** `options.ttlSeconds` shortens the lifetime (never extends it), for tokens meant for one internal call. */
export async function issueToken(
  user: Identity,
  options: { ttlSeconds?: number } = {},
): Promise<{ token: string; jti: string; expiresAt: number }> {
  const { issuer, ttlSeconds } = await jwtConfig();
  const { signing } = await keys();
  if (!signing) throw new ConfigError('JWT_SIGNING_KEY is not set: only the signing functions (the IDM) issue tokens');
  const jti = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + Math.min(ttlSeconds, options.ttlSeconds ?? ttlSeconds);
  const token = await new SignJWT({ email: user.email, role: user.role })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid: signing.kid })
    .setSubject(String(user.userId))
    .setIssuer(issuer)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .setJti(jti)
    .sign(signing.key);
  return { token, jti, expiresAt };
}

/**
 * Signature, algorithm, issuer, expiry and claim shapes; not the blacklist.
 *
 * A token verified once is remembered with the keys that verified it: the same string has the same
 * signature and claims, so a warm container checks an ECDSA signature once per token, not once per
 * request (a purchase presents two tokens, each to the authorizer and to a handler). Only expiry
 * changes with time, and it is checked on every use; a rotation that drops a key drops the memory.
 */
export async function decodeToken(token: string): Promise<Verification> {
  const { issuer, ttlSeconds } = await jwtConfig();
  let current = await keys();
  const known = current.verified.get(token);
  if (known) {
    if (known.expiresAt > Date.now() / 1000) return { valid: true, token: known };
    current.verified.delete(token);
    return expired();
  }
  try {
    const options = {
      algorithms: [ALGORITHM],
      issuer,
      requiredClaims: ['sub', 'role', 'email', 'jti', 'iat', 'exp'],
    };
    const { payload } = await jwtVerify(token, current.verify, options).catch(async (error: unknown) => {
      // A key we have not seen: perhaps a rotation newer than this container's copy of the JWKS.
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - current.loadedAt < UNKNOWN_KID_RELOAD_MS) throw error;
      current = await reloadKeys();
      return jwtVerify(token, current.verify, options);
    });
    const userId = Number(payload.sub);
    const { role, email, jti } = payload;
    if (!Number.isSafeInteger(userId) || userId < 1 || String(userId) !== payload.sub) return invalid('malformed subject');
    if (!isRole(role)) return invalid('unknown role');
    // We never issue such tokens: a leaked key or a forgery must not live past the configured TTL.
    const issuedAt = payload.iat!;
    if (issuedAt > Date.now() / 1000 + MAX_CLOCK_SKEW_SECONDS) return invalid('issued in the future');
    if (payload.exp! - issuedAt > ttlSeconds) return invalid('lifetime longer than the configured TTL');
    if (typeof email !== 'string' || typeof jti !== 'string') return invalid('malformed claims');
    const verified: VerifiedToken = { userId, role, email, jti, issuer, expiresAt: payload.exp! };
    remember(current.verified, token, verified);
    return { valid: true, token: verified };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return expired();
    return invalid(error instanceof errors.JOSEError ? error.code : 'malformed token');
  }
}

/** Everything, including the blacklist. */
export async function verifyToken(token: string, revoked: Blacklist): Promise<Verification> {
  const decoded = await decodeToken(token);
  if (decoded.valid && (await revoked.isRevoked(decoded.token.jti))) {
    return { valid: false, reason: 'revoked', message: 'token has been revoked' };
  }
  return decoded;
}

function remember(verified: Map<string, VerifiedToken>, token: string, claims: VerifiedToken): void {
  if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
  verified.set(token, claims);
}

const invalid = (detail: string): Verification => ({ valid: false, reason: 'invalid', message: `token is invalid: ${detail}` });
const expired = (): Verification => ({ valid: false, reason: 'expired', message: 'token has expired' });

/**
 * The token in an Authorization header: `Bearer <token>` (scheme case-insensitive) or, as the
 * original accepted, the bare token.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const match = /^bearer\s+(.+)$/i.exec(value);
  const token = (match ? match[1]! : value).trim();
  return token || undefined;
}
