import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { match } from '../infra/local/gateway.ts';
import { HttpProfileService } from '../shared/idm/infrastructure/http-profile-service.ts';
import { type Handler, pathOf, routeKey, routeOf, ROUTES } from '../shared/routes.ts';
import { HttpEventManagerClient } from '../shared/users/infrastructure/event-manager-client.ts';
import { HttpIdentityClient } from '../shared/users/infrastructure/identity-client.ts';
import { type FakeServer, fakeServer, json } from './users/fake-server.ts';

describe('pathOf: a route of the table by handler, its params filled', () => {
  it('fills every {param}, URI-encoded', () => {
    expect(pathOf('events/list-events')).toBe('/api/event-manager/events');
    expect(pathOf('events/get-event', { id: 7 })).toBe('/api/event-manager/events/7');
    expect(pathOf('events/delete-inclusion', { packet_id: 2, event_id: 1 })).toBe('/api/event-manager/event-packet-inclusions/event/1/packet/2');
    expect(pathOf('users/cancel-ticket', { user_id: 3, code: 'a b/ç?' })).toBe('/api/user-manager/clients/3/tickets/a%20b%2F%C3%A7%3F');
  });

  it('every handler serving one route has a path that the gateway matches back to that route', () => {
    for (const route of ROUTES.filter((r) => ROUTES.filter((o) => o.handler === r.handler).length === 1)) {
      const params = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, 'x y']));
      const path = pathOf(route.handler as Handler, params);
      expect(match(route.method, path), path).toMatchObject({ route, params });
    }
  });

  it('refuses a missing or unknown param, and a handler without exactly one route', () => {
    expect(() => pathOf('events/get-event')).toThrow('param id missing');
    expect(() => pathOf('events/delete-inclusion', { event_id: 1 })).toThrow('param packet_id missing');
    expect(() => pathOf('events/get-event', { id: 1, code: 'x' })).toThrow('no param code');
    expect(() => pathOf('events/list-events', { owner_id: 1 })).toThrow('no param owner_id');
    expect(() => pathOf('idm/health')).toThrow('serves 2 routes');
    expect(() => routeOf('idm/identity-service')).toThrow('serves 2 routes');
    expect(() => pathOf('idm/nothing' as Handler)).toThrow('serves 0 routes');
  });
});

describe('the service clients call routes of the table', () => {
  let server: FakeServer;
  beforeAll(async () => {
    // Whatever each call needs to succeed; the recorded requests are what matters.
    server = await fakeServer((req, res) => {
      if (req.method === 'GET') json(res, 200, { event: { id: 1 }, event_packet: { id: 2 } });
      else if (req.method === 'POST' && req.url!.startsWith('/api/user-manager/')) json(res, 201, { user: {} });
      else json(res, req.method === 'PUT' ? 204 : 200, {});
    });
  });
  afterAll(() => server.close());

  it('each request is a route with the method the client used; together they are exactly the internal routes', async () => {
    const tokens = { token: async () => 'service-token', invalidate: () => {} };
    const events = new HttpEventManagerClient(server.url, tokens);
    const identities = new HttpIdentityClient(server.url, tokens);
    const profiles = new HttpProfileService({ baseUrl: server.url, serviceToken: { get: async () => 'service-token', invalidate: () => {} } });
    const code = 'a b/ç?';

    expect(await events.sellTicket(code, { event_id: 1 })).toBeUndefined();
    expect(await events.cancelTicket(code)).toBe('cancelled');
    expect(await events.event(1)).toEqual({ id: 1 });
    expect(await events.packet(2)).toEqual({ id: 2 });
    expect(await identities.deleteIdentity(3)).toBe('deleted');
    await identities.revokeToken('t');
    expect(await profiles.create({ id: 4, email: 'p@example.com' })).toEqual({ ok: true });
    await profiles.discard({ id: 4, email: 'p@example.com', role: 'client' });

    const called = server.requests.map(({ method, path }) => {
      const found = match(method, path);
      expect(found, `${method} ${path}`).toBeDefined();
      return { key: routeKey(found!.route), params: found!.params };
    });
    expect(called).toHaveLength(8);
    expect(called[0]).toEqual({ key: 'PUT /api/event-manager/tickets/{code}', params: { code } });
    expect(called[1]).toEqual({ key: 'DELETE /api/event-manager/tickets/{code}', params: { code } });
    // The routes marked `internal` (served on the private API in the cloud) are exactly these.
    expect(new Set(ROUTES.filter((r) => r.internal).map(routeKey))).toEqual(new Set(called.map((c) => c.key)));
  });
});
