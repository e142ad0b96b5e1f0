import { afterAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import {
  admin, bind, client, closeDb, createEvent, createPacket, EM, eventRow, expectNoDrift, expectStatus, inclusionPath, owner, put, service, unique,
} from './support.ts';

afterAll(async () => {
  await stopApi();
  await closeDb();
});

describe('I1 POST inclusion', () => {
  it('201 with the inclusion object; the allocation now counts against the event', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 10 });
    const p = await createPacket(o, { allocated_seats: 4 });
    const res = await bind(o, e.id, p.id);
    expect(res.body).toMatchObject({ id_packet: p.id, id_event: e.id });
    expect(Object.keys(res.body)).toEqual(['id_packet', 'id_event', '_links']);
    expect(Object.keys(res.body._links)).toEqual(['delete', 'event', 'packet']);
    expect(await eventRow(e.id)).toMatchObject({ packet_allocated: 4 });
  });

  it('order of errors: event 404, packet 404, packet ownership 403, event ownership 403, duplicate 409, capacity 422', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 5 });
    const p = await createPacket(o, { allocated_seats: 9 }); // does not fit
    const missing = 987654321;
    expect((await call('POST', inclusionPath(missing, missing + 1), { token: o.token, body: {} })).body.error).toBe(`ID ${missing} not found`);
    expect((await call('POST', inclusionPath(e.id, missing), { token: o.token, body: {} })).body.error).toBe(`ID ${missing} not found`);
    const stranger = await owner();
    const theirs = await createEvent(stranger, { seats: 50 });
    // owning the event is not enough: the packet is checked first (F4)
    const forbidden = expectStatus(await call('POST', inclusionPath(theirs.id, p.id), { token: stranger.token, body: {} }), 403);
    expect(forbidden.body.error).toBe("forbidden: you don't have permission to add packets to this event");
    expect((await call('POST', inclusionPath(e.id, p.id), { token: stranger.token, body: {} })).status).toBe(403);
    // nor is owning the packet: its allocation would spend the other owner's seats (F4 as changed)
    const notTheirs = expectStatus(await call('POST', inclusionPath(theirs.id, p.id), { token: o.token, body: {} }), 403);
    expect(notTheirs.body).toEqual({
      error: `forbidden: you don't have permission to use the seats of event ${theirs.id}: it belongs to another owner`,
      code: 'FORBIDDEN',
    });
    expect(await eventRow(theirs.id)).toMatchObject({ packet_allocated: 0 });
    const capacity = expectStatus(await call('POST', inclusionPath(e.id, p.id), { token: o.token, body: {} }), 422);
    expect(capacity.body.error).toBe('event has 5 seats but packet requires 9 allocated seats');
    // an admin may bind across owners
    expectStatus(await call('POST', inclusionPath(theirs.id, p.id), { token: (await admin()).token, body: {} }), 201);
    const dup = expectStatus(await call('POST', inclusionPath(theirs.id, p.id), { token: (await admin()).token, body: {} }), 409);
    expect(dup.body.code).toBe('INCLUSION_EXISTS');
    expect(await eventRow(theirs.id)).toMatchObject({ packet_allocated: 9 });
  });

  it('F13: the allocation must fit what direct sales and the other packets leave', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 10 });
    await bind(o, e.id, (await createPacket(o, { allocated_seats: 3 })).id);
    const s = await service();
    for (let i = 0; i < 4; i++) expectStatus(await put(s, unique('t'), { event_id: e.id }), 204);
    const tooBig = await createPacket(o, { allocated_seats: 4 });
    const res = expectStatus(await call('POST', inclusionPath(e.id, tooBig.id), { token: o.token, body: {} }), 422);
    expect(res.body).toEqual({
      error: `cannot allocate 4 seats: event '${e.name}' only has 3 available seats (10 total - 4 sold - 3 in other packets)`,
      code: 'CAPACITY_EXCEEDED',
    });
    await bind(o, e.id, (await createPacket(o, { allocated_seats: 3 })).id);
    expect(await eventRow(e.id)).toMatchObject({ direct_sold: 4, packet_allocated: 6 });
    // full now: no direct sale, but a packet without allocation still binds
    expect((await put(s, unique('t'), { event_id: e.id })).body.code).toBe('SOLD_OUT');
    await bind(o, e.id, (await createPacket(o)).id);
    await expectNoDrift({ eventIds: [e.id] });
  });

  it('an allocation needs an event with seats; a packet without allocation binds to any event', async () => {
    const o = await owner();
    const e = await createEvent(o);
    const p = await createPacket(o, { allocated_seats: 2 });
    const res = expectStatus(await call('POST', inclusionPath(e.id, p.id), { token: o.token, body: {} }), 422);
    expect(res.body).toEqual({ error: `event ${e.id} doesn't have seats defined, cannot be added to packet requiring 2 seats`, code: 'NO_SEATS_DEFINED' });
    await bind(o, e.id, (await createPacket(o)).id);
  });

  it('body must be {} (or null); roles; admin may bind anything', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 3 });
    const p = await createPacket(o);
    expect((await call('POST', inclusionPath(e.id, p.id), { token: o.token, body: { x: 1 } })).status).toBe(400);
    expect((await call('POST', inclusionPath(e.id, p.id), { token: o.token })).status).toBe(400);
    expect((await call('POST', inclusionPath(e.id, p.id), { token: (await client()).token, body: {} })).status).toBe(403);
    expect((await call('POST', inclusionPath(e.id, p.id), { body: {} })).status).toBe(401);
    expect((await call('POST', inclusionPath(e.id, 'x'), { token: o.token, body: {} })).status).toBe(400);
    expectStatus(await call('POST', inclusionPath(e.id, p.id), { token: (await admin()).token, raw: 'null', headers: { 'Content-Type': 'application/json' } }), 201);
  });
});

describe('I2 / I3 inclusion lists', () => {
  it('packets of an event (by-event form) and events of a packet (list form); token required', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 10 });
    const [p, q] = [await createPacket(o, { allocated_seats: 2 }), await createPacket(o)];
    await bind(o, e.id, q.id);
    await bind(o, e.id, p.id);
    const c = await client();
    const packets = expectStatus(await call('GET', `${EM}/event-packet-inclusions/event/${e.id}`, { token: c.token }), 200);
    expect(packets.body.event_packets.map((x: { id: number }) => x.id)).toEqual([p.id, q.id].sort((a, b) => a - b));
    expect(Object.keys(packets.body.event_packets[0]._links)).toEqual(['delete', 'owner', 'self', 'update']);
    expect(packets.body._links.self.href).toMatch(new RegExp(`/api/event-manager/event-packet-inclusions/event/${e.id}$`));
    const events = expectStatus(await call('GET', `${EM}/event-packet-inclusions/packet/${p.id}`, { token: c.token }), 200);
    expect(events.body.events).toHaveLength(1);
    expect(events.body.events[0]).toMatchObject({ id: e.id, seats: 10 });
    expect(Object.keys(events.body.events[0]._links)).toEqual(['delete', 'owner', 'parent', 'self', 'update']);
    expect((await call('GET', `${EM}/event-packet-inclusions/event/${e.id}`)).status).toBe(401);
    expect((await call('GET', `${EM}/event-packet-inclusions/packet/${p.id}`)).status).toBe(401);
    // unknown ids: an empty list, as the original
    expect((await call('GET', `${EM}/event-packet-inclusions/event/987654321`, { token: c.token })).body.event_packets).toEqual([]);
    expect((await call('GET', `${EM}/event-packet-inclusions/packet/abc`, { token: c.token })).status).toBe(400);
  });
});

describe('I4 PATCH inclusion', () => {
  it('always 422 `update must contain at least one field`; the body must still be {}', async () => {
    const o = await owner();
    const res = expectStatus(await call('PATCH', inclusionPath(1, 2), { token: o.token, body: {} }), 422);
    expect(res.body).toEqual({ error: 'update must contain at least one field', code: 'NO_FIELDS_TO_UPDATE' });
    expect((await call('PATCH', inclusionPath(1, 2), { token: o.token, body: { packet_id: 3 } })).status).toBe(400);
    expect((await call('PATCH', inclusionPath(1, 2), { body: {} })).status).toBe(401);
  });
});

describe('I5 DELETE inclusion', () => {
  it('200 with the inclusion; the allocation is released', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 4 });
    const p = await createPacket(o, { allocated_seats: 4 });
    await bind(o, e.id, p.id);
    const s = await service();
    expect((await put(s, unique('t'), { event_id: e.id })).body.code).toBe('SOLD_OUT');
    const res = expectStatus(await call('DELETE', inclusionPath(e.id, p.id), { token: o.token }), 200);
    expect(res.body).toMatchObject({ id_packet: p.id, id_event: e.id });
    expect(await eventRow(e.id)).toMatchObject({ packet_allocated: 0 });
    expectStatus(await put(s, unique('t'), { event_id: e.id }), 204);
    await expectNoDrift({ eventIds: [e.id], packetIds: [p.id] });
  });

  it('F22: no unbinding once the packet has sold tickets (the issue\'s 7 holders of 5 seats), nor deleting the event; after the cancellation both work', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 5 });
    const p = await createPacket(o, { allocated_seats: 2, name: unique('Summer pass') });
    await bind(o, e.id, p.id);
    const s = await service();
    const sold = [unique('t'), unique('t')];
    for (const code of sold) expectStatus(await put(s, code, { packet_id: p.id }), 204);
    const refused = expectStatus(await call('DELETE', inclusionPath(e.id, p.id), { token: o.token }), 422);
    expect(refused.body).toEqual({
      error: `cannot remove event ${e.id} from packet '${p.name}': 2 tickets have been sold for the packet and use this event's seats`,
      code: 'RESOURCE_IN_USE',
    });
    expectStatus(await call('DELETE', inclusionPath(e.id, p.id), { token: (await admin()).token }), 422);
    expect((await call('DELETE', `${EM}/events/${e.id}`, { token: o.token })).body).toEqual({ error: 'cannot delete event included in packets', code: 'RESOURCE_IN_USE' });
    // the event keeps the packet's 2 seats: 3 direct sales, then sold out
    for (let i = 0; i < 3; i++) expectStatus(await put(s, unique('t'), { event_id: e.id }), 204);
    expect((await put(s, unique('t'), { event_id: e.id })).body.code).toBe('SOLD_OUT');
    await expectNoDrift({ eventIds: [e.id], packetIds: [p.id] });
    // one ticket left: still refused (singular message); none left: the packet no longer needs the event
    expectStatus(await call('DELETE', `${EM}/tickets/${sold[0]}`, { token: s.token }), 200);
    expect((await call('DELETE', inclusionPath(e.id, p.id), { token: o.token })).body.error).toContain(': 1 ticket has been sold for the packet');
    expectStatus(await call('DELETE', `${EM}/tickets/${sold[1]}`, { token: s.token }), 200);
    expectStatus(await call('DELETE', inclusionPath(e.id, p.id), { token: o.token }), 200);
    expect(await eventRow(e.id)).toMatchObject({ direct_sold: 3, packet_allocated: 0 });
    await expectNoDrift({ eventIds: [e.id], packetIds: [p.id] });
  });

  it('404 when not bound or missing; 403 unless the caller owns the packet and the event; admin allowed', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 4 });
    const p = await createPacket(o);
    const notBound = expectStatus(await call('DELETE', inclusionPath(e.id, p.id), { token: o.token }), 404);
    expect(notBound.body.error).toBe(`inclusion of event ${e.id} in packet ${p.id} not found`);
    expect((await call('DELETE', inclusionPath(987654321, p.id), { token: o.token })).body.error).toBe('ID 987654321 not found');
    await bind(o, e.id, p.id);
    const res = expectStatus(await call('DELETE', inclusionPath(e.id, p.id), { token: (await owner()).token }), 403);
    expect(res.body.error).toBe("forbidden: you don't have permission to delete this inclusion");
    expectStatus(await call('DELETE', inclusionPath(e.id, p.id), { token: (await admin()).token }), 200);
    // F4: the packet's owner may not unbind an event of another owner (an admin bound it)
    const stranger = await owner();
    const theirs = await createEvent(stranger, { seats: 4 });
    expectStatus(await call('POST', inclusionPath(theirs.id, p.id), { token: (await admin()).token, body: {} }), 201);
    expect((await call('DELETE', inclusionPath(theirs.id, p.id), { token: o.token })).body).toEqual({
      error: `forbidden: you don't have permission to use the seats of event ${theirs.id}: it belongs to another owner`,
      code: 'FORBIDDEN',
    });
    expectStatus(await call('DELETE', inclusionPath(theirs.id, p.id), { token: stranger.token }), 403);
    expectStatus(await call('DELETE', inclusionPath(theirs.id, p.id), { token: (await admin()).token }), 200);
  });
});
