import type { Links } from '../../kernel/links.ts';
import { routeLink } from '../../http/links.ts';
import type { Customer } from '../domain/privacy.ts';
import type { Profile, TicketEntry } from '../domain/profile.ts';

/** JSON shapes of the User service's answers (ORIGINAL §6), links per CONTRACT F16. */

const user = (rel: string, title: string, id: number) => routeLink(rel, title, 'users/get-profile', { id });
const createTicket = (id: number) => routeLink('create-ticket', 'Create a ticket for this user', 'users/buy-ticket', { user_id: id });

export function userLinks(id: number): Links {
  return {
    self: user('self', 'Get this resource', id),
    update: routeLink('update', 'Update this resource', 'users/update-profile', { id }),
    delete: routeLink('delete', 'Delete this resource', 'users/delete-account', { id }),
    events: routeLink('events', 'Get events owned by this user', 'events/list-events', {}, { owner_id: id }),
    packets: routeLink('packets', 'Get packets owned by this user', 'events/list-packets', {}, { owner_id: id }),
    'create-ticket': createTicket(id),
    tickets: routeLink('tickets', 'View purchased tickets', 'users/list-tickets', { user_id: id }),
  };
}

/** `{packet_id?, event_id?, code}` as the original wrote ticket entries. */
export function ticketJson(entry: TicketEntry) {
  return entry.event_id !== undefined ? { event_id: entry.event_id, code: entry.code } : { packet_id: entry.packet_id, code: entry.code };
}

/** The User object: `social_media_links` omitted when unset, `ticket_list` omitted when empty. */
export function userJson(profile: Profile) {
  return {
    id: profile.id,
    email: profile.email,
    first_name: profile.first_name,
    last_name: profile.last_name,
    ...(profile.social_media_links !== undefined ? { social_media_links: profile.social_media_links } : {}),
    ...(profile.ticket_list.length > 0 ? { ticket_list: profile.ticket_list.map(ticketJson) } : {}),
    first_name_private: profile.first_name_private,
    last_name_private: profile.last_name_private,
    _links: userLinks(profile.id),
  };
}

export function customerJson(customer: Customer) {
  return { ...customer, _links: { self: user('self', 'Get this resource', customer.id) } };
}

/** What a ticket list shows of its event or packet. */
function summaryJson(summary: { [field: string]: unknown } | null | undefined) {
  if (!summary) return null;
  const picked: Record<string, unknown> = {};
  for (const field of ['id', 'name', 'location', 'description']) if (summary[field] !== undefined) picked[field] = summary[field];
  return picked;
}

export function ticketListJson(
  userId: number,
  tickets: Array<{ entry: TicketEntry; event?: { [field: string]: unknown } | null; packet?: { [field: string]: unknown } | null }>,
) {
  return {
    tickets: tickets.map(({ entry, event, packet }) => ({
      ...ticketJson(entry),
      ...(entry.event_id !== undefined ? { event: summaryJson(event) } : { event_packet: summaryJson(packet) }),
      _links: {
        cancel: routeLink('cancel', 'Cancel this ticket', 'users/cancel-ticket', { user_id: userId, code: entry.code }),
        ...(entry.event_id !== undefined
          ? { event: routeLink('event', 'Get the event', 'events/get-event', { id: entry.event_id }) }
          : { event_packet: routeLink('event_packet', 'Get the event packet', 'events/get-packet', { id: entry.packet_id! }) }),
      },
    })),
    _links: {
      self: routeLink('self', 'Get this resource', 'users/list-tickets', { user_id: userId }),
      'create-ticket': createTicket(userId),
      user: user('user', 'Get the user', userId),
    },
  };
}
