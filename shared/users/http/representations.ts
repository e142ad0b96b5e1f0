import { apiUrl, EVENT_MANAGER, link, type Links, USER_MANAGER } from '../../kernel/links.ts';
import type { Customer } from '../domain/privacy.ts';
import type { Profile, TicketEntry } from '../domain/profile.ts';

/** JSON shapes of the User service's answers (ORIGINAL §6), links per CONTRACT F16. */

const userPath = (id: number) => `${USER_MANAGER}/users/${id}`;
const ticketsPath = (id: number) => `${USER_MANAGER}/clients/${id}/tickets`;

export function userLinks(id: number): Links {
  const self = apiUrl(userPath(id));
  return {
    self: link('self', 'GET', 'Get this resource', self),
    update: link('update', 'PATCH', 'Update this resource', self),
    delete: link('delete', 'DELETE', 'Delete this resource', self),
    events: link('events', 'GET', 'Get events owned by this user', apiUrl(`${EVENT_MANAGER}/events`, { owner_id: id })),
    packets: link('packets', 'GET', 'Get packets owned by this user', apiUrl(`${EVENT_MANAGER}/event-packets`, { owner_id: id })),
    'create-ticket': link('create-ticket', 'POST', 'Create a ticket for this user', apiUrl(ticketsPath(id))),
    tickets: link('tickets', 'GET', 'View purchased tickets', apiUrl(ticketsPath(id))),
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
  return { ...customer, _links: { self: link('self', 'GET', 'Get this resource', apiUrl(userPath(customer.id))) } };
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
        cancel: link('cancel', 'DELETE', 'Cancel this ticket', apiUrl(`${ticketsPath(userId)}/${encodeURIComponent(entry.code)}`)),
        ...(entry.event_id !== undefined
          ? { event: link('event', 'GET', 'Get the event', apiUrl(`${EVENT_MANAGER}/events/${entry.event_id}`)) }
          : { event_packet: link('event_packet', 'GET', 'Get the event packet', apiUrl(`${EVENT_MANAGER}/event-packets/${entry.packet_id}`)) }),
      },
    })),
    _links: {
      self: link('self', 'GET', 'Get this resource', apiUrl(ticketsPath(userId))),
      'create-ticket': link('create-ticket', 'POST', 'Create a ticket for this user', apiUrl(ticketsPath(userId))),
      user: link('user', 'GET', 'Get the user', apiUrl(userPath(userId))),
    },
  };
}
