import type { Role } from '../../auth/roles.ts';
import { AppError, unprocessable } from '../../kernel/errors.ts';
import { fieldMessage } from '../../kernel/validation.ts';
import { type EmailPurpose, normaliseEmail } from '../domain/email.ts';
import { checkPassword, type PasswordPurpose } from '../domain/password.ts';
import { REGISTRATION_ROLE_NAMES, registrationRole } from '../domain/role.ts';

/**
 * The input rules of the identity use cases, applied the same way whether a request came over REST
 * (whose schemas check only shapes) or over the IdentityService RPCs (which have no schemas).
 */

const invalid = (field: string, reason: string, code?: string) =>
  code ? new AppError(422, code, fieldMessage('em', field, reason), field) : unprocessable(fieldMessage('em', field, reason), field);

export function validEmail(email: string, purpose: EmailPurpose): string {
  const checked = normaliseEmail(email, purpose);
  if (!checked.ok) throw invalid('email', checked.reason);
  return checked.email;
}

export function validPassword(password: string, purpose: PasswordPurpose = 'login'): string {
  const checked = checkPassword(password, purpose);
  if (!checked.ok) throw invalid('password', checked.reason, checked.code);
  return password;
}

export function validRole(role: string): Role {
  const mapped = registrationRole(role);
  if (!mapped) throw invalid('role', `must be one of ${REGISTRATION_ROLE_NAMES.map((r) => JSON.stringify(r)).join(', ')}`);
  return mapped;
}

/** A token as the original gateway accepted it: 1..1000 characters. */
export const TOKEN_MAX_CHARS = 1000;

export function validToken(token: string): string {
  if (token.length < 1) throw invalid('token', 'must be at least 1 character long');
  if (token.length > TOKEN_MAX_CHARS) throw invalid('token', `must be at most ${TOKEN_MAX_CHARS} characters long`);
  return token;
}
