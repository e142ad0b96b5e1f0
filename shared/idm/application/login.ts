import { issueToken } from '../../auth/tokens.ts';
import { AppError, tooManyRequests } from '../../kernel/errors.ts';
import { validEmail, validPassword } from './input.ts';
import type { AuditTrail, LoginThrottle, PasswordHasher, UserRepository } from './ports.ts';
import { count } from '../../kernel/metrics.ts';

export interface LoginInput {
  email: string;
  password: string;
  /** The caller's address (API Gateway's sourceIp), for the per-client limit. */
  clientIp?: string;
}

export interface LoggedIn {
  token: string;
  userId: number;
  role: string;
  email: string;
}

export const LOGIN_SUCCESS_MESSAGE = 'Login successful';
export const LOGIN_FAILURE_MESSAGE = 'Invalid email or password';

/**
 * Wrong e-mail or password (CONTRACT F2): 401, and the body keeps the original's shape
 * `{success:false, message}` next to the platform's `{error, code}`.
 */
export class LoginFailed extends AppError {
  constructor() {
    super(401, 'INVALID_CREDENTIALS', LOGIN_FAILURE_MESSAGE);
  }

  override toBody() {
    return { ...super.toBody(), success: false, message: this.message };
  }
}

/**
 * Log in: throttled per e-mail and per client address; the same answer (and the same bcrypt work)
 * whether the e-mail is unknown or the password wrong, so the endpoint does not reveal who exists.
 */
export function makeLogin(deps: { users: UserRepository; hasher: PasswordHasher; throttle: LoginThrottle; audit?: AuditTrail }) {
  return async (input: LoginInput): Promise<LoggedIn> => {
    const email = validEmail(input.email, 'login');
    const password = validPassword(input.password);
    const attempt = { email, ip: input.clientIp };

    // Counted before the password is checked: concurrent guesses cannot slip past the limit.
    const wait = await deps.throttle.admit(attempt);
    if (wait > 0) {
      count('LoginsThrottled');
      throw tooManyRequests(`too many failed login attempts; try again in ${wait} seconds`, wait);
    }

    const user = await deps.users.findByEmail(email);
    const matches = user ? await deps.hasher.matches(password, user.passwordHash) : (await deps.hasher.burn(password), false);
    if (!user || !matches) {
      count('LoginsFailed');
      if (deps.audit) await recordLockout(deps as Required<typeof deps>, attempt, user?.id);
      throw new LoginFailed();
    }
    count('LoginsSucceeded');
    await deps.throttle.succeeded(attempt);
    const { token } = await issueToken({ userId: user.id, role: user.role, email: user.email });
    return { token, userId: user.id, role: user.role, email: user.email };
  };
}

/**
 * The failure that used up the last attempt of the e-mail or the address locked it out, a state
 * change: one audit record (the attempt was counted by `admit`, so the lockout is visible now).
 */
async function recordLockout(deps: { throttle: LoginThrottle; audit: AuditTrail }, attempt: { email: string; ip?: string }, userId?: number) {
  const lockedFor = await deps.throttle.lockedFor(attempt);
  if (lockedFor === 0) return;
  await deps.audit.append({
    action: 'login.locked_out',
    resourceType: 'login',
    resourceId: userId ?? attempt.email,
    changes: { after: { email: attempt.email, client_ip: attempt.ip ?? null, locked_for_seconds: lockedFor } },
  });
}
