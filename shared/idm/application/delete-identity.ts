import { conflict, notFound } from '../../kernel/errors.ts';
import type { UserRepository } from './ports.ts';

export const IDENTITY_DELETED_MESSAGE = 'Identity deleted';

/**
 * Deletes an identity: the last-but-one step of deleting an account (CONTRACT F20), which the User
 * service runs with the service account's token (docs/USER-MANAGER.md). Repeating it answers 404,
 * which that saga counts as done. Accounts that exist by configuration cannot be deleted.
 */
export function makeDeleteIdentity(deps: { users: UserRepository }) {
  return async (id: number): Promise<{ message: string }> => {
    const outcome = await deps.users.deleteRegistered(id);
    if (outcome === 'absent') throw notFound(`user with ID ${id} not found`);
    if (outcome === 'configured') {
      throw conflict('the service account and admins come from configuration and cannot be deleted', 'ACCOUNT_FROM_CONFIGURATION');
    }
    return { message: IDENTITY_DELETED_MESSAGE };
  };
}
