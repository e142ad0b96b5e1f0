import { log } from '../kernel/request-context.ts';
import type { ProfileRepository } from './application/ports.ts';
import { newProfile } from './domain/profile.ts';

/**
 * The profile of an account that exists by configuration (the admin): registration creates every
 * other profile, so without this the admin's own profile and tickets would answer 404. Idempotent:
 * an existing profile is left as it is (the admin may have edited its names).
 */
export async function seedProfile(profiles: ProfileRepository, account: { id: number; email: string }): Promise<void> {
  const outcome = await profiles.create(newProfile({ id: account.id, email: account.email, first_name: '', last_name: '' }));
  // Another profile claims the e-mail: not ours to take; the deploy goes on, the log says why.
  if (outcome === 'email-taken') log().warn('seeding a profile: its e-mail is claimed by another profile', { userId: account.id });
}
