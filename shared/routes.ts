import type { Role } from './auth/roles.ts';

/**
 * THE route table: every endpoint of the platform, once. The CDK stack builds API Gateway from it,
 * the local runtime serves it, the authorizer evaluates its access rules, the OpenAPI document lists
 * it, and a test proves the synthesized template has exactly these routes.
 *
 * Adding an endpoint = one entry here + one handler file `functions/<handler>.ts`.
 */

export type Service = 'idm' | 'events' | 'users' | 'audit' | 'docs';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route. Ownership ("caller owns this event") is checked by the use case, not here. */
export type Access =
  | { kind: 'public' }
  /** any valid, unrevoked token */
  | { kind: 'token' }
  /** a valid token whose role is one of these */
  | { kind: 'roles'; roles: readonly Role[] };

export interface Route {
  method: HttpMethod;
  /** API Gateway style path with `{param}` segments. */
  path: string;
  /** Function module under `functions/` (without `.ts`); one Lambda per handler. */
  handler: string;
  service: Service;
  access: Access;
  /** The original also answers this collection path with a trailing slash (ORIGINAL §2.8). */
  trailingSlash?: boolean;
  /** Request bodies are binary protocol frames (Connect / gRPC-Web), not JSON. */
  binary?: boolean;
  /**
   * Another service calls it (the service clients): the aws profile also serves it on the private
   * API that only the VPC endpoint reaches (infra/constructs/internal-api.ts, docs/AUTHORIZATION.md).
   */
  internal?: true;
  summary: string;
}

const PUBLIC: Access = { kind: 'public' };
const TOKEN: Access = { kind: 'token' };
const roles = (...allowed: Role[]): Access => ({ kind: 'roles', roles: allowed });

const IDM = '/api/idm';
const EM = '/api/event-manager';
const UM = '/api/user-manager';
const INCLUSION = `${EM}/event-packet-inclusions/event/{event_id}/packet/{packet_id}`;

/** Admin may do everything an owner or the service account may (CONTRACT F6). */
const OWNER = roles('owner-event', 'admin');
const SERVICE = roles('serviciu_clienti', 'admin');
/** Tickets are bought, listed and cancelled by clients (owners sell; ORIGINAL §12.3), and by admin for anybody. */
const BUYER = roles('client', 'admin');

const health = <S extends Service>(service: S, prefix: string) =>
  [
    { method: 'GET', path: `${prefix}/health`, handler: `${service}/health`, service, access: PUBLIC, summary: 'Liveness' },
    { method: 'GET', path: `${prefix}/ready`, handler: `${service}/ready`, service, access: PUBLIC, summary: 'Readiness: dependencies reachable' },
  ] as const satisfies readonly Route[];

// `as const` keeps each handler's name as a literal type (Handler below); everything else sees Route.
const TABLE = [
  // ── Identity (ORIGINAL §4, CONTRACT F1/F2/F14) ──────────────────────────────────────────────
  { method: 'POST', path: `${IDM}/auth/register`, handler: 'idm/register', service: 'idm', access: PUBLIC, summary: 'Register a client or an owner' },
  { method: 'POST', path: `${IDM}/auth/login`, handler: 'idm/login', service: 'idm', access: PUBLIC, summary: 'Log in, receive a JWT' },
  { method: 'GET', path: `${IDM}/.well-known/jwks.json`, handler: 'idm/jwks', service: 'idm', access: PUBLIC, summary: 'Public keys that verify tokens (JWKS, cacheable)' },
  { method: 'POST', path: `${IDM}/auth/verify`, handler: 'idm/verify', service: 'idm', access: PUBLIC, summary: 'Verify a token' },
  { method: 'POST', path: `${IDM}/auth/revoke`, handler: 'idm/revoke', service: 'idm', access: PUBLIC, internal: true, summary: 'Revoke a token (log out)' },
  { method: 'POST', path: `${IDM}/auth/logout`, handler: 'idm/logout', service: 'idm', access: PUBLIC, summary: 'Log out (token from body or Authorization header)' },
  // One step of deleting an account (CONTRACT F20): the User service calls it as the service account.
  { method: 'DELETE', path: `${IDM}/users/{id}`, handler: 'idm/delete-identity', service: 'idm', access: SERVICE, internal: true, summary: 'Delete an identity (service account or admin; DELETE /api/user-manager/users/{id} deletes the whole account)' },
  ...health('idm', IDM),
  { method: 'GET', path: '/health', handler: 'idm/health', service: 'idm', access: PUBLIC, summary: 'Liveness (the original gateway path)' },
  // IdentityService of proto/idm.proto over Connect (JSON, binary, GET) and gRPC-Web: one function.
  { method: 'POST', path: '/idm.IdentityService/{method}', handler: 'idm/identity-service', service: 'idm', access: PUBLIC, binary: true, summary: 'IdentityService RPC (Connect, gRPC-Web)' },
  { method: 'GET', path: '/idm.IdentityService/{method}', handler: 'idm/identity-service', service: 'idm', access: PUBLIC, binary: true, summary: 'IdentityService RPC (Connect GET)' },

  // ── Event manager: events (ORIGINAL §5.1) ─────────────────────────────────────────────────
  { method: 'POST', path: `${EM}/events`, handler: 'events/create-event', service: 'events', access: OWNER, trailingSlash: true, summary: 'Create an event' },
  { method: 'GET', path: `${EM}/events`, handler: 'events/list-events', service: 'events', access: PUBLIC, trailingSlash: true, summary: 'List and filter events' },
  { method: 'GET', path: `${EM}/events/{id}`, handler: 'events/get-event', service: 'events', access: PUBLIC, internal: true, summary: 'Get an event' },
  { method: 'PATCH', path: `${EM}/events/{id}`, handler: 'events/update-event', service: 'events', access: OWNER, summary: 'Update an event (owner or admin)' },
  { method: 'DELETE', path: `${EM}/events/{id}`, handler: 'events/delete-event', service: 'events', access: OWNER, summary: 'Delete an event (owner or admin)' },
  // ── packets (§5.2) ──
  { method: 'POST', path: `${EM}/event-packets`, handler: 'events/create-packet', service: 'events', access: OWNER, trailingSlash: true, summary: 'Create an event packet' },
  { method: 'GET', path: `${EM}/event-packets`, handler: 'events/list-packets', service: 'events', access: PUBLIC, trailingSlash: true, summary: 'List and filter event packets' },
  { method: 'GET', path: `${EM}/event-packets/{id}`, handler: 'events/get-packet', service: 'events', access: TOKEN, internal: true, summary: 'Get an event packet' },
  { method: 'PATCH', path: `${EM}/event-packets/{id}`, handler: 'events/update-packet', service: 'events', access: OWNER, summary: 'Update a packet (owner or admin; a new allocation also needs the owner of its events)' },
  { method: 'DELETE', path: `${EM}/event-packets/{id}`, handler: 'events/delete-packet', service: 'events', access: OWNER, summary: 'Delete a packet (owner or admin)' },
  // ── inclusions (§5.3) ──
  { method: 'POST', path: INCLUSION, handler: 'events/create-inclusion', service: 'events', access: OWNER, summary: 'Include an event in a packet (owner of both, or admin)' },
  { method: 'PATCH', path: INCLUSION, handler: 'events/update-inclusion', service: 'events', access: OWNER, summary: 'Update an inclusion (nothing to update: always 422)' },
  { method: 'DELETE', path: INCLUSION, handler: 'events/delete-inclusion', service: 'events', access: OWNER, summary: 'Remove an event from a packet (owner of both, or admin; not once the packet has sold tickets)' },
  { method: 'GET', path: `${EM}/event-packet-inclusions/event/{event_id}`, handler: 'events/list-event-packets', service: 'events', access: TOKEN, summary: 'Packets that include an event' },
  { method: 'GET', path: `${EM}/event-packet-inclusions/packet/{packet_id}`, handler: 'events/list-packet-events', service: 'events', access: TOKEN, summary: 'Events included in a packet' },
  // ── tickets (§5.4, CONTRACT F9) ──
  { method: 'POST', path: `${EM}/tickets`, handler: 'events/create-ticket', service: 'events', access: roles('serviciu_clienti'), trailingSlash: true, summary: 'Sell a ticket with a generated code (service account)' },
  { method: 'PUT', path: `${EM}/tickets/{code}`, handler: 'events/put-ticket', service: 'events', access: roles('serviciu_clienti'), internal: true, summary: 'Sell a ticket with a given code, idempotently (service account)' },
  { method: 'GET', path: `${EM}/tickets/{code}`, handler: 'events/get-ticket', service: 'events', access: SERVICE, summary: 'Get a ticket (service account or admin)' },
  { method: 'PATCH', path: `${EM}/tickets/{code}`, handler: 'events/update-ticket', service: 'events', access: SERVICE, summary: 'Move a ticket to another event or packet (service account or admin)' },
  { method: 'DELETE', path: `${EM}/tickets/{code}`, handler: 'events/delete-ticket', service: 'events', access: SERVICE, internal: true, summary: 'Cancel a ticket, freeing its seat (service account or admin)' },
  ...health('events', EM),

  // ── User manager (ORIGINAL §6, CONTRACT F5/F9/F10) ────────────────────────────────────────
  // Profile ids come from the IDM only: its registration is the one caller (CONTRACT F5, issue 11).
  { method: 'POST', path: `${UM}/users`, handler: 'users/create-profile', service: 'users', access: roles('serviciu_clienti'), trailingSlash: true, internal: true, summary: 'Create the profile of a new identity (service account: the registration)' },
  { method: 'GET', path: `${UM}/users/{id}`, handler: 'users/get-profile', service: 'users', access: TOKEN, summary: 'Get a profile (self or admin)' },
  { method: 'PATCH', path: `${UM}/users/{id}`, handler: 'users/update-profile', service: 'users', access: TOKEN, summary: 'Update a profile (self or admin)' },
  { method: 'DELETE', path: `${UM}/users/{id}`, handler: 'users/delete-account', service: 'users', access: TOKEN, internal: true, summary: 'Delete an account: tickets cancelled, profile and identity deleted, own token revoked (self or admin)' },
  { method: 'GET', path: `${UM}/events/{event_id}/customers`, handler: 'users/list-event-customers', service: 'users', access: OWNER, summary: "An event's customers (event owner or admin)" },
  { method: 'GET', path: `${UM}/packets/{packet_id}/customers`, handler: 'users/list-packet-customers', service: 'users', access: OWNER, summary: "A packet's customers (packet owner or admin)" },
  { method: 'POST', path: `${UM}/clients/{user_id}/tickets`, handler: 'users/buy-ticket', service: 'users', access: BUYER, summary: 'Buy a ticket (the client itself or admin; Idempotency-Key honoured)' },
  { method: 'GET', path: `${UM}/clients/{user_id}/tickets`, handler: 'users/list-tickets', service: 'users', access: BUYER, summary: "A client's tickets (the client itself or admin)" },
  { method: 'DELETE', path: `${UM}/clients/{user_id}/tickets/{code}`, handler: 'users/cancel-ticket', service: 'users', access: BUYER, summary: 'Cancel a ticket (the client itself or admin)' },
  ...health('users', UM),

  // ── Audit trail (CONTRACT §3, docs/OPERATIONS.md) ──────────────────────────────────────────
  { method: 'GET', path: '/api/audit', handler: 'audit/list', service: 'audit', access: roles('admin'), summary: 'The audit trail of every service (admin)' },

  // ── API documentation (CONTRACT §3) ───────────────────────────────────────────────────────
  { method: 'GET', path: '/api/openapi.json', handler: 'docs/openapi', service: 'docs', access: PUBLIC, summary: 'OpenAPI 3.1 document' },
  { method: 'GET', path: '/api/docs', handler: 'docs/page', service: 'docs', access: PUBLIC, summary: 'Browsable API documentation' },
] as const satisfies readonly Route[];

export const ROUTES: readonly Route[] = TABLE;

/** A handler of the table, by name: `'events/get-event'`. A typo does not compile. */
export type Handler = (typeof TABLE)[number]['handler'];

/** Every distinct handler (= one Lambda function each). */
export const HANDLERS: readonly string[] = [...new Set(ROUTES.map((r) => r.handler))];

export const routeKey = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;

const BY_KEY = new Map(ROUTES.map((r) => [routeKey(r), r]));

/** The route API Gateway matched (`httpMethod` + `resource`). */
export const findRoute = (method: string, resource: string): Route | undefined =>
  BY_KEY.get(`${method.toUpperCase()} ${resource}`);

const BY_HANDLER = new Map<string, Route[]>();
for (const route of ROUTES) BY_HANDLER.set(route.handler, [...(BY_HANDLER.get(route.handler) ?? []), route]);

/**
 * The one route a handler serves. Every handler but two serves one; those two (the `/health` alias,
 * the RPC's GET and POST) are no client's target, so asking for them is a programming error.
 */
export function routeOf(handler: Handler): Route {
  const routes = BY_HANDLER.get(handler) ?? [];
  if (routes.length !== 1) throw new Error(`handler ${handler} serves ${routes.length} routes, not one`);
  return routes[0]!;
}

export type PathParams = Readonly<Record<string, string | number>>;

/**
 * The concrete path of a handler's route, its `{param}` segments filled (URI-encoded): how clients
 * and links name a route, instead of typing its path again. A missing or unknown param throws.
 */
export function pathOf(handler: Handler, params: PathParams = {}): string {
  const { path, parts } = template(handler);
  // parts alternate literal text and param names: [text, name, text, name, …, text]
  let filled = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const value = params[parts[i]!];
    if (value === undefined) throw new Error(`${path}: param ${parts[i]} missing`);
    filled += encodeURIComponent(String(value)) + parts[i + 1]!;
  }
  for (const name in params) if (!parts.includes(name, 1)) throw new Error(`${path}: no param ${name}`);
  return filled;
}

/** A handler's path split once around its params (links are built by the dozen per list page). */
const TEMPLATES = new Map<string, { path: string; parts: string[] }>();
function template(handler: Handler) {
  let found = TEMPLATES.get(handler);
  if (!found) {
    const { path } = routeOf(handler);
    found = { path, parts: path.split(/\{(\w+)\}/) };
    TEMPLATES.set(handler, found);
  }
  return found;
}

/** Path prefixes whose every path answers a CORS preflight without authentication. */
export const API_PREFIXES = ['/api/', '/idm.IdentityService/', '/health'] as const;
