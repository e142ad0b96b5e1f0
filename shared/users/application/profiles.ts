import type { Identity } from '../../auth/tokens.ts';
import { conflict, notFound } from '../../kernel/errors.ts';
import { assertSelfOrAdmin } from '../domain/access.ts';
import { type NewProfile, newProfile, type Profile, type ProfileChanges } from '../domain/profile.ts';
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
    /** U1 (service account or admin, by route): duplicate id or e-mail → 409. */
    async createProfile(input: NewProfile): Promise<Profile> {
      const profile = newProfile(input);
      const outcome = await repo.create(profile);
      if (outcome !== 'created') throw conflict(`user with ${input.email} already exists`, 'USER_EXISTS');
      return profile;
    },

    async getProfile(caller: Identity, id: number): Promise<Profile> {
      return accessibleProfile(repo, caller, id, 'view user');
    },

    async updateProfile(caller: Identity, id: number, changes: ProfileChanges): Promise<Profile> {
      assertSelfOrAdmin(caller, id, 'edit user');
      const outcome = await repo.update(id, changes);
      if (outcome === 'not-found') throw userNotFound(id);
      if (outcome === 'email-taken') throw conflict('user with email already exists', 'USER_EXISTS');
      return outcome.updated;
    },

    /** U4: the profile only; the identity stays in the IDM (ORIGINAL §6 U4). */
    async deleteProfile(caller: Identity, id: number): Promise<Profile> {
      assertSelfOrAdmin(caller, id, 'delete user');
      const deleted = await repo.remove(id);
      if (!deleted) throw userNotFound(id);
      return deleted;
    },
  };
}
