import type { Profile } from './profile.ts';

/** What an event's owner sees of a customer (U5): the profile without its tickets. */
export type Customer = Omit<Profile, 'ticket_list'>;

export const PRIVATE = '[Private]';

/**
 * Names the customer marked private are replaced by `[Private]`; the flags are reported as they are
 * (CONTRACT fix of ORIGINAL §13.24, which always printed false). The e-mail is never hidden, and the
 * ticket list is never shown (it is the customer's business which other events they attend).
 */
export function customerView(profile: Profile): Customer {
  return {
    id: profile.id,
    email: profile.email,
    first_name: profile.first_name_private ? PRIVATE : profile.first_name,
    last_name: profile.last_name_private ? PRIVATE : profile.last_name,
    ...(profile.social_media_links !== undefined ? { social_media_links: profile.social_media_links } : {}),
    first_name_private: profile.first_name_private,
    last_name_private: profile.last_name_private,
  };
}
