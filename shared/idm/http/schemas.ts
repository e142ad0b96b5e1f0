import * as z from 'zod';
import { pathId } from '../../kernel/validation.ts';
import type { LoggedIn } from '../application/login.ts';
import { LOGIN_SUCCESS_MESSAGE } from '../application/login.ts';
import { REGISTERED_MESSAGE } from '../application/register.ts';
import type { TokenReport } from '../application/verify.ts';

/**
 * Request shapes of /api/idm/auth/* (ORIGINAL §4). The schemas check shapes only (strict objects of
 * strings: unknown field or wrong type → 400, missing → 422); the rules themselves (e-mail syntax,
 * password length, roles, token length) are the use cases', because the IdentityService RPCs must
 * apply exactly the same ones.
 */

const email = z.string().describe('E-mail address, normalised as the original gateway did (max 255 characters)');
const password = z.string().describe('At most 255 characters and 72 bytes of UTF-8 (bcrypt); a new password (registration) at least 8 characters');
const token = z.string().describe('A JWT issued by /login (1..1000 characters)');

export const RegisterBody = z.strictObject({
  email,
  password,
  role: z.string().describe('"client" or "owner" (→ owner-event)'),
});

export const LoginBody = z.strictObject({ email, password });

export const TokenBody = z.strictObject({ token });

export const IdentityIdPath = z.strictObject({ id: pathId() });

/** /logout: the token in the body, or else in the Authorization header. */
export const LogoutBody = z.strictObject({ token: token.optional() });

// ── response shapes (the original's JSON names) ──────────────────────────────────────────────

export const registeredJson = (userId: number) => ({ success: true, message: REGISTERED_MESSAGE, user_id: String(userId) });

export const loggedInJson = (login: LoggedIn) => ({
  success: true,
  token: login.token,
  message: LOGIN_SUCCESS_MESSAGE,
  user_id: String(login.userId),
  role: login.role,
  email: login.email,
});

export const tokenReportJson = (report: TokenReport) => ({
  valid: report.valid,
  email: report.email,
  message: report.message,
  user_id: report.userId,
  role: report.role,
  issuer: report.issuer,
  expires_at: report.expiresAt,
  expired: report.expired,
  blacklisted: report.blacklisted,
});

export const revokedJson = (message: string) => ({ success: true, message });

export const identityDeletedJson = (id: number, message: string) => ({ success: true, message, user_id: String(id) });
