import type { ServiceTokenAnswer, ServiceTokenRequest } from '../../auth/service-token-issuer.ts';
import { serviceUnavailable } from '../../kernel/errors.ts';
import { log } from '../../kernel/request-context.ts';
import type { ServiceTokenProvider } from '../application/ports.ts';

/**
 * The service account's token for calls to the event manager, from the IDM's internal issuer,
 * cached until shortly before it expires. Concurrent requests share one
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

/**
 * The service account's token from the IDM's internal issuer (shared/auth/service-token-issuer.ts),
 * invoked directly, never through the public login: a public caller cannot throttle or lock it.
 */
export function serviceTokenIssuer(options: {
  invoke: (request: ServiceTokenRequest) => Promise<unknown>;
  credentials: () => Promise<ServiceTokenRequest>;
}): () => Promise<IssuedToken> {
  return async () => {
    let answer: ServiceTokenAnswer;
    try {
      answer = (await options.invoke(await options.credentials())) as ServiceTokenAnswer;
    } catch (error) {
      log().error('service token: the issuer could not be invoked', { error: String(error) });
      throw serviceUnavailable('identity service unavailable, try again later', 'UPSTREAM_UNAVAILABLE');
    }
    if (!answer?.ok || typeof answer.token !== 'string' || typeof answer.expiresAt !== 'number') {
      // Wrong credentials are a deployment fault; the details go to the log, not to the client.
      log().error('service token refused by the issuer', { code: String((answer as { code?: unknown } | undefined)?.code) });
      throw serviceUnavailable('service authentication failed, try again later', 'UPSTREAM_UNAVAILABLE');
    }
    return { token: answer.token, expiresAt: answer.expiresAt };
  };
}
