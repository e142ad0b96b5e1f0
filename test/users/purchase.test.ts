import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import { newUserId, tokenFor } from '../support/tokens.ts';
import { buy, client, createEvent, createPacket, EM, emTicket, owner, profileOf, register, UM } from './support.ts';

afterAll(stopApi);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the whole purchase through HTTP (IDM → user manager → event manager)', () => {
  it('a client registers, buys for an event and a packet, sees them, cancels one; the owner sees the customers', async () => {
    const organiser = await register('owner');
    const buyer = await register('client');
    const eventId = await createEvent(organiser, 5);
    const packetId = await createPacket(organiser, 3);

    // Registration created the profile through U1.
    expect(await profileOf(buyer)).toMatchObject({ id: buyer.id, email: buyer.email, first_name: '', last_name: '' });

    const forEvent = await buy(buyer, { event_id: eventId });
    expect(forEvent.status, forEvent.text).toBe(201);
    expect(forEvent.body).toEqual({ ticket_code: expect.stringMatching(UUID) });
    const forPacket = await buy(buyer, { packet_id: packetId });
    expect(forPacket.status, forPacket.text).toBe(201);
    const eventCode = forEvent.body.ticket_code;
    const packetCode = forPacket.body.ticket_code;

    // Stored in both places (CONTRACT §1).
    expect((await emTicket(eventCode)).body).toMatchObject({ code: eventCode, event_id: eventId });
    expect((await emTicket(packetCode)).body).toMatchObject({ code: packetCode, packet_id: packetId });
    expect((await profileOf(buyer)).ticket_list).toEqual([
      { event_id: eventId, code: eventCode },
      { packet_id: packetId, code: packetCode },
    ]);

    // F9: the list, with summaries.
    const list = await call('GET', `${UM}/clients/${buyer.id}/tickets`, { token: buyer.token });
    expect(list.status).toBe(200);
    expect(list.body.tickets).toHaveLength(2);
    expect(list.body.tickets[0]).toMatchObject({ code: eventCode, event_id: eventId, event: { id: eventId, location: 'Cluj' } });
    expect(list.body.tickets[1]).toMatchObject({ code: packetCode, packet_id: packetId, event_packet: { id: packetId, location: 'Iasi' } });
    expect(new URL(list.body.tickets[0]._links.cancel.href).pathname).toBe(`${UM}/clients/${buyer.id}/tickets/${eventCode}`);

    // The owner sees the customers of each.
    const eventCustomers = await call('GET', `${UM}/events/${eventId}/customers`, { token: organiser.token });
    expect(eventCustomers.status, eventCustomers.text).toBe(200);
    expect(eventCustomers.body.users.map((u: { id: number }) => u.id)).toEqual([buyer.id]);
    expect(eventCustomers.body.users[0]).not.toHaveProperty('ticket_list');
    const packetCustomers = await call('GET', `${UM}/packets/${packetId}/customers`, { token: organiser.token });
    expect(packetCustomers.body.users.map((u: { id: number }) => u.id)).toEqual([buyer.id]);

    // Cancel the event ticket: the seat is freed, the profile forgets it.
    const cancelled = await call('DELETE', `${UM}/clients/${buyer.id}/tickets/${eventCode}`, { token: buyer.token });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toEqual({ ticket: { event_id: eventId, code: eventCode } });
    expect((await emTicket(eventCode)).status).toBe(404);
    expect((await profileOf(buyer)).ticket_list).toEqual([{ packet_id: packetId, code: packetCode }]);
    expect((await call('GET', `${UM}/events/${eventId}/customers`, { token: organiser.token })).body.users).toEqual([]);
    // Cancelling again: the ticket is gone.
    expect((await call('DELETE', `${UM}/clients/${buyer.id}/tickets/${eventCode}`, { token: buyer.token })).status).toBe(404);
  });
});

describe('purchase outcomes', () => {
  it('sold out → 422 SOLD_OUT with the event manager\'s message; cancel then buy again works', async () => {
    const organiser = await owner();
    const eventId = await createEvent(organiser, 1);
    const first = await client();
    const second = await client();
    const bought = await buy(first, { event_id: eventId });
    expect(bought.status).toBe(201);
    const refused = await buy(second, { event_id: eventId });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SOLD_OUT');
    expect(refused.body.error).toMatch(/no available seats/);
    expect((await profileOf(second)).ticket_list).toBeUndefined();

    expect((await call('DELETE', `${UM}/clients/${first.id}/tickets/${bought.body.ticket_code}`, { token: first.token })).status).toBe(200);
    const again = await buy(second, { event_id: eventId });
    expect(again.status, again.text).toBe(201);
    expect((await profileOf(second)).ticket_list).toEqual([{ event_id: eventId, code: again.body.ticket_code }]);
  });

  it('a sold-out packet → 422 SOLD_OUT', async () => {
    const packetId = await createPacket(await owner(), 1);
    expect((await buy(await client(), { packet_id: packetId })).status).toBe(201);
    const refused = await buy(await client(), { packet_id: packetId });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SOLD_OUT');
  });

  it('unknown event or packet → 404; an event without seats → 422; the profile is unchanged', async () => {
    const buyer = await client();
    const noEvent = await buy(buyer, { event_id: 999_999_999 });
    expect(noEvent.status).toBe(404);
    expect(noEvent.body.code).toBe('NOT_FOUND');
    expect((await buy(buyer, { packet_id: 999_999_999 })).status).toBe(404);
    const unseated = await createEvent(await owner(), null);
    const refused = await buy(buyer, { event_id: unseated });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('NO_SEATS_DEFINED');
    expect((await profileOf(buyer)).ticket_list).toBeUndefined();
  });

  it('F10: only the user (token user id = {user_id}) or admin may buy; a missing profile → 404', async () => {
    const eventId = await createEvent(await owner());
    const buyer = await client();
    const stranger = await client();
    const res = await buy(stranger, { event_id: eventId }, { userId: buyer.id });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    const admin = { ...(await owner()), token: (await tokenFor('admin')).token };
    const byAdmin = await buy(admin, { event_id: eventId }, { userId: buyer.id });
    expect(byAdmin.status).toBe(201);
    expect((await profileOf(buyer)).ticket_list).toEqual([{ event_id: eventId, code: byAdmin.body.ticket_code }]);
    expect((await call('POST', `${UM}/clients/${buyer.id}/tickets`, { body: { event_id: eventId } })).status).toBe(401);
    const ghost = await tokenFor('client');
    const missing = await buy({ id: ghost.userId, email: ghost.email, token: ghost.token }, { event_id: eventId });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe(`user with ID ${ghost.userId} not found`);
  });

  it('a missing profile is found by the guarded $push after the sale: the seat is released again (404), and a refused sale answers first', async () => {
    const ghost = await tokenFor('client');
    const asGhost = { id: ghost.userId, email: ghost.email, token: ghost.token };
    const lastSeat = await createEvent(await owner(), 1);
    const missing = await buy(asGhost, { event_id: lastSeat });
    expect([missing.status, missing.body.code]).toEqual([404, 'NOT_FOUND']);
    // Compensated: the one seat is still for sale, and a real buyer gets it.
    const buyer = await client();
    const bought = await buy(buyer, { event_id: lastSeat });
    expect(bought.status, bought.text).toBe(201);
    expect((await emTicket(bought.body.ticket_code)).status).toBe(200);
    // Sold out now: the event manager's refusal is the answer (no profile is consulted before the sale).
    const refused = await buy(asGhost, { event_id: lastSeat });
    expect([refused.status, refused.body.code]).toEqual([422, 'SOLD_OUT']);
  });

  it.each([
    [{}, 422, "validation error on field 'event_id': ticket must be associated with either a packet or an event"],
    [{ event_id: 1, packet_id: 2 }, 422, "validation error on field 'packet_id': ticket cannot be associated with both a packet and an event"],
    [{ event_id: null, packet_id: null }, 422, "validation error on field 'event_id': ticket must be associated with either a packet or an event"],
    [{ event_id: 0 }, 422, "validation error on field 'event_id': must be greater than 0"],
    [{ event_id: '3' }, 400, "invalid value for field 'event_id' (expected number)"],
    [{ event_id: 1.5 }, 400, "invalid value for field 'event_id' (expected int)"],
    [{ event_id: 1, seat: 4 }, 400, 'json: unknown field "seat"'],
  ])('bad body %j → %i', async (body, status, message) => {
    const res = await buy(await client(), body);
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(message);
  });

  it('bad user ids, bodies and Idempotency-Keys', async () => {
    const buyer = await client();
    expect((await call('POST', `${UM}/clients/abc/tickets`, { body: { event_id: 1 }, token: buyer.token })).status).toBe(400);
    expect((await call('POST', `${UM}/clients/0/tickets`, { body: { event_id: 1 }, token: buyer.token })).status).toBe(422);
    expect((await call('POST', `${UM}/clients/${buyer.id}/tickets`, { token: buyer.token })).status).toBe(400);
    expect((await call('POST', `${UM}/clients/${buyer.id}/tickets`, { raw: '{"event_id":', token: buyer.token })).status).toBe(400);
    const badKey = await buy(buyer, { event_id: 1 }, { key: 'x'.repeat(256) });
    expect(badKey.status).toBe(400);
    expect(badKey.body.code).toBe('INVALID_HEADER');
  });
});

describe('Idempotency-Key', () => {
  it('the same key sent 20 times concurrently → one ticket, every answer the same code', async () => {
    const eventId = await createEvent(await owner(), 30);
    const buyer = await client();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => buy(buyer, { event_id: eventId }, { key })));
    for (const answer of answers) expect(answer.status, answer.text).toBe(201);
    const codes = new Set(answers.map((a) => a.body.ticket_code));
    expect(codes.size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect((await profileOf(buyer)).ticket_list).toEqual([{ event_id: eventId, code: [...codes][0] }]);
    // And later retries too.
    const later = await buy(buyer, { event_id: eventId }, { key });
    expect(later.body.ticket_code).toBe([...codes][0]);
    expect((await profileOf(buyer)).ticket_list).toHaveLength(1);
  });

  it('the same key with a different body → 422 IDEMPOTENCY_KEY_REUSED; another user may use the same key', async () => {
    const organiser = await owner();
    const [a, b] = [await createEvent(organiser), await createEvent(organiser)];
    const buyer = await client();
    const key = randomUUID();
    expect((await buy(buyer, { event_id: a }, { key })).status).toBe(201);
    const reused = await buy(buyer, { event_id: b }, { key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await buy(await client(), { event_id: b }, { key })).status).toBe(201);
    expect((await profileOf(buyer)).ticket_list).toHaveLength(1);
  });

  it('a failed purchase is not remembered as a result: after sold out, the same key may succeed later', async () => {
    const organiser = await owner();
    const eventId = await createEvent(organiser, 1);
    const holder = await client();
    const held = await buy(holder, { event_id: eventId });
    const buyer = await client();
    const key = randomUUID();
    expect((await buy(buyer, { event_id: eventId }, { key })).status).toBe(422);
    await call('DELETE', `${UM}/clients/${holder.id}/tickets/${held.body.ticket_code}`, { token: holder.token });
    const retried = await buy(buyer, { event_id: eventId }, { key });
    expect(retried.status, retried.text).toBe(201);
  });
});

describe('concurrency', () => {
  it('50 concurrent purchases by one user (10 for each of 5 events) → 50 entries in ticket_list (atomic $push)', async () => {
    const organiser = await owner();
    const events = await Promise.all(Array.from({ length: 5 }, () => createEvent(organiser, 12)));
    const buyer = await client();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => buy(buyer, { event_id: events[i % 5]! })));
    expect(answers.filter((a) => a.status !== 201).map((a) => a.text)).toEqual([]);
    const list = (await profileOf(buyer)).ticket_list!;
    expect(list).toHaveLength(50);
    expect(new Set(list.map((t) => t.code))).toEqual(new Set(answers.map((a) => a.body.ticket_code)));
  });
});

describe('per-buyer limit (CONTRACT F23: MAX_TICKETS_PER_BUYER, default 10 per event and per packet)', () => {
  const expectLimited = (answer: Awaited<ReturnType<typeof buy>>) => {
    expect(answer.status, answer.text).toBe(429);
    expect(answer.body).toEqual({ error: expect.stringContaining('at most 10 tickets per buyer'), code: 'TICKET_LIMIT_REACHED' });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  };

  it('one buyer racing 30 purchases for one event ends with 10 tickets; the refused sales gave their seats back', async () => {
    const eventId = await createEvent(await owner(), 12);
    const buyer = await client();
    const answers = await Promise.all(Array.from({ length: 30 }, () => buy(buyer, { event_id: eventId })));
    const sold = answers.filter((a) => a.status === 201);
    expect(sold).toHaveLength(10);
    for (const refused of answers.filter((a) => a.status !== 201)) {
      // Refused at the limit, or sold out while other attempts briefly held the last seats.
      if (refused.status === 422) expect(refused.body.code).toBe('SOLD_OUT');
      else expectLimited(refused);
    }
    expect((await profileOf(buyer)).ticket_list).toHaveLength(10);
    // Exactly 2 seats are left: every seat taken by a refused attempt was given back.
    const other = await client();
    expect((await buy(other, { event_id: eventId })).status).toBe(201);
    expect((await buy(other, { event_id: eventId })).status).toBe(201);
    expect((await buy(other, { event_id: eventId })).body.code).toBe('SOLD_OUT');
  });

  it('the same for a packet; another event or packet has a limit of its own; cancelling frees a place', async () => {
    const organiser = await owner();
    const packetId = await createPacket(organiser, 20);
    const buyer = await client();
    const answers = await Promise.all(Array.from({ length: 15 }, () => buy(buyer, { packet_id: packetId })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
    for (const refused of answers.filter((a) => a.status !== 201)) expectLimited(refused);

    expect((await buy(buyer, { event_id: await createEvent(organiser, 5) })).status).toBe(201);
    expectLimited(await buy(buyer, { packet_id: packetId }));
    const code = answers.find((a) => a.status === 201)!.body.ticket_code;
    expect((await call('DELETE', `${UM}/clients/${buyer.id}/tickets/${code}`, { token: buyer.token })).status).toBe(200);
    expect((await buy(buyer, { packet_id: packetId })).status).toBe(201);
    // 11 sold in all, 1 cancelled: the packet's allocation holds 10 of this buyer's tickets and no lost seat.
    const rest = await Promise.all(Array.from({ length: 10 }, async () => buy(await client(), { packet_id: packetId })));
    expect(rest.filter((a) => a.status === 201)).toHaveLength(10);
  });
});

describe('list and cancel tickets (F9)', () => {
  it('self or admin only; unknown user → 404; empty list', async () => {
    const buyer = await client();
    const empty = await call('GET', `${UM}/clients/${buyer.id}/tickets`, { token: buyer.token });
    expect(empty.status).toBe(200);
    expect(empty.body.tickets).toEqual([]);
    expect((await call('GET', `${UM}/clients/${buyer.id}/tickets`, { token: (await client()).token })).status).toBe(403);
    const admin = await tokenFor('admin');
    expect((await call('GET', `${UM}/clients/${buyer.id}/tickets`, { token: admin.token })).status).toBe(200);
    expect((await call('GET', `${UM}/clients/${newUserId()}/tickets`, { token: admin.token })).status).toBe(404);
  });

  it('cancel: someone else → 403 and nothing changes; unknown code → 404; admin may cancel', async () => {
    const eventId = await createEvent(await owner());
    const buyer = await client();
    const code = (await buy(buyer, { event_id: eventId })).body.ticket_code;
    const stranger = await client();
    const refused = await call('DELETE', `${UM}/clients/${buyer.id}/tickets/${code}`, { token: stranger.token });
    expect(refused.status).toBe(403);
    expect((await emTicket(code)).status).toBe(200);
    const unknown = await call('DELETE', `${UM}/clients/${buyer.id}/tickets/${randomUUID()}`, { token: buyer.token });
    expect(unknown.status).toBe(404);
    expect((await call('DELETE', `${UM}/clients/${buyer.id}/tickets/%20`, { token: buyer.token })).status).toBe(422);
    const admin = await tokenFor('admin');
    expect((await call('DELETE', `${UM}/clients/${buyer.id}/tickets/${code}`, { token: admin.token })).status).toBe(200);
    expect((await emTicket(code)).status).toBe(404);
    expect((await profileOf(buyer)).ticket_list).toBeUndefined();
  });

  it("cancelling a ticket the event manager already freed still removes it from the profile (a retried cancel)", async () => {
    const eventId = await createEvent(await owner());
    const buyer = await client();
    const code = (await buy(buyer, { event_id: eventId })).body.ticket_code;
    const admin = await tokenFor('admin');
    expect((await call('DELETE', `${EM}/tickets/${code}`, { token: admin.token })).status).toBe(200);
    expect((await call('DELETE', `${UM}/clients/${buyer.id}/tickets/${code}`, { token: buyer.token })).status).toBe(200);
    expect((await profileOf(buyer)).ticket_list).toBeUndefined();
  });
});

describe('customers of an event / a packet (U5, F4)', () => {
  it('names masked as [Private] per flag, flags reported truthfully, e-mail shown, each customer once', async () => {
    const organiser = await owner();
    const eventId = await createEvent(organiser, 10);
    const open = await client({ first_name: 'Ana', last_name: 'Pop' });
    const shy = await client({ first_name: 'Dan', last_name: 'Ionescu', social_media_links: 'https://s.example/dan' });
    await call('PATCH', `${UM}/users/${shy.id}`, { token: shy.token, body: { last_name_private: true } });
    await buy(open, { event_id: eventId });
    await buy(shy, { event_id: eventId });
    await buy(shy, { event_id: eventId });
    const res = await call('GET', `${UM}/events/${eventId}/customers`, { token: organiser.token });
    expect(res.status).toBe(200);
    const byId = new Map(res.body.users.map((u: { id: number }) => [u.id, u]));
    expect(res.body.users).toHaveLength(2);
    expect(byId.get(open.id)).toMatchObject({ email: open.email, first_name: 'Ana', last_name: 'Pop', first_name_private: false, last_name_private: false });
    expect(byId.get(shy.id)).toMatchObject({
      email: shy.email,
      first_name: 'Dan',
      last_name: '[Private]',
      social_media_links: 'https://s.example/dan',
      first_name_private: false,
      last_name_private: true,
    });
    expect(new URL((byId.get(shy.id) as any)._links.self.href).pathname).toBe(`${UM}/users/${shy.id}`);
  });

  it('another owner → 403; admin may; client role → 403; unknown event/packet → 404; a packet ticket does not make an event customer', async () => {
    const organiser = await owner();
    const eventId = await createEvent(organiser);
    const packetId = await createPacket(organiser);
    await buy(await client(), { packet_id: packetId });
    const rival = await owner();
    const refused = await call('GET', `${UM}/events/${eventId}/customers`, { token: rival.token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect((await call('GET', `${UM}/packets/${packetId}/customers`, { token: rival.token })).status).toBe(403);
    const admin = await tokenFor('admin');
    expect((await call('GET', `${UM}/packets/${packetId}/customers`, { token: admin.token })).body.users).toHaveLength(1);
    expect((await call('GET', `${UM}/events/${eventId}/customers`, { token: admin.token })).body.users).toEqual([]);
    expect((await call('GET', `${UM}/events/${eventId}/customers`, { token: (await client()).token })).status).toBe(403);
    expect((await call('GET', `${UM}/events/999999999/customers`, { token: admin.token })).status).toBe(404);
    expect((await call('GET', `${UM}/packets/999999999/customers`, { token: admin.token })).status).toBe(404);
    expect((await call('GET', `${UM}/events/abc/customers`, { token: admin.token })).status).toBe(400);
  });
});
