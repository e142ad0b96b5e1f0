import { SERVICE_ROLE } from '../../auth/roles.ts';
import { issueToken } from '../../auth/tokens.ts';
import { serviceUnavailable } from '../../kernel/errors.ts';
import { log } from '../../kernel/request-context.ts';
import type { UserRepository } from './ports.ts';

/** Renew this long before expiry, so a token never expires on its way to the User service. */
const RENEW_BEFORE_SECONDS = 60;

export interface ServiceToken {
  get(): Promise<string>;
  /** Forget the cached token (the User service refused it). */
  invalidate(): void;
}

/**
 * The service account's token for the IDM's own calls (registration → User service). The IDM owns
 * the signing key, so it mints the token for the seeded account directly instead of logging in;
 * cached until shortly before it expires.
 */
export function makeServiceToken(deps: { users: UserRepository; email: string; now?: () => number }): ServiceToken {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  let cached: { token: string; expiresAt: number } | undefined;
  return {
    async get() {
      if (cached && cached.expiresAt - RENEW_BEFORE_SECONDS > now()) return cached.token;
      const account = await deps.users.findByEmail(deps.email);
      if (!account || account.role !== SERVICE_ROLE) {
        log().error('service account missing or without the service role', { email: deps.email });
        throw serviceUnavailable('the service account is not configured', 'SERVICE_ACCOUNT_MISSING');
      }
      const issued = await issueToken({ userId: account.id, role: account.role, email: account.email });
      cached = { token: issued.token, expiresAt: issued.expiresAt };
      return issued.token;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
