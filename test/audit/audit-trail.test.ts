import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import { tokenFor } from '../support/tokens.ts';
import { newClientIp, postFrom } from '../idm/helpers.ts';
import { client, createEvent, createPacket, EM, owner, register, UM } from '../users/support.ts';

afterAll(stopApi);

/**
 * The audit trail over real HTTP: every state-changing route writes its records (exactly these, no
 * more) under the request's correlation id; a refusal writes none.
 */

const admin = () => tokenFor('admin');

/** A request with a fresh correlation id; returns the response and that id. */
async function traced(method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
  const id = `audit-${randomUUID()}`;
  const res = await call(method, path, { ...options, headers: { ...options.headers, 'X-Correlation-Id': id } });
  return { res, id };
}

/** The audit records of one request, oldest first. */
async function recordsOf(correlationId: string) {
  const res = await call('GET', `/api/audit?correlation_id=${correlationId}&per_page=100`, { token: (await admin()).token });
  expect(res.status, res.text).toBe(200);
  return (res.body.audit as Array<Record<string, any>>).reverse();
}

const actions = async (correlationId: string) => (await recordsOf(correlationId)).map((r) => r.action);

describe('every state change writes its audit record', () => {
  it('registration: the identity and, by the service account on behalf of the new user, its profile', async () => {
    const email = `audit-${randomUUID()}@tix-test.com`;
    const { res, id } = await traced('POST', '/api/idm/auth/register', { body: { email, password: `pw-${randomUUID()}`, role: 'client' } });
    expect(res.status, res.text).toBe(201);
    const records = await recordsOf(id);
    expect(records.map((r) => r.action)).toEqual(['user.registered', 'profile.created']);
    const userId = Number(records[0]!.resource_id);
    expect(records[0]).toMatchObject({ actor_role: 'anonymous', resource_type: 'user', changes: { after: { id: userId, email, rol: 'client' } } });
    expect(records[1]).toMatchObject({ actor_role: 'serviciu_clienti', on_behalf_of: userId, resource_type: 'profile', resource_id: String(userId) });
    // A refused registration (the e-mail is taken) writes nothing.
    const again = await traced('POST', '/api/idm/auth/register', { body: { email, password: `pw-${randomUUID()}`, role: 'client' } });
    expect(again.res.status).toBe(409);
    expect(await actions(again.id)).toEqual([]);
  });

  it('events, packets and inclusions: create, update, delete — by their owner, with the changed fields', async () => {
    const organiser = await owner();
    const other = await owner();
    const created = await traced('POST', `${EM}/events`, { body: { name: `audit-${randomUUID()}`, seats: 10 }, token: organiser.token });
    expect(created.res.status).toBe(201);
    const eventId = created.res.body.event.id;
    const [record] = await recordsOf(created.id);
    expect(record).toMatchObject({ action: 'event.created', actor_id: organiser.id, actor_role: 'owner-event', resource_type: 'event', resource_id: String(eventId), correlation_id: created.id });
    expect(record!.changes.after).toMatchObject({ id: eventId, seats: 10, id_owner: organiser.id });
    expect(Date.parse(record!.at)).toBeGreaterThan(Date.now() - 60_000);

    const updated = await traced('PATCH', `${EM}/events/${eventId}`, { body: { seats: 12, location: 'Cluj' }, token: organiser.token });
    expect(updated.res.status).toBe(200);
    expect(await recordsOf(updated.id)).toEqual([
      expect.objectContaining({ action: 'event.updated', changes: { before: { seats: 10, location: null }, after: { seats: 12, location: 'Cluj' } } }),
    ]);
    // Refusals: another owner (403), a bad value (422), nothing to change (422).
    for (const [token, body] of [[other.token, { seats: 20 }], [organiser.token, { seats: -1 }], [organiser.token, {}]] as const) {
      const refused = await traced('PATCH', `${EM}/events/${eventId}`, { body, token });
      expect(refused.res.status).toBeGreaterThanOrEqual(400);
      expect(await actions(refused.id)).toEqual([]);
    }

    const packet = await traced('POST', `${EM}/event-packets`, { body: { name: `audit-${randomUUID()}`, allocated_seats: 2 }, token: organiser.token });
    const packetId = packet.res.body.event_packet.id;
    expect(await actions(packet.id)).toEqual(['packet.created']);
    const inclusion = `${EM}/event-packet-inclusions/event/${eventId}/packet/${packetId}`;
    const bound = await traced('POST', inclusion, { body: {}, token: organiser.token });
    expect(bound.res.status, bound.res.text).toBe(201);
    // One record: the binding, not the seat counter it moved.
    expect(await recordsOf(bound.id)).toEqual([expect.objectContaining({ action: 'inclusion.created', resource_id: `${eventId}/${packetId}` })]);
    const rebound = await traced('POST', inclusion, { body: {}, token: organiser.token });
    expect(rebound.res.status).toBe(409);
    expect(await actions(rebound.id)).toEqual([]);
    const packetEdit = await traced('PATCH', `${EM}/event-packets/${packetId}`, { body: { allocated_seats: 3 }, token: organiser.token });
    expect(packetEdit.res.status, packetEdit.res.text).toBe(200);
    expect(await recordsOf(packetEdit.id)).toEqual([
      expect.objectContaining({ action: 'packet.updated', changes: { before: { allocated_seats: 2 }, after: { allocated_seats: 3 } } }),
    ]);
    const unbound = await traced('DELETE', inclusion, { token: organiser.token });
    expect(unbound.res.status).toBe(200);
    expect(await actions(unbound.id)).toEqual(['inclusion.deleted']);
    const packetGone = await traced('DELETE', `${EM}/event-packets/${packetId}`, { token: organiser.token });
    expect(await actions(packetGone.id)).toEqual(['packet.deleted']);
    const eventGone = await traced('DELETE', `${EM}/events/${eventId}`, { token: organiser.token });
    expect(eventGone.res.status).toBe(200);
    expect(await recordsOf(eventGone.id)).toEqual([expect.objectContaining({ action: 'event.deleted', changes: { before: expect.objectContaining({ id: eventId }) } })]);
  });

  it('tickets: sold and cancelled by the service account on behalf of the buyer, moved by an admin; sold out writes nothing', async () => {
    const organiser = await owner();
    const buyer = await client();
    const eventId = await createEvent(organiser, 1);
    const otherEvent = await createEvent(organiser, 5);

    const bought = await traced('POST', `${UM}/clients/${buyer.id}/tickets`, { body: { event_id: eventId }, token: buyer.token });
    expect(bought.res.status, bought.res.text).toBe(201);
    const code = bought.res.body.ticket_code;
    expect(await recordsOf(bought.id)).toEqual([
      expect.objectContaining({ action: 'ticket.sold', actor_role: 'serviciu_clienti', on_behalf_of: buyer.id, resource_type: 'ticket', resource_id: code, changes: { after: { code, event_id: eventId, packet_id: null } } }),
    ]);
    const soldOut = await traced('POST', `${UM}/clients/${buyer.id}/tickets`, { body: { event_id: eventId }, token: buyer.token });
    expect(soldOut.res.status).toBe(422);
    expect(await actions(soldOut.id)).toEqual([]);

    const boss = await admin();
    const moved = await traced('PATCH', `${EM}/tickets/${code}`, { body: { event_id: otherEvent }, token: boss.token });
    expect(moved.res.status, moved.res.text).toBe(200);
    expect(await recordsOf(moved.id)).toEqual([
      expect.objectContaining({ action: 'ticket.moved', actor_id: boss.userId, actor_role: 'admin', on_behalf_of: null, changes: { before: { event_id: eventId }, after: { event_id: otherEvent } } }),
    ]);

    const cancelled = await traced('DELETE', `${UM}/clients/${buyer.id}/tickets/${code}`, { token: buyer.token });
    expect(cancelled.res.status, cancelled.res.text).toBe(200);
    expect(await recordsOf(cancelled.id)).toEqual([expect.objectContaining({ action: 'ticket.cancelled', on_behalf_of: buyer.id, resource_id: code })]);
  });

  it('X-On-Behalf-Of counts only from the service account', async () => {
    const organiser = await owner();
    const eventId = await createEvent(organiser, 3);
    const service = await tokenFor('serviciu_clienti');
    const sold = await traced('POST', `${EM}/tickets`, { body: { event_id: eventId }, token: service.token, headers: { 'X-On-Behalf-Of': '42' } });
    expect(sold.res.status, sold.res.text).toBe(201);
    expect(await recordsOf(sold.id)).toEqual([expect.objectContaining({ action: 'ticket.sold', actor_id: service.userId, on_behalf_of: 42 })]);
    const created = await traced('POST', `${EM}/events`, { body: { name: `audit-${randomUUID()}` }, token: organiser.token, headers: { 'X-On-Behalf-Of': '42' } });
    expect(created.res.status).toBe(201);
    expect(await recordsOf(created.id)).toEqual([expect.objectContaining({ actor_id: organiser.id, on_behalf_of: null })]);
  });

  it('profiles: update (changed fields only); a refusal writes nothing', async () => {
    const person = await client({ first_name: 'Ana' });
    const updated = await traced('PATCH', `${UM}/users/${person.id}`, { body: { first_name: 'Ioana' }, token: person.token });
    expect(updated.res.status, updated.res.text).toBe(200);
    expect(await recordsOf(updated.id)).toEqual([
      expect.objectContaining({ action: 'profile.updated', actor_id: person.id, actor_role: 'client', changes: { before: { first_name: 'Ana' }, after: { first_name: 'Ioana' } } }),
    ]);
    const stranger = await client();
    const refused = await traced('PATCH', `${UM}/users/${person.id}`, { body: { first_name: 'X' }, token: stranger.token });
    expect(refused.res.status).toBe(403);
    expect(await actions(refused.id)).toEqual([]);
  });

  it('account deletion: the identity, every ticket, the profile and the own token, each its record; a refusal writes nothing', async () => {
    const person = await register('client');
    const stranger = await client();
    const eventId = await createEvent(await owner(), 3);
    const bought = await call('POST', `${UM}/clients/${person.id}/tickets`, { body: { event_id: eventId }, token: person.token });
    expect(bought.status, bought.text).toBe(201);
    const refused = await traced('DELETE', `${UM}/users/${person.id}`, { token: stranger.token });
    expect(refused.res.status).toBe(403);
    expect(await actions(refused.id)).toEqual([]);
    const deleted = await traced('DELETE', `${UM}/users/${person.id}`, { token: person.token });
    expect(deleted.res.status, deleted.res.text).toBe(200);
    const records = await recordsOf(deleted.id);
    expect(records.map((r) => r.action).sort()).toEqual(['profile.deleted', 'ticket.cancelled', 'token.revoked', 'user.deleted']);
    expect(records.find((r) => r.action === 'user.deleted')).toMatchObject({ actor_role: 'serviciu_clienti', on_behalf_of: person.id, resource_id: String(person.id) });
    expect(records.find((r) => r.action === 'ticket.cancelled')).toMatchObject({ on_behalf_of: person.id, resource_id: bought.body.ticket_code });
    expect(records.find((r) => r.action === 'profile.deleted')).toMatchObject({ actor_id: person.id, resource_id: String(person.id) });
    expect(records.find((r) => r.action === 'token.revoked')).toMatchObject({ actor_id: person.id, resource_id: String(person.id) });
    expect(JSON.stringify(records)).not.toContain(person.token);
  });

  it('deleting an identity at the IDM: one record; a configured account is refused and writes nothing', async () => {
    const boss = await admin();
    const person = await register('client');
    const deleted = await traced('DELETE', `/api/idm/users/${person.id}`, { token: boss.token });
    expect(deleted.res.status, deleted.res.text).toBeLessThan(300);
    expect(await recordsOf(deleted.id)).toEqual([
      expect.objectContaining({ action: 'user.deleted', actor_id: boss.userId, actor_role: 'admin', resource_type: 'user', resource_id: String(person.id) }),
    ]);
    expect(JSON.stringify((await recordsOf(deleted.id))[0]!.changes)).not.toContain('parola');
    // The seeded admin (its real id, from a login) comes from configuration: 409, no record.
    const login = await call('POST', '/api/idm/auth/login', { body: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD } });
    expect(login.status, login.text).toBe(200);
    const refused = await traced('DELETE', `/api/idm/users/${login.body.user_id}`, { token: boss.token });
    expect(refused.res.status).toBe(409);
    expect(await actions(refused.id)).toEqual([]);
  });

  it('logout and lockout: the IDM records them (never the token)', async () => {
    const person = await register('client');
    const out = await traced('POST', '/api/idm/auth/logout', { token: person.token });
    expect(out.res.status, out.res.text).toBe(200);
    expect(await recordsOf(out.id)).toEqual([
      expect.objectContaining({ action: 'token.revoked', actor_id: person.id, actor_role: 'client', resource_type: 'user', resource_id: String(person.id) }),
    ]);
    const again = await traced('POST', '/api/idm/auth/logout', { token: person.token });
    expect(again.res.status).toBe(200);
    expect(await actions(again.id)).toEqual([]); // already revoked: no change

    // From an address of its own: failures also count per address, in the Redis every run shares.
    const ip = newClientIp();
    const failLogin = async () => {
      const id = `audit-${randomUUID()}`;
      const res = await postFrom(ip, '/api/idm/auth/login', { email: person.email, password: 'wrong-password' }, { headers: { 'X-Correlation-Id': id } });
      return { res, id };
    };
    const failures: string[][] = [];
    for (let i = 0; i < 5; i++) {
      const failed = await failLogin();
      expect(failed.res.status).toBe(401);
      failures.push(await actions(failed.id));
    }
    // The fifth failure locks the e-mail out: one record, then nothing more while locked.
    expect(failures).toEqual([[], [], [], [], ['login.locked_out']]);
    const locked = await failLogin();
    expect(locked.res.status).toBe(429);
    expect(await actions(locked.id)).toEqual([]);
  });
});

describe('the remaining state-changing routes, by their records (audit-coverage.test.ts)', () => {
  it('the event manager\'s ticket routes, called directly; profile creation; revoke; the no-change routes', async () => {
    const organiser = await owner();
    const eventId = await createEvent(organiser, 5);
    const service = await tokenFor('serviciu_clienti');
    const boss = await admin();
    const code = `audit-${randomUUID()}`;
    const put = await traced('PUT', `${EM}/tickets/${code}`, { body: { event_id: eventId }, token: service.token });
    expect(put.res.status, put.res.text).toBeLessThan(300);
    expect(await actions(put.id)).toEqual(['ticket.sold']);
    const repeated = await traced('PUT', `${EM}/tickets/${code}`, { body: { event_id: eventId }, token: service.token });
    expect(repeated.res.status).toBeLessThan(300);
    expect(await actions(repeated.id)).toEqual([]); // the same sale again: no change
    const cancelled = await traced('DELETE', `${EM}/tickets/${code}`, { token: boss.token });
    expect(cancelled.res.status, cancelled.res.text).toBe(200);
    expect(await recordsOf(cancelled.id)).toEqual([expect.objectContaining({ action: 'ticket.cancelled', actor_id: boss.userId, actor_role: 'admin' })]);

    const id = 800_000_000 + Math.floor(Math.random() * 1_000_000);
    const profile = await traced('POST', `${UM}/users`, { body: { id, email: `audit-${randomUUID()}@tix-test.com`, first_name: '', last_name: '' }, token: service.token });
    expect(profile.res.status, profile.res.text).toBe(201);
    expect(await recordsOf(profile.id)).toEqual([expect.objectContaining({ action: 'profile.created', actor_id: service.userId, resource_id: String(id) })]);

    const person = await register('client');
    const verify = await traced('POST', '/api/idm/auth/verify', { body: { token: person.token } });
    expect(verify.res.status).toBe(200);
    expect(await actions(verify.id)).toEqual([]);
    const revoked = await traced('POST', '/api/idm/auth/revoke', { body: { token: person.token } });
    expect(revoked.res.status, revoked.res.text).toBe(200);
    expect(await actions(revoked.id)).toEqual(['token.revoked']);

    const packet = await createPacket(organiser, 1);
    const inclusion = `${EM}/event-packet-inclusions/event/${eventId}/packet/${packet}`;
    expect((await call('POST', inclusion, { body: {}, token: organiser.token })).status).toBe(201);
    const patched = await traced('PATCH', inclusion, { body: {}, token: organiser.token });
    expect(patched.res.status).toBe(422);
    expect(await actions(patched.id)).toEqual([]);
  });
});
