/**
 * The user profile of the User service (ORIGINAL §6, §7.4): one document per identity, keyed by the
 * identity's user id, with the tickets the user bought embedded in `ticket_list`.
 */

/** What a ticket is for: exactly one of an event or a packet. */
export type TicketTarget = { event_id: number; packet_id?: undefined } | { packet_id: number; event_id?: undefined };

/** One bought ticket as the profile records it (the same code the event manager holds). */
export type TicketEntry = TicketTarget & { code: string };

export interface Profile {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  social_media_links?: string;
  first_name_private: boolean;
  last_name_private: boolean;
  ticket_list: TicketEntry[];
}

/** Fields a profile is created with (U1); privacy flags start false, tickets empty. */
export interface NewProfile {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  social_media_links?: string;
}

/** Fields a PATCH may set (U3). The e-mail is the identity's and never changes here. */
export interface ProfileChanges {
  first_name?: string;
  last_name?: string;
  social_media_links?: string;
  first_name_private?: boolean;
  last_name_private?: boolean;
}

export function newProfile(input: NewProfile): Profile {
  return { ...input, first_name_private: false, last_name_private: false, ticket_list: [] };
}

/** A ticket entry from its code and target, without undefined keys. */
export function ticketEntry(code: string, target: TicketTarget): TicketEntry {
  return target.event_id !== undefined ? { code, event_id: target.event_id } : { code, packet_id: target.packet_id! };
}

/** E-mail uniqueness ignores case: `Ana@x.ro` and `ana@x.ro` are the same mailbox for a person. */
export const emailIdentity = (email: string) => email.trim().toLowerCase();

/**
 * Characters a name must not contain: C0/C1 controls (NUL, newlines, escapes) and the bidirectional
 * controls (U+202E and its kin, U+061C, U+200E/F, U+2066–U+2069), which make a name read differently
 * from what it is in owners' customer lists; line and paragraph separators too.
 */
const UNSAFE_TEXT = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;

export const isSafeText = (text: string) => !UNSAFE_TEXT.test(text);

/** A social media link is a web address: http or https with a host, nothing else (no `javascript:`). */
export function isWebLink(text: string): boolean {
  if (!isSafeText(text) || /\s/.test(text.trim())) return false;
  try {
    const url = new URL(text.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
