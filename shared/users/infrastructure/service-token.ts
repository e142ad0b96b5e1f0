import { serviceUnavailable } from '../../kernel/errors.ts';
import { type HttpAnswer, httpCall, jsonObject } from '../../kernel/http-call.ts';
import { log } from '../../kernel/request-context.ts';
import type { ServiceTokenProvider } from '../application/ports.ts';

/**
 * The service account's token for calls to the event manager, from the IdentityService (its Login
 * over the public REST API), cached until shortly before it expires. Concurrent requests share one
 * login; a token the event manager rejected (revoked) is forgotten and fetched anew once.
 */

export interface IssuedToken {
  token: string;
  /** unix seconds */
  expiresAt: number;
}

/** Renew this long before the expiry, so that no request leaves with a token about to lapse. */
export const RENEW_BEFORE_SECONDS = 60;

export class CachingTokenProvider implements ServiceTokenProvider {
  private cached: IssuedToken | undefined;
  private pending: Promise<IssuedToken> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly nowSeconds = () => Date.now() / 1000,
  ) {}

  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt - RENEW_BEFORE_SECONDS > this.nowSeconds()) return this.cached.token;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    this.cached = await this.pending;
    return this.cached.token;
  }

  invalidate(token: string): void {
    // Only the token that was rejected: a concurrent request may already have fetched a new one.
    if (this.cached?.token === token) this.cached = undefined;
  }
}

/** `exp` of a JWT, read without verifying it (the token is ours to present, not to trust). */
export function tokenExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}

const SERVICE_ROLE = 'serviciu_clienti';

/** Login of the service account at POST {baseUrl}/api/idm/auth/login. */
export function identityServiceLogin(options: {
  baseUrl: string;
  credentials: () => Promise<{ email: string; password: string }>;
  timeoutMs?: number;
}): () => Promise<IssuedToken> {
  return async () => {
    const { email, password } = await options.credentials();
    let response: HttpAnswer;
    try {
      response = await httpCall(`${options.baseUrl}/api/idm/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password }),
        timeoutMs: options.timeoutMs ?? 3_000,
      });
    } catch (error) {
      log().error('service login failed: identity service unreachable', { error: String(error) });
      throw serviceUnavailable('identity service unavailable, try again later', 'UPSTREAM_UNAVAILABLE');
    }
    const body = jsonObject(response.text) as { success?: boolean; token?: unknown; role?: unknown } | undefined;
    const token = typeof body?.token === 'string' ? body.token : undefined;
    const expiresAt = token ? tokenExpiry(token) : undefined;
    if (response.status !== 200 || !body?.success || !token || expiresAt === undefined || body.role !== SERVICE_ROLE) {
      // A wrong password or role is a deployment fault; its details go to the log, not to the client.
      log().error('service login refused', { status: response.status, role: String(body?.role) });
      throw serviceUnavailable('service authentication failed, try again later', 'UPSTREAM_UNAVAILABLE');
    }
    return { token, expiresAt };
  };
}
