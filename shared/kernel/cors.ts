import { httpConfig } from './config.ts';

/**
 * CORS for a SPA on another origin (CONTRACT §1). The same lists serve API Gateway's preflight
 * (CDK), the local runtime's preflight and every function's responses, errors included.
 */
export const CORS_ALLOW_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const CORS_ALLOW_HEADERS = [
  'Content-Type', 'Authorization', 'Idempotency-Key', 'X-Correlation-Id',
  // Connect and gRPC-Web clients (IdentityService)
  'Connect-Protocol-Version', 'Connect-Timeout-Ms', 'Grpc-Timeout', 'X-Grpc-Web', 'X-User-Agent',
] as const;
export const CORS_EXPOSE_HEADERS = ['X-Correlation-Id', 'Retry-After', 'Grpc-Status', 'Grpc-Message', 'Grpc-Status-Details-Bin'] as const;
export const CORS_MAX_AGE_SECONDS = 600;

/** The allowed origin to echo: the caller's when configured, else the first configured one. */
export function allowedOrigin(requestOrigin: string | undefined, origins = httpConfig().corsOrigins): string {
  if (requestOrigin && (origins.includes(requestOrigin) || origins.includes('*'))) return requestOrigin;
  return origins[0] ?? 'null';
}

const EXPOSE_HEADERS = CORS_EXPOSE_HEADERS.join(', ');

/** Headers every response carries. */
export function corsHeaders(requestOrigin: string | undefined): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': allowedOrigin(requestOrigin),
    'Access-Control-Expose-Headers': EXPOSE_HEADERS,
    Vary: 'Origin',
  };
}

/** Headers of a preflight answer. */
export function preflightHeaders(requestOrigin: string | undefined): Record<string, string> {
  return {
    ...corsHeaders(requestOrigin),
    'Access-Control-Allow-Methods': CORS_ALLOW_METHODS.join(', '),
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS.join(', '),
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
  };
}

/** Hardening headers for JSON API responses. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
};
