/**
 * The password rule: at most 255 characters (the original gateway's limit) and at most 72 bytes of
 * UTF-8, because bcrypt ignores everything after byte 72 — accepting more would silently make the
 * rest of a long password meaningless (CONTRACT F18: a clear 422, not a generic error). A new
 * password (registration) needs at least 8 characters (F18, NIST SP 800-63B); a login only needs
 * one, so that accounts seeded or registered before the rule can still log in.
 */

export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 255;
export const PASSWORD_MAX_BYTES = 72;

/** `new`: a password being chosen (registration); `login`: one being presented. */
export type PasswordPurpose = 'new' | 'login';

export type PasswordCheck =
  | { ok: true }
  | { ok: false; code: 'VALIDATION_FAILED' | 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG'; reason: string };

export function checkPassword(password: string, purpose: PasswordPurpose = 'login'): PasswordCheck {
  const chars = [...password].length;
  if (chars < 1) return { ok: false, code: 'VALIDATION_FAILED', reason: 'must be at least 1 character long' };
  if (purpose === 'new' && chars < PASSWORD_MIN_CHARS) {
    return { ok: false, code: 'PASSWORD_TOO_SHORT', reason: `must be at least ${PASSWORD_MIN_CHARS} characters long` };
  }
  if (chars > PASSWORD_MAX_CHARS) {
    return { ok: false, code: 'VALIDATION_FAILED', reason: `must be at most ${PASSWORD_MAX_CHARS} characters long` };
  }
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return {
      ok: false,
      code: 'PASSWORD_TOO_LONG',
      reason: `must be at most ${PASSWORD_MAX_BYTES} bytes long in UTF-8 (bcrypt ignores anything beyond); choose a shorter password`,
    };
  }
  return { ok: true };
}
