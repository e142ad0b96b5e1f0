import type { Links } from '../../kernel/links.ts';
import { routeLink } from '../../http/links.ts';
import { paging } from '../../http/paging.ts';
import type { Handler, PathParams } from '../../routes.ts';
import type { ListFilter, Page } from '../application/ports.ts';
import type { Event, Inclusion, Packet, Ticket } from '../domain/model.ts';
import { directAvailable, packetAvailable } from '../domain/seats.ts';

/**
 * The JSON shapes of ORIGINAL §5.0, with links that point only at routes that exist (CONTRACT F16):
 * the original's `/packets/…`, `/events?packet_id=`, `/tickets?event_id=` … are replaced by the
 * real routes, or dropped where there is none. Keys of `_links` are sorted, as Go printed them.
 */

function sorted(links: Links): Links {
  const out: Links = {};
  for (const key of Object.keys(links).sort()) out[key] = links[key]!;
  return out;
}

/** The routes that read, update and delete one resource of each kind. */
const ITEM = {
  event: ['events/get-event', 'events/update-event', 'events/delete-event'],
  packet: ['events/get-packet', 'events/update-packet', 'events/delete-packet'],
  ticket: ['events/get-ticket', 'events/update-ticket', 'events/delete-ticket'],
} as const satisfies Record<string, readonly [Handler, Handler, Handler]>;

/** self, update, delete (+ parent: the collection's list route) of one resource. */
function itemLinks(kind: keyof typeof ITEM, params: PathParams, parent?: Handler): Links {
  const [get, update, remove] = ITEM[kind];
  return {
    self: routeLink('self', 'Get this resource', get, params),
    ...(parent ? { parent: routeLink('parent', 'Get parent collection', parent) } : {}),
    update: routeLink('update', 'Update this resource', update, params),
    delete: routeLink('delete', 'Delete this resource', remove, params),
  };
}

const owner = (ownerId: number, title: string) => routeLink('owner', title, 'users/get-profile', { id: ownerId });
const event = (rel: string, title: string, id: number) => routeLink(rel, title, 'events/get-event', { id });
const packet = (rel: string, title: string, id: number) => routeLink(rel, title, 'events/get-packet', { id });

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
  const links: Links = { ...itemLinks('event', { id: e.id }, 'events/list-events'), owner: owner(e.ownerId, 'Get event owner') };
  if (form === 'single') links.packets = routeLink('packets', 'Get packets for this event', 'events/list-event-packets', { event_id: e.id });
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
  const parent = form === 'list' ? 'events/list-packets' : undefined;
  const links: Links = { ...itemLinks('packet', { id: p.id }, parent), owner: owner(p.ownerId, 'Get packet owner') };
  if (form === 'single') links.events = routeLink('events', 'Get events in this packet', 'events/list-packet-events', { packet_id: p.id });
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
      delete: routeLink('delete', 'Delete this resource', 'events/delete-inclusion', { event_id: eventId, packet_id: packetId }),
      event: event('event', 'Get the event in this inclusion', eventId),
      packet: packet('packet', 'Get the packet in this inclusion', packetId),
    }),
  };
}

/** Ticket: `event` or `packet` link for the side it is for. */
export function ticketJson({ code, target }: Ticket) {
  const links = itemLinks('ticket', { code });
  if (target.kind === 'event') links.event = event('event', 'Get event for this ticket', target.id);
  else links.packet = packet('packet', 'Get packet for this ticket', target.id);
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

/** A page of a list (E5, P5): items, pagination links (keys of the query sorted), `_metadata`. */
export function pageJson<T, J>(key: 'events' | 'event_packets', list: Handler, create: Handler, filter: ListFilter, page: Page<T>, item: (t: T) => J) {
  const { links, metadata } = paging(list, { ...filter, total: page.total }, (number) => listQuery(filter, number));
  return {
    [key]: page.items.map(item),
    _links: sorted({ create: routeLink('create', 'Create a new resource', create), ...links }),
    _metadata: metadata,
  };
}

export const eventsPage = (filter: ListFilter, page: Page<Event>) =>
  pageJson('events', 'events/list-events', 'events/create-event', filter, page, (e) => eventJson(e, 'list'));
export const packetsPage = (filter: ListFilter, page: Page<Packet>) =>
  pageJson('event_packets', 'events/list-packets', 'events/create-packet', filter, page, (p) => packetJson(p, 'list'));

/** I2: the packets that include an event. */
export const packetsOfEventJson = (eventId: number, packets: Packet[]) => ({
  event_packets: packets.map((p) => packetJson(p, 'by-event')),
  _links: { self: routeLink('self', 'Get this resource', 'events/list-event-packets', { event_id: eventId }) },
});

/** I3: the events a packet includes. */
export const eventsOfPacketJson = (packetId: number, events: Event[]) => ({
  events: events.map((e) => eventJson(e, 'list')),
  _links: { self: routeLink('self', 'Get this resource', 'events/list-packet-events', { packet_id: packetId }) },
});
