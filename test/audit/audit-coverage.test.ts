import { describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../shared/routes.ts';

/**
 * Every route that may change state, and the audit records its success writes (the tests in
 * audit-trail.test.ts send each one). A new route fails here until someone says what it records.
 */
const EM = '/api/event-manager';
const UM = '/api/user-manager';
const INCLUSION = `${EM}/event-packet-inclusions/event/{event_id}/packet/{packet_id}`;

export const RECORDS_ON_SUCCESS: Record<string, readonly string[]> = {
  'POST /api/idm/auth/register': ['user.registered', 'profile.created'],
  'POST /api/idm/auth/login': [], // a login changes nothing; the failure that locks out writes login.locked_out
  'POST /api/idm/auth/verify': [],
  'POST /api/idm/auth/revoke': ['token.revoked'],
  'POST /api/idm/auth/logout': ['token.revoked'],
  'DELETE /api/idm/users/{id}': ['user.deleted'],
  'POST /idm.IdentityService/{method}': [], // Register / RevokeToken: the same use cases (and records) as the HTTP routes
  [`POST ${EM}/events`]: ['event.created'],
  [`PATCH ${EM}/events/{id}`]: ['event.updated'],
  [`DELETE ${EM}/events/{id}`]: ['event.deleted'],
  [`POST ${EM}/event-packets`]: ['packet.created'],
  [`PATCH ${EM}/event-packets/{id}`]: ['packet.updated'],
  [`DELETE ${EM}/event-packets/{id}`]: ['packet.deleted'],
  [`POST ${INCLUSION}`]: ['inclusion.created'],
  [`PATCH ${INCLUSION}`]: [], // always 422 (an inclusion has no fields)
  [`DELETE ${INCLUSION}`]: ['inclusion.deleted'],
  [`POST ${EM}/tickets`]: ['ticket.sold'],
  [`PUT ${EM}/tickets/{code}`]: ['ticket.sold'],
  [`PATCH ${EM}/tickets/{code}`]: ['ticket.moved'],
  [`DELETE ${EM}/tickets/{code}`]: ['ticket.cancelled'],
  [`POST ${UM}/users`]: ['profile.created'],
  [`PATCH ${UM}/users/{id}`]: ['profile.updated'],
  // Account deletion: the identity, every ticket (here one), the profile, the caller's own token.
  [`DELETE ${UM}/users/{id}`]: ['user.deleted', 'ticket.cancelled', 'profile.deleted', 'token.revoked'],
  [`POST ${UM}/clients/{user_id}/tickets`]: ['ticket.sold'],
  [`DELETE ${UM}/clients/{user_id}/tickets/{code}`]: ['ticket.cancelled'],
};

describe('audit coverage', () => {
  it('names the records of every route that is not a read', () => {
    const writes = ROUTES.filter((r) => r.method !== 'GET').map(routeKey).sort();
    expect(Object.keys(RECORDS_ON_SUCCESS).sort()).toEqual(writes);
  });
});
