import { afterAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import { admin, bind, client, closeDb, createEvent, createPacket, EM, eventRow, expectNoDrift, expectStatus, owner, packetRow, put, service, unique } from './support.ts';

afterAll(async () => {
  await stopApi();
  await closeDb();
});

const packetPath = (id: number | string) => `${EM}/event-packets/${id}`;

describe('P1 POST /event-packets', () => {
  it('201 {"event_packet": …}: location, description, allocated_seats always present (null when unset)', async () => {
    const o = await owner();
    const name = unique('pass');
    const res = expectStatus(await call('POST', `${EM}/event-packets`, { token: o.token, body: { name } }), 201);
    expect(Object.keys(res.body)).toEqual(['event_packet']);
    expect(res.body.event_packet).toMatchObject({ id_owner: o.userId, name, location: null, description: null, allocated_seats: null });
    expect(Object.keys(res.body.event_packet)).toEqual(['id', 'id_owner', 'name', 'location', 'description', 'allocated_seats', 'available_seats', '_links']);
    expect(Object.keys(res.body.event_packet._links)).toEqual(['delete', 'events', 'owner', 'self', 'update']);
    expectStatus(await call('POST', `${EM}/event-packets/`, { token: o.token, body: { name: unique('slash'), allocated_seats: 3 } }), 201);
  });

  it('F3 ownership, 409 on a taken name, roles, field rules', async () => {
    const o = await owner();
    expectStatus(await call('POST', `${EM}/event-packets`, { token: o.token, body: { name: unique(), id_owner: o.userId + 1 } }), 403);
    const p = await createPacket(o);
    const dup = expectStatus(await call('POST', `${EM}/event-packets`, { token: o.token, body: { name: p.name } }), 409);
    expect(dup.body).toEqual({ error: `event packet '${p.name}' already exists`, code: 'NAME_TAKEN' });
    // packets and events are separate namespaces
    const e = await createEvent(o);
    expectStatus(await call('POST', `${EM}/event-packets`, { token: o.token, body: { name: e.name } }), 201);
    expect((await call('POST', `${EM}/event-packets`, { token: (await client()).token, body: { name: unique() } })).status).toBe(403);
    expect((await call('POST', `${EM}/event-packets`, { body: { name: unique() } })).status).toBe(401);
    const zero = expectStatus(await call('POST', `${EM}/event-packets`, { token: o.token, body: { name: unique(), allocated_seats: 0 } }), 422);
    expect(zero.body).toMatchObject({ error: 'allocated_seats: must be >= 1', field: 'allocated_seats' });
    expect((await call('POST', `${EM}/event-packets`, { token: o.token, body: { name: unique(), seats: 3 } })).status).toBe(400);
    const a = await admin();
    expect((await call('POST', `${EM}/event-packets`, { token: a.token, body: { name: unique(), id_owner: o.userId } })).body.event_packet.id_owner).toBe(o.userId);
  });
});

describe('P2 GET /event-packets/{id}', () => {
  it('needs a token (any role); 404 / 400 / 422 for bad ids', async () => {
    const p = await createPacket(await owner(), { allocated_seats: 4 });
    expect((await call('GET', packetPath(p.id))).status).toBe(401);
    const res = expectStatus(await call('GET', packetPath(p.id), { token: (await client()).token }), 200);
    expect(res.body.event_packet).toMatchObject({ id: p.id, allocated_seats: 4 });
    const c = await client();
    expect((await call('GET', packetPath(987654321), { token: c.token })).body).toEqual({ error: 'ID 987654321 not found', code: 'NOT_FOUND' });
    expect((await call('GET', packetPath('x1'), { token: c.token })).status).toBe(400);
    expect((await call('GET', packetPath(0), { token: c.token })).status).toBe(422);
  });
});

describe('P3 PATCH /event-packets/{id}', () => {
  it('owner edits, others 403, admin allowed, 404 before 403, no fields 422, 409 on a taken name', async () => {
    const o = await owner();
    const p = await createPacket(o);
    expect((await call('PATCH', packetPath(p.id), { token: o.token, body: { location: 'Iasi' } })).body.event_packet.location).toBe('Iasi');
    const stranger = await owner();
    expect((await call('PATCH', packetPath(p.id), { token: stranger.token, body: { location: 'x' } })).body.error).toBe(
      "forbidden: you don't have permission to edit this event packet",
    );
    expect((await call('PATCH', packetPath(987654321), { token: stranger.token, body: { location: 'x' } })).status).toBe(404);
    expectStatus(await call('PATCH', packetPath(p.id), { token: (await admin()).token, body: { description: 'adm' } }), 200);
    expect((await call('PATCH', packetPath(p.id), { token: o.token, body: {} })).body.error).toBe('no fields to update');
    const transfer = await call('PATCH', packetPath(p.id), { token: o.token, body: { id_owner: stranger.userId } });
    expect([transfer.status, transfer.body.error]).toEqual([403, "forbidden: you don't have permission to change the owner of this event packet"]);
    const other = await createPacket(o);
    expect((await call('PATCH', packetPath(p.id), { token: o.token, body: { name: other.name } })).body).toEqual({
      error: `name ${other.name} already exists`,
      code: 'NAME_TAKEN',
    });
  });

  it('§9.4 (a): not below the tickets sold for the packet', async () => {
    const o = await owner();
    const p = await createPacket(o, { allocated_seats: 5 });
    const s = await service();
    for (let i = 0; i < 3; i++) expectStatus(await put(s, unique('t'), { packet_id: p.id }), 204);
    const res = expectStatus(await call('PATCH', packetPath(p.id), { token: o.token, body: { allocated_seats: 2 } }), 422);
    expect(res.body).toMatchObject({ error: 'cannot reduce allocated_seats to 2: 3 tickets have already been sold for this packet', code: 'CAPACITY_EXCEEDED' });
    expectStatus(await call('PATCH', packetPath(p.id), { token: o.token, body: { allocated_seats: 3 } }), 200);
    expect(await packetRow(p.id)).toMatchObject({ allocated_seats: 3, sold: 3 });
  });

  it('§9.4 (b): must fit every including event with seats; the events\' allocations follow the change', async () => {
    const o = await owner();
    const big = await createEvent(o, { seats: 100 });
    const small = await createEvent(o, { seats: 20 });
    const p = await createPacket(o, { allocated_seats: 5 });
    const q = await createPacket(o, { allocated_seats: 4 });
    for (const e of [big, small]) await bind(o, e.id, p.id);
    await bind(o, small.id, q.id);
    const s = await service();
    for (let i = 0; i < 6; i++) expectStatus(await put(s, unique('t'), { event_id: small.id }), 204);
    // small: 20 seats − 6 direct − 4 (q) → p may have 10
    const res = expectStatus(await call('PATCH', packetPath(p.id), { token: o.token, body: { allocated_seats: 11 } }), 422);
    expect(res.body.error).toBe(`cannot allocate 11 seats: event '${small.name}' only has 10 available seats (20 total - 6 sold - 4 in other packets)`);
    expectStatus(await call('PATCH', packetPath(p.id), { token: o.token, body: { allocated_seats: 10 } }), 200);
    expect(await eventRow(big.id)).toMatchObject({ packet_allocated: 10 });
    expect(await eventRow(small.id)).toMatchObject({ packet_allocated: 14, direct_sold: 6 });
    await expectNoDrift({ eventIds: [big.id, small.id], packetIds: [p.id, q.id] });
  });

  it('the binding rule (§9.5, F13): no allocation in an event without seats (the issue\'s 1 000 000 seatless seats)', async () => {
    const o = await owner();
    const seatless = await createEvent(o);
    const withSeats = await createEvent(o, { seats: 10 });
    const p = await createPacket(o);
    await bind(o, withSeats.id, p.id);
    await bind(o, seatless.id, p.id); // no allocation: binds, as F13 allows
    const res = expectStatus(await call('PATCH', packetPath(p.id), { token: o.token, body: { allocated_seats: 1_000_000 } }), 422);
    expect(res.body).toEqual({
      error: `cannot allocate 1000000 seats: event ${seatless.id} doesn't have seats defined`,
      code: 'NO_SEATS_DEFINED',
      field: 'allocated_seats',
    });
    expectStatus(await call('PATCH', packetPath(p.id), { token: o.token, body: { allocated_seats: 1 } }), 422);
    expect(await packetRow(p.id)).toMatchObject({ allocated_seats: null });
    expect(await eventRow(seatless.id)).toMatchObject({ packet_allocated: 0 });
    expect(await eventRow(withSeats.id)).toMatchObject({ packet_allocated: 0 });
    // the packet still has no seats to sell; once the event has seats, the allocation fits them
    expect((await put(await service(), unique('t'), { packet_id: p.id })).body.code).toBe('NO_SEATS_DEFINED');
    expectStatus(await call('PATCH', `${EM}/events/${seatless.id}`, { token: o.token, body: { seats: 3 } }), 200);
    const tooMany = expectStatus(await call('PATCH', packetPath(p.id), { token: o.token, body: { allocated_seats: 4 } }), 422);
    expect(tooMany.body.error).toBe(`cannot allocate 4 seats: event '${seatless.name}' only has 3 available seats (3 total - 0 sold - 0 in other packets)`);
    expectStatus(await call('PATCH', packetPath(p.id), { token: o.token, body: { allocated_seats: 3 } }), 200);
    expect(await eventRow(seatless.id)).toMatchObject({ packet_allocated: 3 });
    await expectNoDrift({ eventIds: [seatless.id, withSeats.id], packetIds: [p.id] });
  });

  it('F4: re-allocating needs the events too; the same allocation, other fields and admins pass', async () => {
    const o = await owner();
    const stranger = await owner();
    const theirs = await createEvent(stranger, { seats: 10 });
    const p = await createPacket(o, { allocated_seats: 2 });
    const adm = await admin();
    expectStatus(await call('POST', `${EM}/event-packet-inclusions/event/${theirs.id}/packet/${p.id}`, { token: adm.token, body: {} }), 201);
    for (const n of [5, 1]) {
      const res = expectStatus(await call('PATCH', packetPath(p.id), { token: o.token, body: { allocated_seats: n } }), 403);
      expect(res.body).toEqual({
        error: `forbidden: you don't have permission to use the seats of event ${theirs.id}: it belongs to another owner`,
        code: 'FORBIDDEN',
      });
    }
    expect(await eventRow(theirs.id)).toMatchObject({ packet_allocated: 2 });
    expectStatus(await call('PATCH', packetPath(p.id), { token: o.token, body: { allocated_seats: 2, description: 'same seats' } }), 200);
    expectStatus(await call('PATCH', packetPath(p.id), { token: stranger.token, body: { allocated_seats: 5 } }), 403); // not the packet's owner
    expectStatus(await call('PATCH', packetPath(p.id), { token: adm.token, body: { allocated_seats: 5 } }), 200);
    expect(await eventRow(theirs.id)).toMatchObject({ packet_allocated: 5 });
  });
});

describe('P4 DELETE /event-packets/{id}', () => {
  it('200 with the deleted packet; 403 for others; admin allowed; 404 when missing', async () => {
    const o = await owner();
    const p = await createPacket(o, { allocated_seats: 2 });
    expectStatus(await call('DELETE', packetPath(p.id), { token: (await owner()).token }), 403);
    const res = expectStatus(await call('DELETE', packetPath(p.id), { token: o.token }), 200);
    expect(res.body.event_packet).toMatchObject({ id: p.id, allocated_seats: 2 });
    expect((await call('DELETE', packetPath(p.id), { token: o.token })).status).toBe(404);
    const q = await createPacket(o);
    expectStatus(await call('DELETE', packetPath(q.id), { token: (await admin()).token }), 200);
  });

  it('blocked by sold tickets (first), then by inclusions', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 10 });
    const p = await createPacket(o, { allocated_seats: 2 });
    await bind(o, e.id, p.id);
    expectStatus(await put(await service(), unique('t'), { packet_id: p.id }), 204);
    expect((await call('DELETE', packetPath(p.id), { token: o.token })).body).toEqual({ error: 'cannot delete packet with sold tickets', code: 'RESOURCE_IN_USE' });
    const q = await createPacket(o);
    await bind(o, e.id, q.id);
    expect((await call('DELETE', packetPath(q.id), { token: o.token })).body).toEqual({ error: 'cannot delete packet that contains events', code: 'RESOURCE_IN_USE' });
  });
});
