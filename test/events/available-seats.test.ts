import { afterAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import { bind, closeDb, createEvent, createPacket, EM, expectStatus, owner, put, service, unique } from './support.ts';

afterAll(async () => {
  await stopApi();
  await closeDb();
});

/** `available_seats` (issue 12): what the sale would still sell, in every representation. */
describe('available_seats', () => {
  it('event: seats − direct sales − packet allocations, on get, list and inclusion lists; absent without seats', async () => {
    const o = await owner();
    const s = await service();
    const e = await createEvent(o, { seats: 5 });
    expect(e).toMatchObject({ seats: 5, available_seats: 5 });
    const p = await createPacket(o, { allocated_seats: 2 });
    await bind(o, e.id, p.id);
    expectStatus(await put(s, unique('code'), { event_id: e.id }), 204);

    const single = (await call('GET', `${EM}/events/${e.id}`)).body.event;
    expect(single).toMatchObject({ seats: 5, available_seats: 2 });
    const listed = (await call('GET', `${EM}/events?name=${encodeURIComponent(e.name)}`)).body.events;
    expect(listed).toMatchObject([{ id: e.id, available_seats: 2 }]);
    const inPacket = (await call('GET', `${EM}/event-packet-inclusions/packet/${p.id}`, { token: o.token })).body.events;
    expect(inPacket).toMatchObject([{ id: e.id, available_seats: 2 }]);

    const noSeats = await createEvent(o);
    expect(noSeats).not.toHaveProperty('available_seats');
  });

  it('packet: allocation − tickets sold; null without an allocation; 0 when sold out', async () => {
    const o = await owner();
    const s = await service();
    const e = await createEvent(o, { seats: 5 });
    const p = await createPacket(o, { allocated_seats: 1 });
    expect(p).toMatchObject({ allocated_seats: 1, available_seats: 1 });
    await bind(o, e.id, p.id);
    expectStatus(await put(s, unique('code'), { packet_id: p.id }), 204);
    expect((await call('GET', `${EM}/event-packets/${p.id}`, { token: o.token })).body.event_packet).toMatchObject({ available_seats: 0 });
    expect((await call('GET', `${EM}/event-packets?name=${encodeURIComponent(p.name)}`)).body.event_packets).toMatchObject([{ available_seats: 0 }]);
    expect((await call('GET', `${EM}/event-packet-inclusions/event/${e.id}`, { token: o.token })).body.event_packets).toMatchObject([{ available_seats: 0 }]);
    // the sale agrees: sold out
    expect((await put(s, unique('code'), { packet_id: p.id })).body.code).toBe('SOLD_OUT');
    expect((await createPacket(o)).available_seats).toBeNull();
  });
});
