import { SERVICE_ROLE } from '../../auth/roles.ts';
import type { ServiceTokenAnswer } from '../../auth/service-token-issuer.ts';
import { issueToken } from '../../auth/tokens.ts';
import { log } from '../../kernel/request-context.ts';
import type { PasswordHasher, UserRepository } from './ports.ts';

/**
 * The internal service-token issuer: the service account's credentials → its token. Not a public
 * route (only the user manager can invoke it), so it has no login throttle that strangers could
 * trip: locking the public login of the service account no longer stops sales. Signing stays in
 * the one token module (issueToken).
 */
export function makeIssueServiceToken(deps: { users: UserRepository; hasher: PasswordHasher; email: string }) {
  return async (request: unknown): Promise<ServiceTokenAnswer> => {
    const { email, password } = (request ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string') return refused('MALFORMED_REQUEST', 'email and password are required');
    // Only the configured service account: this is no general-purpose login.
    const account = email.toLowerCase() === deps.email.toLowerCase() ? await deps.users.findByEmail(deps.email) : undefined;
    const matches = account ? await deps.hasher.matches(password, account.passwordHash) : false;
    if (!account || account.role !== SERVICE_ROLE || !matches) {
      log().error('service token refused: not the service account, or wrong credentials', { email });
      return refused('SERVICE_CREDENTIALS_REFUSED', 'not the service account, or wrong credentials');
    }
    const { token, expiresAt } = await issueToken({ userId: account.id, role: account.role, email: account.email });
    return { ok: true, token, expiresAt };
  };
}

const refused = (code: string, message: string): ServiceTokenAnswer => ({ ok: false, code, message });
