import type { Identity } from '../../auth/tokens.ts';
import { AppError } from '../../kernel/errors.ts';
import { assertSelfOrAdmin } from '../domain/access.ts';
import type { Profile } from '../domain/profile.ts';
import type { EventManagerClient, IdentityClient, ProfileRepository } from './ports.ts';
import { userNotFound } from './profiles.ts';

/**
 * Deleting an account (CONTRACT F20): a saga whose every step is idempotent, so that repeating the
 * request after a failure anywhere finishes the job. The order and why: docs/USER-MANAGER.md.
 */
export function accountUseCases(deps: { profiles: ProfileRepository; eventManager: EventManagerClient; identities: IdentityClient }) {
  const { profiles, eventManager, identities } = deps;
  return {
    /**
     * Self or admin. The deleted profile; null when only the identity (or, for the caller itself,
     * only the token) was left to delete; 404 when there was nothing at all.
     */
    async deleteAccount(caller: Identity, id: number, callerToken: string | undefined): Promise<Profile | null> {
      assertSelfOrAdmin(caller, id, 'delete user');
      // 1. No purchase can record a ticket from now on: the ticket list read here is final.
      const profile = await profiles.close(id);
      // 2. The identity, before anything is lost: the IDM refuses accounts from configuration.
      let identity: 'deleted' | 'absent';
      try {
        identity = await identities.deleteIdentity(id);
      } catch (error) {
        if (profile && error instanceof AppError && error.status === 409) await profiles.reopen(id);
        throw error;
      }
      // 3. Free every seat (a ticket already freed answers 404: done), 4. then the profile goes.
      for (const { code } of profile?.ticket_list ?? []) await eventManager.cancelTicket(code);
      await profiles.remove(id);
      // 5. Last, the caller's own token: until then it can repeat the request.
      const self = caller.userId === id;
      if (self && callerToken !== undefined) await identities.revokeToken(callerToken);
      if (!profile && identity === 'absent' && !self) throw userNotFound(id);
      return profile ?? null;
    },
  };
}
