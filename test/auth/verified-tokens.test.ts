import { describe, expect, it } from 'vitest';
import { decodeToken, issueToken } from '../../shared/auth/tokens.ts';

/**
 * A container remembers the tokens it has verified (one ECDSA check per token, not per request):
 * the memory must never outlive what it remembers.
 */
describe('remembered verifications', () => {
  const user = { userId: 42, role: 'client' as const, email: 'remembered@example.com' };

  it('a token verified before answers the same claims again', async () => {
    const { token, jti, expiresAt } = await issueToken(user);
    const first = await decodeToken(token);
    expect(first).toEqual({ valid: true, token: { ...user, jti, expiresAt, issuer: expect.any(String) } });
    expect(await decodeToken(token)).toEqual(first);
  });

  it('a remembered token expires at its exp like any other', async () => {
    const { token, expiresAt } = await issueToken(user, { ttlSeconds: 1 });
    expect((await decodeToken(token)).valid).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
    expect(await decodeToken(token)).toMatchObject({ valid: false, reason: 'expired' });
    expect(await decodeToken(token)).toMatchObject({ valid: false, reason: 'expired' });
  });

  it('a token altered by one character is verified afresh and refused', async () => {
    const { token } = await issueToken(user);
    expect((await decodeToken(token)).valid).toBe(true);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const altered = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
    expect(await decodeToken(altered)).toMatchObject({ valid: false, reason: 'invalid' });
  });
});
