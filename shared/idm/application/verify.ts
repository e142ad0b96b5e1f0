import type { Blacklist } from '../../auth/blacklist.ts';
import { verifyToken } from '../../auth/tokens.ts';
import { validToken } from './input.ts';

/** The answer of VerifyToken (ORIGINAL §3.4, CONTRACT F14): empty strings / 0 / false when unknown. */
export interface TokenReport {
  valid: boolean;
  email: string;
  message: string;
  userId: string;
  role: string;
  issuer: string;
  expiresAt: number;
  expired: boolean;
  blacklisted: boolean;
}

export const TOKEN_VALID_MESSAGE = 'Token is valid';

/**
 * Verify a token with the platform's one set of token rules. Pure inspection: an invalid token is
 * reported, never recorded (garbage is not blacklisted — CONTRACT F14).
 */
export function makeVerify(deps: { blacklist: Blacklist }) {
  return async (token: string): Promise<TokenReport> => {
    const verification = await verifyToken(validToken(token), deps.blacklist);
    const empty = { email: '', userId: '', role: '', issuer: '', expiresAt: 0, expired: false, blacklisted: false };
    if (!verification.valid) {
      return {
        ...empty,
        valid: false,
        message: verification.message,
        expired: verification.reason === 'expired',
        blacklisted: verification.reason === 'revoked',
      };
    }
    const { userId, email, role, issuer, expiresAt } = verification.token;
    return { ...empty, valid: true, message: TOKEN_VALID_MESSAGE, email, userId: String(userId), role, issuer, expiresAt };
  };
}
