import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/routes.ts';
import { MAX_BODY_BYTES } from '../../shared/kernel/json-body.ts';
import { match } from '../../infra/local/gateway.ts';
import { call, stopApi } from '../support/api.ts';

afterAll(stopApi);

/** A concrete path for a route: every `{param}` filled with a plausible value. */
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'method' ? 'Login' : name === 'code' ? 'abc' : '1'));

describe('local gateway (the API Gateway stand-in)', () => {
  it('serves every route of the route table (none is unknown to it)', async () => {
    for (const route of ROUTES) {
      const res = await call(route.method, concrete(route.path), { headers: { 'Content-Type': 'application/json' }, raw: route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}' });
      expect(res.body?.code, `${route.method} ${route.path}`).not.toBe('ROUTE_NOT_FOUND');
      expect(res.status, `${route.method} ${route.path}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
    }
  });

  it('answers the trailing-slash aliases of collection routes', async () => {
    for (const route of ROUTES.filter((r) => r.trailingSlash && r.method === 'GET')) {
      const res = await call('GET', `${route.path}/`);
      expect(res.body?.code, route.path).not.toBe('ROUTE_NOT_FOUND');
    }
  });

  it('answers a CORS preflight on every path of every prefix, without authentication', async () => {
    for (const route of ROUTES.filter((r) => r.path.startsWith('/api/') || r.path.startsWith('/idm.'))) {
      const res = await call('OPTIONS', concrete(route.path), {
        headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': route.method, 'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key' },
      });
      expect(res.status, route.path).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      expect(res.headers.get('access-control-allow-methods')).toContain(route.method);
      expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization.*Idempotency-Key.*X-Correlation-Id/);
    }
  });

  it('an unknown path → 404 {"error","code"} with CORS', async () => {
    const res = await call('GET', '/api/event-manager/nope', { headers: { Origin: 'http://localhost:3000' } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'no route for GET /api/event-manager/nope', code: 'ROUTE_NOT_FOUND' });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });

  it('refuses a body over 1 MB before any function runs', async () => {
    const res = await call('POST', '/api/idm/auth/login', { raw: 'x'.repeat(MAX_BODY_BYTES + 4096), headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('matches path parameters, decoded, as API Gateway passes them', () => {
    expect(match('GET', '/api/event-manager/tickets/a%20b')).toMatchObject({ params: { code: 'a b' } });
    expect(match('GET', '/api/event-manager/events/12')?.route.handler).toBe('events/get-event');
    expect(match('GET', '/api/event-manager/events/12/')).toBeUndefined();
    expect(match('PUT', '/api/event-manager/events/12')).toBeUndefined();
  });
});

describe('names that are also JavaScript object properties', () => {
  it('query parameters and headers called valueOf, constructor or __proto__ are just names', async () => {
    for (const name of ['valueOf', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await call('GET', `/api/event-manager/events?${name}=1`);
      expect(res.status, name).toBe(400);
      expect(res.body.code).toBe('UNKNOWN_PARAMETER');
      const withHeader = await call('GET', '/api/event-manager/events', { headers: { [name === '__proto__' ? 'x-proto' : name]: '1' } });
      expect(withHeader.status, name).toBe(200);
    }
  });
});

it('a malformed percent-escape in a path parameter → 400, not a gateway failure', async () => {
  const res = await call('GET', '/api/event-manager/events/%E0%A4%A');
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ error: 'malformed percent-encoding in the path', code: 'BAD_REQUEST' });
});

it('a request line too large for the HTTP server still gets a JSON error', async () => {
  const res = await call('GET', `/api/event-manager/events?name=${'x'.repeat(20_000)}`);
  expect(res.status).toBe(431);
  expect(res.body).toEqual({ error: 'request line or headers too large', code: 'REQUEST_TOO_LARGE' });
});
