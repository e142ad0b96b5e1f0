import { apiUrl, EVENT_MANAGER, type Link, link, type Links, USER_MANAGER } from '../../kernel/links.ts';
import type { ListFilter, Page } from '../application/ports.ts';
import { pageNumbers, totalPages } from '../domain/listing.ts';
import type { Event, Inclusion, Packet, Ticket } from '../domain/model.ts';
import { directAvailable, packetAvailable } from '../domain/seats.ts';

/**
 * The JSON shapes of ORIGINAL §5.0, with links that point only at routes that exist (CONTRACT F16):
 * the original's `/packets/…`, `/events?packet_id=`, `/tickets?event_id=` … are replaced by the
 * real routes, or dropped where there is none. Keys of `_links` are sorted, as Go printed them.
 */

const EVENTS = `${EVENT_MANAGER}/events`;
const PACKETS = `${EVENT_MANAGER}/event-packets`;
const INCLUSIONS = `${EVENT_MANAGER}/event-packet-inclusions`;
const TICKETS = `${EVENT_MANAGER}/tickets`;

function sorted(links: Links): Links {
  const out: Links = {};
  for (const key of Object.keys(links).sort()) out[key] = links[key]!;
  return out;
}

const get = (rel: string, title: string, path: string): Link => link(rel, 'GET', title, apiUrl(path));

/** self, update, delete (+ parent) of a resource at `path`. */
function itemLinks(path: string, parent?: string): Links {
  const href = apiUrl(path);
  return {
    self: link('self', 'GET', 'Get this resource', href),
    ...(parent ? { parent: get('parent', 'Get parent collection', parent) } : {}),
    update: link('update', 'PATCH', 'Update this resource', href),
    delete: link('delete', 'DELETE', 'Delete this resource', href),
  };
}

const owner = (ownerId: number, title: string) => get('owner', title, `${USER_MANAGER}/users/${ownerId}`);

export interface EventJson {
  id: number;
  id_owner: number;
  name: string;
  location?: string;
  description?: string;
  seats?: number;
  /** Seats left for direct sale, as the sale counts them (§9.1); present exactly when `seats` is. */
  available_seats?: number;
  _links: Links;
}

/** Event: `location`, `description`, `seats` omitted when null. `single` adds the `packets` link. */
export function eventJson(e: Event, form: 'single' | 'list' = 'single'): EventJson {
  const path = `${EVENTS}/${e.id}`;
  const links: Links = { ...itemLinks(path, EVENTS), owner: owner(e.ownerId, 'Get event owner') };
  if (form === 'single') links.packets = get('packets', 'Get packets for this event', `${INCLUSIONS}/event/${e.id}`);
  return {
    id: e.id,
    id_owner: e.ownerId,
    name: e.name,
    ...(e.location !== null ? { location: e.location } : {}),
    ...(e.description !== null ? { description: e.description } : {}),
    ...(e.seats !== null ? { seats: e.seats, available_seats: directAvailable(e)! } : {}),
    _links: sorted(links),
  };
}

export interface PacketJson {
  id: number;
  id_owner: number;
  name: string;
  location: string | null;
  description: string | null;
  allocated_seats: number | null;
  /** Seats left in the packet, as the sale counts them (§9.2); null when it has no allocation. */
  available_seats: number | null;
  _links: Links;
}

/**
 * Packet: `location`, `description`, `allocated_seats` always present (null when unset). Single
 * form: self, update, delete, owner, events; list form adds parent and drops events; the by-event
 * inclusion list has self, update, delete, owner (the original's three forms).
 */
export function packetJson(p: Packet, form: 'single' | 'list' | 'by-event' = 'single'): PacketJson {
  const path = `${PACKETS}/${p.id}`;
  const links: Links = { ...itemLinks(path, form === 'list' ? PACKETS : undefined), owner: owner(p.ownerId, 'Get packet owner') };
  if (form === 'single') links.events = get('events', 'Get events in this packet', `${INCLUSIONS}/packet/${p.id}`);
  return {
    id: p.id,
    id_owner: p.ownerId,
    name: p.name,
    location: p.location,
    description: p.description,
    allocated_seats: p.allocatedSeats,
    available_seats: packetAvailable(p),
    _links: sorted(links),
  };
}

/** Inclusion: no route reads one inclusion, so no `self`; delete, and the two sides. */
export function inclusionJson({ eventId, packetId }: Inclusion) {
  return {
    id_packet: packetId,
    id_event: eventId,
    _links: sorted({
      delete: link('delete', 'DELETE', 'Delete this resource', apiUrl(`${INCLUSIONS}/event/${eventId}/packet/${packetId}`)),
      event: get('event', 'Get the event in this inclusion', `${EVENTS}/${eventId}`),
      packet: get('packet', 'Get the packet in this inclusion', `${PACKETS}/${packetId}`),
    }),
  };
}

/** Ticket: `event` or `packet` link for the side it is for. */
export function ticketJson({ code, target }: Ticket) {
  const links = itemLinks(`${TICKETS}/${encodeURIComponent(code)}`);
  if (target.kind === 'event') links.event = get('event', 'Get event for this ticket', `${EVENTS}/${target.id}`);
  else links.packet = get('packet', 'Get packet for this ticket', `${PACKETS}/${target.id}`);
  return {
    code,
    packet_id: target.kind === 'packet' ? target.id : null,
    event_id: target.kind === 'event' ? target.id : null,
    _links: sorted(links),
  };
}

/** The query string a list link repeats: the caller's filters and ordering, then paging. */
function listQuery(filter: ListFilter, page: number) {
  return {
    name: filter.name,
    location: filter.location,
    description: filter.description,
    min_seats: filter.minSeats,
    max_seats: filter.maxSeats,
    owner_id: filter.ownerId,
    order_by: filter.orderBy,
    per_page: filter.perPage,
    page,
  };
}

const PAGE_TITLES = { self: 'Current page', first: 'First page', prev: 'Previous page', next: 'Next page', last: 'Last page' };

/** A page of a list (E5, P5): items, pagination links (keys of the query sorted), `_metadata`. */
export function pageJson<T, J>(key: 'events' | 'event_packets', path: string, filter: ListFilter, page: Page<T>, item: (t: T) => J) {
  const links: Links = { create: link('create', 'POST', 'Create a new resource', apiUrl(path)) };
  for (const [rel, number] of Object.entries(pageNumbers(filter.page, page.total, filter.perPage))) {
    links[rel] = link(rel, 'GET', PAGE_TITLES[rel as keyof typeof PAGE_TITLES], apiUrl(path, listQuery(filter, number)));
  }
  return {
    [key]: page.items.map(item),
    _links: sorted(links),
    _metadata: { page: filter.page, per_page: filter.perPage, total_items: page.total, total_pages: totalPages(page.total, filter.perPage) },
  };
}

export const eventsPage = (filter: ListFilter, page: Page<Event>) => pageJson('events', EVENTS, filter, page, (e) => eventJson(e, 'list'));
export const packetsPage = (filter: ListFilter, page: Page<Packet>) =>
  pageJson('event_packets', PACKETS, filter, page, (p) => packetJson(p, 'list'));

/** I2: the packets that include an event. */
export const packetsOfEventJson = (eventId: number, packets: Packet[]) => ({
  event_packets: packets.map((p) => packetJson(p, 'by-event')),
  _links: { self: get('self', 'Get this resource', `${INCLUSIONS}/event/${eventId}`) },
});

/** I3: the events a packet includes. */
export const eventsOfPacketJson = (packetId: number, events: Event[]) => ({
  events: events.map((e) => eventJson(e, 'list')),
  _links: { self: get('self', 'Get this resource', `${INCLUSIONS}/packet/${packetId}`) },
});
