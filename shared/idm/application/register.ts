import type { Role } from '../../auth/roles.ts';
import { AppError, conflict, serviceUnavailable, tooManyRequests } from '../../kernel/errors.ts';
import { log } from '../../kernel/request-context.ts';
import { validEmail, validPassword, validRole } from './input.ts';
import type { PasswordHasher, ProfileService, RegistrationLimit, UserRepository } from './ports.ts';

export interface RegisterInput {
  email: string;
  password: string;
  role: string;
  /** The caller's address (API Gateway's sourceIp), for the per-address limit. */
  clientIp?: string;
}

export const REGISTERED_MESSAGE = 'Registration successful';
export const EMAIL_TAKEN_MESSAGE = "validation failed for 'email': User with this email already exists";

/**
 * Registration saga (CONTRACT F8): create the identity, then its profile in the User service; if the
 * profile cannot be created, delete the identity again, so that nothing is left half-registered and
 * the person can simply register again. Concurrent registrations of one e-mail: the unique index
 * lets exactly one through. Each attempt that passes the input rules first counts against its
 * client address (CONTRACT F23): over the limit, 429 and nothing is written.
 */
export function makeRegister(deps: { users: UserRepository; profiles: ProfileService; hasher: PasswordHasher; limit: RegistrationLimit }) {
  return async (input: RegisterInput): Promise<{ userId: number; email: string }> => {
    const email = validEmail(input.email, 'register');
    const password = validPassword(input.password, 'new');
    const role = validRole(input.role);
    const wait = await deps.limit.admit(input.clientIp);
    if (wait > 0) throw tooManyRequests(`too many registrations from this address; try again in ${wait} seconds`, wait);

    const created = await deps.users.create({ email, passwordHash: await deps.hasher.hash(password), role });
    if (created === 'email-taken') throw conflict(EMAIL_TAKEN_MESSAGE, 'EMAIL_TAKEN');
    const userId = created.id;

    const outcome = await deps.profiles.create({ id: userId, email }).catch(
      (error: unknown) => ({ ok: false, reason: 'unavailable', detail: String(error) }) as const,
    );
    if (outcome.ok) return { userId, email };

    await rollBack(deps, { id: userId, email, role }, outcome.reason === 'unavailable');
    if (outcome.reason === 'unavailable') {
      log().error('registration rolled back: profile service unavailable', { userId, detail: outcome.detail });
      throw serviceUnavailable(
        'Registration failed: the profile service is unavailable; nothing was registered, please try again later',
        'PROFILE_SERVICE_UNAVAILABLE',
      );
    }
    log().warn('registration rolled back: profile refused', { userId, status: outcome.status, code: outcome.code });
    throw refused(outcome.status, outcome.code, outcome.message);
  };
}

/** Undo the identity (and, when the outcome is unknown, any profile that may have been created). */
async function rollBack(
  deps: { users: UserRepository; profiles: ProfileService },
  user: { id: number; email: string; role: Role },
  outcomeUnknown: boolean,
): Promise<void> {
  if (outcomeUnknown) await deps.profiles.discard(user);
  try {
    await deps.users.delete(user.id);
  } catch (error) {
    // The one thing we cannot undo automatically: say loudly which identity is left over.
    log().error('registration rollback failed: identity without profile left behind', { userId: user.id, error: String(error) });
    throw error;
  }
}

/**
 * The User service's own client errors (duplicate e-mail, an address it considers invalid) reach the
 * caller with their status; anything else it refuses is our integration's fault, not the caller's.
 */
function refused(status: number, code: string | undefined, message: string): AppError {
  if (status === 409 || status === 422) {
    return new AppError(status, code ?? 'PROFILE_REJECTED', `Registration failed: the profile could not be created: ${message}`);
  }
  return serviceUnavailable(
    'Registration failed: the profile service refused the request; nothing was registered, please try again later',
    'PROFILE_SERVICE_UNAVAILABLE',
  );
}
