import { afterAll, expect, it } from 'vitest';
import { match } from '../../infra/local/gateway.ts';
import { auditPageJson } from '../../shared/audit/http.ts';
import { eventJson, eventsOfPacketJson, eventsPage, inclusionJson, packetJson, packetsOfEventJson, packetsPage, ticketJson } from '../../shared/events/http/representations.ts';
import type { Event, Packet } from '../../shared/events/domain/model.ts';
import { httpConfig } from '../../shared/kernel/config.ts';
import type { Route } from '../../shared/routes.ts';
import { customerView } from '../../shared/users/domain/privacy.ts';
import { newProfile } from '../../shared/users/domain/profile.ts';
import { customerJson, ticketListJson, userJson } from '../../shared/users/http/representations.ts';
import { call, startApi, stopApi } from '../support/api.ts';
import { admin, bind, closeDb, createEvent, createPacket, EM, expectStatus, inclusionPath, owner, put, service, unique } from './support.ts';

afterAll(async () => {
  await stopApi();
  await closeDb();
});

interface Link {
  href: string;
  rel: string;
  method: string;
  title: string;
}

/** Every link object anywhere in a response body. */
function linksIn(value: unknown, found: Link[] = []): Link[] {
  if (Array.isArray(value)) for (const v of value) linksIn(v, found);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '_links') found.push(...Object.values(v as Record<string, Link>));
      else linksIn(v, found);
    }
  }
  return found;
}

/** Each link has the four keys, is an absolute URL on `base`, of a route that exists with the link's method. */
function routesOf(links: Link[], base: string): Route[] {
  return links.map((l) => {
    expect(Object.keys(l)).toEqual(['href', 'rel', 'method', 'title']);
    expect(l.href.startsWith(`${base}/api/`), l.href).toBe(true);
    const found = match(l.method, new URL(l.href).pathname);
    expect(found, `${l.method} ${l.href}`).toBeDefined();
    return found!.route;
  });
}

it('every _links href is an absolute URL on the public base URL, of a route that exists with that method (F16)', async () => {
  const { url } = await startApi();
  const o = await owner();
  const s = await service();
  const e = await createEvent(o, { seats: 10, location: 'L' });
  const p = await createPacket(o, { allocated_seats: 2 });
  const bodies: unknown[] = [];
  const keep = (res: { body: unknown }) => bodies.push(res.body);
  await createEvent(o, { location: 'L2' });
  await createEvent(o, { location: 'L3', seats: 1 });
  keep(await call('GET', `${EM}/events/${e.id}`));
  keep(await call('GET', `${EM}/event-packets/${p.id}`, { token: o.token }));
  keep(await bind(o, e.id, p.id));
  keep(await call('GET', `${EM}/events?owner_id=${o.userId}&per_page=1&page=1&order_by=seats_desc&name=e`));
  keep(await call('GET', `${EM}/event-packets?owner_id=${o.userId}&per_page=1&page=1`));
  keep(await call('GET', `${EM}/events?owner_id=${o.userId}&per_page=1&page=2&location=L&min_seats=1&max_seats=99&description=`));
  keep(await call('GET', `${EM}/event-packet-inclusions/event/${e.id}`, { token: o.token }));
  keep(await call('GET', `${EM}/event-packet-inclusions/packet/${p.id}`, { token: o.token }));
  const code = unique('code');
  expectStatus(await put(s, code, { event_id: e.id }), 204);
  keep(await call('GET', `${EM}/tickets/${code}`, { token: s.token }));
  keep(await call('POST', `${EM}/tickets`, { token: s.token, body: { packet_id: p.id } }));
  keep(await call('PATCH', `${EM}/events/${e.id}`, { token: o.token, body: { description: 'd' } }));

  const links = bodies.flatMap((b) => linksIn(b));
  expect(links.length).toBeGreaterThan(50);
  const rels = new Set(links.map((l) => l.rel));
  for (const rel of ['self', 'parent', 'update', 'delete', 'owner', 'packets', 'events', 'event', 'packet', 'create', 'first', 'prev', 'next', 'last']) {
    expect(rels, rel).toContain(rel);
  }
  for (const route of routesOf(links, url)) expect(['events', 'users']).toContain(route.service);

  // And the GET links answer: lists accept their query strings, items exist (admin sees everything).
  const a = await admin();
  const gets = [...new Set(links.filter((l) => l.method === 'GET' && !l.href.includes('/api/user-manager/')).map((l) => l.href))];
  for (const href of gets) {
    const target = new URL(href);
    const res = await call('GET', target.pathname + target.search, { token: a.token });
    expect(res.status, `${href} → ${res.text.slice(0, 200)}`).toBe(200);
  }
});

it('links of a deleted resource still point at its routes; the inclusion link deletes the inclusion', async () => {
  const o = await owner();
  const e = await createEvent(o, { seats: 3 });
  const p = await createPacket(o);
  const inclusion = await bind(o, e.id, p.id);
  const del = new URL(inclusion.body._links.delete.href);
  expect(del.pathname).toBe(inclusionPath(e.id, p.id));
  expectStatus(await call('DELETE', del.pathname, { token: o.token }), 200);
  const deleted = expectStatus(await call('DELETE', `${EM}/events/${e.id}`, { token: o.token }), 200);
  expect(new URL(deleted.body.event._links.self.href).pathname).toBe(`${EM}/events/${e.id}`);
});

it('every link builder, of every service, names routes of the table with their methods (built directly)', () => {
  const event: Event = { id: 1, ownerId: 2, name: 'e', location: null, description: null, seats: 5, directSold: 0, packetAllocated: 0 };
  const packet: Packet = { id: 3, ownerId: 2, name: 'p', location: null, description: null, allocatedSeats: 1, sold: 0 };
  const profile = { ...newProfile({ id: 4, email: 'u@example.com', first_name: 'U', last_name: 'V' }), ticket_list: [{ code: 'c/1?', event_id: 1 }, { code: 'c 2', packet_id: 3 }] };
  const filter = { page: 2, perPage: 1, ownerId: 2, orderBy: 'seats_desc' as const };
  const tickets = ticketListJson(4, profile.ticket_list.map((entry) => ({ entry })));
  const bodies = [
    eventJson(event), eventJson(event, 'list'), packetJson(packet), packetJson(packet, 'list'), packetJson(packet, 'by-event'),
    inclusionJson({ eventId: 1, packetId: 3 }),
    ticketJson({ code: 'a b/c', target: { kind: 'event', id: 1 } }), ticketJson({ code: 'x', target: { kind: 'packet', id: 3 } }),
    eventsPage(filter, { items: [event], total: 3 }), packetsPage(filter, { items: [packet], total: 3 }),
    packetsOfEventJson(1, [packet]), eventsOfPacketJson(3, [event]),
    userJson(profile), customerJson(customerView(profile)), tickets,
    auditPageJson({ page: 2, perPage: 1, actor: 4 }, { total: 3, items: [] }),
  ];
  const links = bodies.flatMap((b) => linksIn(b));
  expect(links.length).toBeGreaterThan(60);
  const routes = routesOf(links, httpConfig().publicBaseUrl);
  expect(new Set(routes.map((r) => r.service))).toEqual(new Set(['events', 'users', 'audit']));
  // Params are URI-encoded: a code with a slash is one segment, and reads back as it was.
  expect(match('DELETE', new URL(tickets.tickets[0]!._links.cancel.href).pathname)!.params).toEqual({ user_id: '4', code: 'c/1?' });
});
