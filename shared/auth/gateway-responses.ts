/**
 * What API Gateway itself answers when the authorizer refuses a request (its "gateway responses"),
 * defined once for the CDK stack and the local runtime.
 *
 * API Gateway allows ONE static body per response type: a missing Authorization header (rejected
 * before the authorizer runs) and an invalid, expired or revoked token (the authorizer throws
 * "Unauthorized") share the UNAUTHORIZED response. So behind the authorizer both say "missing,
 * invalid or expired token"; handlers that check tokens themselves (AUTH_FALLBACK, LocalStack) keep
 * the two messages of CONTRACT F1. ACCESS_DENIED can read the Deny policy's context, so 403s name
 * their reason.
 */
export const UNAUTHORIZED_BODY = { error: 'missing, invalid or expired token', code: 'UNAUTHORIZED' } as const;

/** Body template of ACCESS_DENIED (`$context.authorizer.*` = the Deny policy's context). */
export const ACCESS_DENIED_TEMPLATE = '{"error":"$context.authorizer.message","code":"$context.authorizer.code"}';

/** The same body, rendered locally from the Deny policy's context. */
export const accessDeniedBody = (context: Record<string, unknown> | undefined) => ({
  error: String(context?.message ?? 'forbidden'),
  code: String(context?.code ?? 'FORBIDDEN'),
});

/** The authorizer failed (threw anything but "Unauthorized", or returned garbage). */
export const AUTHORIZER_FAILURE_BODY = { error: 'authorization failed', code: 'AUTHORIZER_FAILURE' } as const;

/** Authorizer cache TTL default (seconds); a logout takes effect on a route within this time. */
export const DEFAULT_AUTHORIZER_TTL_SECONDS = 10;
