/**
 * What API Gateway itself answers when the authorizer refuses a request (its "gateway responses"),
 * defined once for the CDK stack and the local runtime.
 *
 * API Gateway allows ONE static body per response type: a missing Authorization header (rejected
 * before the authorizer runs) and an invalid, expired or revoked token (the authorizer throws
 * "Unauthorized") share the UNAUTHORIZED response. It carries CONTRACT F1's text for bad tokens, the
 * common case; only a request with no header at all then reads "invalid or expired token" instead of
 * "Authorization header required" (handlers that check tokens themselves, AUTH_FALLBACK, keep both).
 * ACCESS_DENIED can read the Deny policy's context, so 403s name their reason.
 */
export const UNAUTHORIZED_BODY = { error: 'invalid or expired token', code: 'UNAUTHORIZED' } as const;

/** Body template of ACCESS_DENIED (`$context.authorizer.*` = the Deny policy's context). */
export const ACCESS_DENIED_TEMPLATE = '{"error":"$context.authorizer.message","code":"$context.authorizer.code"}';

/** The same body, rendered locally from the Deny policy's context. */
export const accessDeniedBody = (context: Record<string, unknown> | undefined) => ({
  error: String(context?.message ?? 'forbidden'),
  code: String(context?.code ?? 'FORBIDDEN'),
});

/**
 * The authorizer failed (threw anything but "Unauthorized", or returned garbage): in practice a store
 * it needs did not answer (neither Redis nor the durable store could say whether the token was
 * revoked). 503, so that clients retry; never an Allow (CONTRACT F14: revocation never fails open).
 */
export const AUTHORIZER_FAILURE_STATUS = 503;
export const AUTHORIZER_FAILURE_BODY = { error: 'authorization is unavailable right now; try again shortly', code: 'AUTHORIZER_UNAVAILABLE' } as const;

/**
 * Authorizer cache TTL default (seconds). Revocation does not wait for it: the authorizer passes the
 * token's `jti` and `exp`, and every handler re-checks them (one Redis EXISTS), so a logout takes
 * effect at once; the cache only spares the authorizer's invocation.
 */
export const DEFAULT_AUTHORIZER_TTL_SECONDS = 10;
