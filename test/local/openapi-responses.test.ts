import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RESPONSES } from '../../shared/docs/responses.ts';
import { HANDLERS } from '../../shared/routes.ts';
import { call, stopApi } from '../support/api.ts';
import { tokenFor } from '../support/tokens.ts';

afterAll(stopApi);

/** The document's response schemas describe what the API answers: real answers, parsed. */
function conforms(handler: string, res: { status: number; body: unknown }) {
  const known = RESPONSES[handler]!;
  expect(res.status, JSON.stringify(res.body)).toBe(known.status);
  const parsed = known.body.safeParse(res.body);
  expect(parsed.error?.issues ?? []).toEqual([]);
  // zod objects drop keys they do not describe: what is left must be everything that was sent.
  expect(parsed.data).toEqual(res.body);
}

describe('OpenAPI response schemas', () => {
  it('events, packets, inclusions, lists, profile, purchase and tickets answer as documented', async () => {
    const owner = await tokenFor('owner-event');
    const em = '/api/event-manager';
    const event = await call('POST', `${em}/events`, { token: owner.token, body: { name: `e-${randomUUID()}`, seats: 3, location: 'Hall' } });
    conforms('events/create-event', event);
    const bare = await call('POST', `${em}/events`, { token: owner.token, body: { name: `e-${randomUUID()}` } });
    conforms('events/create-event', bare);
    const id = event.body.event.id as number;
    conforms('events/get-event', await call('GET', `${em}/events/${id}`));
    conforms('events/list-events', await call('GET', `${em}/events?owner_id=${owner.userId}&per_page=1`));
    const packet = await call('POST', `${em}/event-packets`, { token: owner.token, body: { name: `p-${randomUUID()}`, allocated_seats: 1 } });
    conforms('events/create-packet', packet);
    const pid = packet.body.event_packet.id as number;
    conforms('events/list-packets', await call('GET', `${em}/event-packets?owner_id=${owner.userId}`));
    conforms('events/create-inclusion', await call('POST', `${em}/event-packet-inclusions/event/${id}/packet/${pid}`, { token: owner.token, body: {} }));
    conforms('events/list-event-packets', await call('GET', `${em}/event-packet-inclusions/event/${id}`, { token: owner.token }));
    conforms('events/list-packet-events', await call('GET', `${em}/event-packet-inclusions/packet/${pid}`, { token: owner.token }));

    const email = `buyer-${randomUUID()}@tix-test.com`;
    expect((await call('POST', '/api/idm/auth/register', { body: { email, password: 'secret-pass-1', role: 'client' } })).status).toBe(201);
    const login = await call('POST', '/api/idm/auth/login', { body: { email, password: 'secret-pass-1' } });
    conforms('idm/login', login);
    const buyer = { token: login.body.token as string, id: Number(login.body.user_id) };
    const um = '/api/user-manager';
    const bought = await call('POST', `${um}/clients/${buyer.id}/tickets`, { token: buyer.token, body: { event_id: id }, headers: { 'Idempotency-Key': randomUUID() } });
    conforms('users/buy-ticket', bought);
    await call('POST', `${um}/clients/${buyer.id}/tickets`, { token: buyer.token, body: { packet_id: pid } });
    conforms('users/list-tickets', await call('GET', `${um}/clients/${buyer.id}/tickets`, { token: buyer.token }));
    conforms('users/get-profile', await call('GET', `${um}/users/${buyer.id}`, { token: buyer.token }));
    conforms('users/list-event-customers', await call('GET', `${um}/events/${id}/customers`, { token: owner.token }));
    conforms('users/cancel-ticket', await call('DELETE', `${um}/clients/${buyer.id}/tickets/${bought.body.ticket_code}`, { token: buyer.token }));
    conforms('users/delete-account', await call('DELETE', `${um}/users/${buyer.id}`, { token: buyer.token }));
  });

  it('every documented response is a named or inline schema of the document', async () => {
    const doc = (await call('GET', '/api/openapi.json')).body;
    const listed = doc.paths['/api/event-manager/events/{id}'].get.responses['200'].content['application/json'].schema;
    expect(listed.properties.event).toEqual({ $ref: '#/components/schemas/Event' });
    expect(doc.components.schemas.Event.properties.available_seats.type).toBe('integer');
    expect(Object.keys(RESPONSES).length).toBeGreaterThan(20);
    expect(Object.keys(RESPONSES).filter((handler) => !HANDLERS.includes(handler))).toEqual([]);
  });
});
