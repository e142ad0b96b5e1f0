import { afterAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import {
  admin, bind, client, closeDb, createEvent, createPacket, EM, eventRow, expectNoDrift, expectStatus, owner, packetRow, put, service, ticketCount, unique,
} from './support.ts';

afterAll(async () => {
  await stopApi();
  await closeDb();
});

const ticketPath = (code: string) => `${EM}/tickets/${encodeURIComponent(code)}`;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('T1 POST /tickets', () => {
  it('201 Ticket with a generated UUID v4 code; the seat is taken', async () => {
    const e = await createEvent(await owner(), { seats: 2 });
    const s = await service();
    const res = expectStatus(await call('POST', `${EM}/tickets`, { token: s.token, body: { event_id: e.id } }), 201);
    expect(res.body).toMatchObject({ packet_id: null, event_id: e.id });
    expect(res.body.code).toMatch(UUID_V4);
    expect(Object.keys(res.body)).toEqual(['code', 'packet_id', 'event_id', '_links']);
    expect(Object.keys(res.body._links)).toEqual(['delete', 'event', 'self', 'update']);
    expect(await eventRow(e.id)).toMatchObject({ direct_sold: 1 });
    expectStatus(await call('POST', `${EM}/tickets/`, { token: s.token, body: { event_id: e.id } }), 201);
  });

  it('exactly one target (422, original messages); 404 target; no seats defined; roles', async () => {
    const s = await service();
    expect((await call('POST', `${EM}/tickets`, { token: s.token, body: {} })).body).toEqual({
      error: 'ticket must be associated with either a packet or an event',
      code: 'INVALID_TICKET_TARGET',
    });
    expect((await call('POST', `${EM}/tickets`, { token: s.token, body: { event_id: 1, packet_id: 1 } })).body.error).toBe(
      'ticket cannot be associated with both a packet and an event',
    );
    expect((await call('POST', `${EM}/tickets`, { token: s.token, body: { event_id: 987654321 } })).body).toEqual({ error: 'ID 987654321 not found', code: 'NOT_FOUND' });
    expect((await call('POST', `${EM}/tickets`, { token: s.token, body: { packet_id: 987654321 } })).status).toBe(404);
    const o = await owner();
    const noSeats = await createEvent(o);
    expect((await call('POST', `${EM}/tickets`, { token: s.token, body: { event_id: noSeats.id } })).body).toMatchObject({
      error: `event ${noSeats.id} does not have seats defined`,
      code: 'NO_SEATS_DEFINED',
    });
    const noAllocation = await createPacket(o);
    expect((await call('POST', `${EM}/tickets`, { token: s.token, body: { packet_id: noAllocation.id } })).body.error).toBe(
      `packet ${noAllocation.id} does not have allocated seats defined`,
    );
    const e = await createEvent(o, { seats: 1 });
    for (const who of [o, await admin(), await client()]) {
      expect((await call('POST', `${EM}/tickets`, { token: who.token, body: { event_id: e.id } })).status).toBe(403);
    }
    expect((await call('POST', `${EM}/tickets`, { body: { event_id: e.id } })).status).toBe(401);
    expect(await eventRow(e.id)).toMatchObject({ direct_sold: 0 });
  });

  it('sold out → 422 SOLD_OUT with the original message, for events and packets', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 3 });
    const p = await createPacket(o, { allocated_seats: 1 });
    await bind(o, e.id, p.id);
    const s = await service();
    for (let i = 0; i < 2; i++) expectStatus(await call('POST', `${EM}/tickets`, { token: s.token, body: { event_id: e.id } }), 201);
    expect((await call('POST', `${EM}/tickets`, { token: s.token, body: { event_id: e.id } })).body).toEqual({
      error: `event '${e.name}' has no available seats (total: 3, direct tickets: 2, packet allocations: 1)`,
      code: 'SOLD_OUT',
      field: 'event_id',
    });
    expectStatus(await call('POST', `${EM}/tickets`, { token: s.token, body: { packet_id: p.id } }), 201);
    expect((await call('POST', `${EM}/tickets`, { token: s.token, body: { packet_id: p.id } })).body).toEqual({
      error: `packet '${p.name}' is sold out (1/1 tickets sold)`,
      code: 'SOLD_OUT',
      field: 'packet_id',
    });
    await expectNoDrift({ eventIds: [e.id], packetIds: [p.id] });
  });
});

describe('T2 PUT /tickets/{code}', () => {
  it('204; repeating it (same code, same target) is 204 again without a second seat', async () => {
    const e = await createEvent(await owner(), { seats: 5 });
    const s = await service();
    const code = unique('code');
    for (let i = 0; i < 3; i++) {
      const res = expectStatus(await put(s, code, { event_id: e.id, packet_id: null }), 204);
      expect(res.text).toBe('');
    }
    expect(await eventRow(e.id)).toMatchObject({ direct_sold: 1 });
    expect(await ticketCount({ eventId: e.id })).toBe(1);
  });

  it('a repeat succeeds even once the event is sold out: the seat is already that ticket\'s', async () => {
    const e = await createEvent(await owner(), { seats: 1 });
    const s = await service();
    const code = unique('code');
    expectStatus(await put(s, code, { event_id: e.id }), 204);
    expect((await put(s, unique('other'), { event_id: e.id })).body.code).toBe('SOLD_OUT');
    expectStatus(await put(s, code, { event_id: e.id }), 204);
  });

  it('the same code for another target is 409 TICKET_CODE_CONFLICT and moves nothing', async () => {
    const o = await owner();
    const [a, b] = [await createEvent(o, { seats: 5 }), await createEvent(o, { seats: 5 })];
    const s = await service();
    const code = unique('code');
    expectStatus(await put(s, code, { event_id: a.id }), 204);
    const res = expectStatus(await put(s, code, { event_id: b.id }), 409);
    expect(res.body).toEqual({ error: `ticket '${code}' already exists for another event`, code: 'TICKET_CODE_CONFLICT' });
    expect((await call('GET', ticketPath(code), { token: s.token })).body.event_id).toBe(a.id);
    expect(await eventRow(b.id)).toMatchObject({ direct_sold: 0 });
  });

  it('codes: 1..128 of [A-Za-z0-9._:-]; anything else 422, nothing sold', async () => {
    const e = await createEvent(await owner(), { seats: 50 });
    const s = await service();
    expectStatus(await put(s, `A.b_c:d-${'9'.repeat(100)}`, { event_id: e.id }), 204);
    for (const bad of ['x'.repeat(129), 'a b', "a'b", 'a%b', 'ü', 'a/b', 'a;DROP TABLE tickets']) {
      const res = await put(s, bad, { event_id: e.id });
      expect([res.status, res.body?.field], bad).toEqual([422, 'code']);
    }
    expect(await eventRow(e.id)).toMatchObject({ direct_sold: 1 });
  });

  it('only the service account; body rules as T1', async () => {
    const e = await createEvent(await owner(), { seats: 5 });
    for (const who of [await owner(), await admin(), await client()]) expect((await put(who, unique(), { event_id: e.id })).status).toBe(403);
    const s = await service();
    expect((await put(s, unique(), {})).status).toBe(422);
    expect((await put(s, unique(), { event_id: '1' })).status).toBe(400);
    expect((await put(s, unique(), { event_id: 0 })).status).toBe(422);
    expect((await put(s, unique(), { event_id: e.id, seat: 1 })).status).toBe(400);
  });
});

describe('T3 GET /tickets/{code}', () => {
  it('the service account and admin read the Ticket object; others 403; missing 404', async () => {
    const p = await createPacket(await owner(), { allocated_seats: 2 });
    const s = await service();
    const code = unique('code');
    expectStatus(await put(s, code, { packet_id: p.id }), 204);
    for (const who of [s, await admin()]) {
      const res = expectStatus(await call('GET', ticketPath(code), { token: who.token }), 200);
      expect(res.body).toMatchObject({ code, packet_id: p.id, event_id: null });
      expect(Object.keys(res.body._links)).toEqual(['delete', 'packet', 'self', 'update']);
    }
    for (const who of [await owner(), await client()]) expect((await call('GET', ticketPath(code), { token: who.token })).status).toBe(403);
    expect((await call('GET', ticketPath(code))).status).toBe(401);
    expect((await call('GET', ticketPath('no-such-code'), { token: s.token })).body).toEqual({ error: "ticket 'no-such-code' not found", code: 'NOT_FOUND' });
  });
});

describe('T4 PATCH /tickets/{code}', () => {
  it('moves a ticket between events and packets; seats follow; the same target is a no-op', async () => {
    const o = await owner();
    const [a, b] = [await createEvent(o, { seats: 2 }), await createEvent(o, { seats: 1 })];
    const p = await createPacket(o, { allocated_seats: 1 });
    const s = await service();
    const code = unique('code');
    expectStatus(await put(s, code, { event_id: a.id }), 204);
    const moved = expectStatus(await call('PATCH', ticketPath(code), { token: s.token, body: { event_id: b.id } }), 200);
    expect(moved.body).toMatchObject({ code, event_id: b.id, packet_id: null });
    expect([(await eventRow(a.id))!.direct_sold, (await eventRow(b.id))!.direct_sold]).toEqual([0, 1]);
    expectStatus(await call('PATCH', ticketPath(code), { token: (await admin()).token, body: { packet_id: p.id } }), 200);
    expect([(await eventRow(b.id))!.direct_sold, (await packetRow(p.id))!.sold]).toEqual([0, 1]);
    expectStatus(await call('PATCH', ticketPath(code), { token: s.token, body: { packet_id: p.id } }), 200);
    expect((await packetRow(p.id))!.sold).toBe(1);
    expectStatus(await call('PATCH', ticketPath(code), { token: s.token, body: { event_id: a.id } }), 200);
    expect([(await eventRow(a.id))!.direct_sold, (await packetRow(p.id))!.sold]).toEqual([1, 0]);
    await expectNoDrift({ eventIds: [a.id, b.id], packetIds: [p.id] });
  });

  it('a full target refuses (SOLD_OUT) and the ticket stays where it was; 404; roles', async () => {
    const o = await owner();
    const [a, full] = [await createEvent(o, { seats: 2 }), await createEvent(o, { seats: 1 })];
    const s = await service();
    const code = unique('code');
    expectStatus(await put(s, code, { event_id: a.id }), 204);
    expectStatus(await put(s, unique(), { event_id: full.id }), 204);
    expect((await call('PATCH', ticketPath(code), { token: s.token, body: { event_id: full.id } })).body.code).toBe('SOLD_OUT');
    expect((await call('PATCH', ticketPath(code), { token: s.token, body: { event_id: 987654321 } })).status).toBe(404);
    expect([(await eventRow(a.id))!.direct_sold, (await eventRow(full.id))!.direct_sold]).toEqual([1, 1]);
    expect((await call('GET', ticketPath(code), { token: s.token })).body.event_id).toBe(a.id);
    expect((await call('PATCH', ticketPath('missing-code'), { token: s.token, body: { event_id: a.id } })).status).toBe(404);
    expect((await call('PATCH', ticketPath(code), { token: s.token, body: {} })).status).toBe(422);
    expect((await call('PATCH', ticketPath(code), { token: o.token, body: { event_id: a.id } })).status).toBe(403);
  });
});

describe('T5 DELETE /tickets/{code}', () => {
  it('cancels: 200 with the deleted Ticket, the seat is free again; then 404', async () => {
    const e = await createEvent(await owner(), { seats: 1 });
    const s = await service();
    const code = unique('code');
    expectStatus(await put(s, code, { event_id: e.id }), 204);
    const res = expectStatus(await call('DELETE', ticketPath(code), { token: s.token }), 200);
    expect(res.body).toMatchObject({ code, event_id: e.id, packet_id: null });
    expect(await eventRow(e.id)).toMatchObject({ direct_sold: 0 });
    expect((await call('DELETE', ticketPath(code), { token: s.token })).status).toBe(404);
    expectStatus(await put(s, unique(), { event_id: e.id }), 204);
  });

  it('admin may cancel; owners and clients may not; packet seats are freed too', async () => {
    const p = await createPacket(await owner(), { allocated_seats: 1 });
    const s = await service();
    const code = unique('code');
    expectStatus(await put(s, code, { packet_id: p.id }), 204);
    for (const who of [await owner(), await client()]) expect((await call('DELETE', ticketPath(code), { token: who.token })).status).toBe(403);
    expectStatus(await call('DELETE', ticketPath(code), { token: (await admin()).token }), 200);
    expect(await packetRow(p.id)).toMatchObject({ sold: 0 });
    await expectNoDrift({ packetIds: [p.id] });
  });
});
