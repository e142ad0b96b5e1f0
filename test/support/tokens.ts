import type { Role } from '../../shared/auth/roles.ts';
import { issueToken } from '../../shared/auth/tokens.ts';

let nextUserId = 1_000_000 + Math.floor(Math.random() * 1_000_000) * 100;

/** A fresh user id no other test uses (tests share the run's databases). */
export const newUserId = () => ++nextUserId;

/** A valid token for a (by default fresh) user of `role`, signed with the run's key. */
export async function tokenFor(role: Role, userId = newUserId(), email = `user${userId}@tix.test`) {
  const { token } = await issueToken({ userId, role, email });
  return { token, userId, email, role };
}
