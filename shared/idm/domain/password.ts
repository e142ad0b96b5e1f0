/**
 * The password rule: 1..255 characters (the original gateway's limit) and at most 72 bytes of UTF-8,
 * because bcrypt ignores everything after byte 72 — accepting more would silently make the rest of a
 * long password meaningless (CONTRACT F18: a clear 422, not a generic error).
 */

export const PASSWORD_MAX_CHARS = 255;
export const PASSWORD_MAX_BYTES = 72;

export type PasswordCheck = { ok: true } | { ok: false; code: 'VALIDATION_FAILED' | 'PASSWORD_TOO_LONG'; reason: string };

export function checkPassword(password: string): PasswordCheck {
  const chars = [...password].length;
  if (chars < 1) return { ok: false, code: 'VALIDATION_FAILED', reason: 'must be at least 1 character long' };
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
