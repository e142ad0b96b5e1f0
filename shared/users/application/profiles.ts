import type { Identity } from '../../auth/tokens.ts';
import { conflict, notFound, unprocessable } from '../../kernel/errors.ts';
import { fieldMessage } from '../../kernel/validation.ts';
import { assertSelfOrAdmin } from '../domain/access.ts';
import { emailIdentity, type NewProfile, newProfile, type Profile, type ProfileChanges } from '../domain/profile.ts';
import type { ProfileRepository } from './ports.ts';

/** U1–U4: creating, reading, editing and deleting profiles. */

export const userNotFound = (id: number) => notFound(`user with ID ${id} not found`);

/** Loads a profile the caller may see (self or admin), else 403 / 404. Access first: no existence leaks. */
export async function accessibleProfile(repo: ProfileRepository, caller: Identity, id: number, action: string): Promise<Profile> {
  assertSelfOrAdmin(caller, id, action);
  const profile = await repo.find(id);
  if (!profile) throw userNotFound(id);
  return profile;
}

export function profileUseCases(repo: ProfileRepository) {
  return {
    /** U1 (the service account, by route: ids come from the IDM only): duplicate id or e-mail → 409. */
    async createProfile(input: NewProfile): Promise<Profile> {
      const profile = newProfile(input);
      const outcome = await repo.create(profile);
      if (outcome !== 'created') throw conflict(`user with ${input.email} already exists`, 'USER_EXISTS');
      return profile;
    },

    async getProfile(caller: Identity, id: number): Promise<Profile> {
      return accessibleProfile(repo, caller, id, 'view user');
    },

    /**
     * U3. The e-mail is the identity's (the login of the IDM): it may be sent back unchanged (in any
     * case), never changed here — else owners would see whatever a client typed in customer lists.
     */
    async updateProfile(caller: Identity, id: number, changes: ProfileChanges & { email?: string }): Promise<Profile> {
      assertSelfOrAdmin(caller, id, 'edit user');
      const { email, ...fields } = changes;
      if (email !== undefined) {
        const current = await repo.find(id);
        if (!current) throw userNotFound(id);
        if (emailIdentity(email) !== emailIdentity(current.email)) {
          throw unprocessable(fieldMessage('us', 'email', "is the account's login e-mail and cannot be changed"), 'email', 'EMAIL_READ_ONLY');
        }
      }
      const outcome = await repo.update(id, fields);
      if (outcome === 'not-found') throw userNotFound(id);
      return outcome.updated;
    },
  };
}
