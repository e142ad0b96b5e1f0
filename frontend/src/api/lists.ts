import { api, data } from './client.ts';
import type { components } from './schema';

export type Event = components['schemas']['Event'];
export type Packet = components['schemas']['Packet'];
export type EventPage = components['schemas']['EventPage'];
export type PacketPage = components['schemas']['PacketPage'];
export type ListKind = 'events' | 'packets';

export const ORDER_BY = ['name_asc', 'name_desc', 'seats_asc', 'seats_desc'] as const;
export type OrderBy = (typeof ORDER_BY)[number];

export interface ListQuery {
  name?: string;
  location?: string;
  min_seats?: number;
  max_seats?: number;
  owner_id?: number;
  order_by?: OrderBy;
  page?: number;
  per_page?: number;
}

const NUMERIC = ['min_seats', 'max_seats', 'owner_id', 'page', 'per_page'] as const;

/** The list query of a URL's search parameters (the catalogue keeps its state in the URL). */
export function listQuery(params: URLSearchParams): ListQuery {
  const q: ListQuery = {};
  for (const key of ['name', 'location'] as const) {
    const v = params.get(key)?.trim();
    if (v) q[key] = v;
  }
  for (const key of NUMERIC) {
    const v = params.get(key);
    if (v && /^\d+$/.test(v)) q[key] = Number(v);
  }
  const order = params.get('order_by');
  if (order && (ORDER_BY as readonly string[]).includes(order)) q.order_by = order as OrderBy;
  return q;
}

export const fetchEvents = (query: ListQuery) => data(api().GET('/api/event-manager/events', { params: { query } }));
export const fetchPackets = (query: ListQuery) => data(api().GET('/api/event-manager/event-packets', { params: { query } }));

/** Every page of a list, following `next` links (an organiser's own events and packets). */
export async function fetchAll<K extends ListKind>(kind: K, query: ListQuery): Promise<K extends 'events' ? Event[] : Packet[]> {
  const items: Array<Event | Packet> = [];
  let q: ListQuery = { ...query, per_page: 100, page: 1 };
  for (;;) {
    const page = kind === 'events' ? await fetchEvents(q) : await fetchPackets(q);
    items.push(...('events' in page ? page.events : page.event_packets));
    const next = page._links.next;
    if (!next || page._metadata.page >= page._metadata.total_pages) break;
    q = listQuery(new URL(next.href, location.origin).searchParams);
  }
  return items as never;
}
