import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seatViolations, type Violation } from '../../shared/events/infrastructure/invariants.ts';
import { CONSTRAINT_REFUSAL } from '../../shared/events/infrastructure/pg-store.ts';
import { type ApiResponse, call, startApi, stopApi } from '../support/api.ts';
import {
  bind, type Caller, closeDb, createEvent, createPacket, db, EM, eventRow, expectNoDrift, expectStatus, inclusionPath, owner, packetRow, put,
  service, ticketCount, unique,
} from './support.ts';

/**
 * Races through the real HTTP path of the local runtime (gateway → handler → pg pool of 20): the
 * seat invariants hold while they run (sampled) and after them, and every count adds up.
 */

beforeAll(async () => {
  await startApi();
});
afterAll(async () => {
  await stopApi();
  await closeDb();
});

let s: Caller;
let o: Caller;
beforeAll(async () => {
  s = await service();
  o = await owner();
});

type Scope = { eventIds?: number[]; packetIds?: number[] };

/**
 * Starts every request at once and, until they have all answered, keeps checking the invariants
 * of `scope` (each check is one statement: one consistent snapshot of the committed state). The
 * rules alone must hold the line: no answer may come from the CHECK constraints (the backstop).
 */
async function race(scope: Scope, requests: Array<() => Promise<ApiResponse>>): Promise<ApiResponse[]> {
  let done = false;
  const violations: Violation[] = [];
  let samples = 0;
  const sampler = (async () => {
    while (!done) {
      violations.push(...(await seatViolations(db(), scope)));
      samples++;
    }
  })();
  try {
    const responses = await Promise.all(requests.map((request) => request()));
    expect(responses.filter((r) => r.status >= 500 || r.body?.error === CONSTRAINT_REFUSAL).map((r) => r.text)).toEqual([]);
    return responses;
  } finally {
    done = true;
    await sampler;
    expect(violations).toEqual([]);
    expect(samples).toBeGreaterThan(0);
    await expectNoDrift(scope);
  }
}

const times = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
const count = (responses: ApiResponse[], status: number, errorCode?: string) =>
  responses.filter((r) => r.status === status && (errorCode === undefined || r.body?.code === errorCode)).length;
/** The distinct outcomes: status, plus the error code of errors. */
const statuses = (responses: ApiResponse[]) => [...new Set(responses.map((r) => (r.status >= 400 ? `${r.status} ${r.body?.code}` : `${r.status}`)))].sort();

const buyEvent = (eventId: number) => () => put(s, unique('t'), { event_id: eventId });
const buyPacket = (packetId: number) => () => put(s, unique('t'), { packet_id: packetId });
const patch = (path: string, body: unknown) => () => call('PATCH', path, { token: o.token, body });

describe('races', () => {
  it('300 simultaneous buyers for 50 direct seats: exactly 50 tickets and 250 SOLD_OUT', async () => {
    const e = await createEvent(o, { seats: 50 });
    const responses = await race({ eventIds: [e.id] }, [
      ...times(150, () => buyEvent(e.id)),
      ...times(150, () => () => call('POST', `${EM}/tickets`, { token: s.token, body: { event_id: e.id } })),
    ]);
    expect(count(responses, 204) + count(responses, 201)).toBe(50);
    expect(count(responses, 422, 'SOLD_OUT')).toBe(250);
    for (const r of responses.filter((x) => x.status === 422)) {
      expect(r.body.error).toBe(`event '${e.name}' has no available seats (total: 50, direct tickets: 50, packet allocations: 0)`);
    }
    expect(await ticketCount({ eventId: e.id })).toBe(50);
    expect(await eventRow(e.id)).toMatchObject({ seats: 50, direct_sold: 50 });
  });

  it('150 buyers for a packet of 30: exactly 30', async () => {
    const e = await createEvent(o, { seats: 100 });
    const p = await createPacket(o, { allocated_seats: 30 });
    await bind(o, e.id, p.id);
    const responses = await race({ eventIds: [e.id], packetIds: [p.id] }, times(150, () => buyPacket(p.id)));
    expect([count(responses, 204), count(responses, 422, 'SOLD_OUT')]).toEqual([30, 120]);
    expect(await packetRow(p.id)).toMatchObject({ sold: 30 });
  });

  it('direct and packet sales racing on shared events', async () => {
    const [e1, e2] = [await createEvent(o, { seats: 60 }), await createEvent(o, { seats: 40 })];
    const [p1, p2] = [await createPacket(o, { allocated_seats: 20 }), await createPacket(o, { allocated_seats: 15 })];
    await bind(o, e1.id, p1.id);
    await bind(o, e2.id, p1.id);
    await bind(o, e1.id, p2.id);
    // direct capacity: e1 = 60 − 20 − 15 = 25, e2 = 40 − 20 = 20
    const requests = [
      ...times(60, () => ['e1', buyEvent(e1.id)] as const),
      ...times(50, () => ['e2', buyEvent(e2.id)] as const),
      ...times(40, () => ['p1', buyPacket(p1.id)] as const),
      ...times(30, () => ['p2', buyPacket(p2.id)] as const),
    ].sort(() => Math.random() - 0.5);
    const responses = await race({ eventIds: [e1.id, e2.id], packetIds: [p1.id, p2.id] }, requests.map(([, r]) => r));
    const won = (label: string) => responses.filter((r, i) => requests[i]![0] === label && r.status === 204).length;
    expect([won('e1'), won('e2'), won('p1'), won('p2')]).toEqual([25, 20, 20, 15]);
    expect(statuses(responses)).toEqual(['204', '422 SOLD_OUT']);
  });

  it('seat reductions racing purchases', async () => {
    const e = await createEvent(o, { seats: 100 });
    const p = await createPacket(o, { allocated_seats: 10 });
    await bind(o, e.id, p.id);
    const changes = [95, 80, 60, 120, 70, 50, 100, 45, 90];
    const requests = [...times(150, () => buyEvent(e.id)), ...changes.map((n) => patch(`${EM}/events/${e.id}`, { seats: n }))];
    const responses = await race({ eventIds: [e.id], packetIds: [p.id] }, requests);
    const patches = responses.slice(150);
    for (const r of patches) expect([200, 422]).toContain(r.status);
    for (const r of patches.filter((x) => x.status === 422)) expect(r.body.code).toBe('CAPACITY_EXCEEDED');
    const row = (await eventRow(e.id))!;
    const sold = count(responses.slice(0, 150), 204);
    expect(row.direct_sold).toBe(sold);
    expect(await ticketCount({ eventId: e.id })).toBe(sold);
    expect(row.direct_sold + row.packet_allocated).toBeLessThanOrEqual(row.seats);
    expect(statuses(responses.slice(0, 150)).filter((x) => x !== '204' && x !== '422 SOLD_OUT')).toEqual([]);
  });

  it('allocation changes racing direct and packet purchases', async () => {
    const e = await createEvent(o, { seats: 100 });
    const p = await createPacket(o, { allocated_seats: 10 });
    await bind(o, e.id, p.id);
    const allocations = [20, 30, 40, 5, 50, 60, 70, 80, 15];
    const requests = [
      ...times(120, () => buyEvent(e.id)),
      ...times(40, () => buyPacket(p.id)),
      ...allocations.map((n) => patch(`${EM}/event-packets/${p.id}`, { allocated_seats: n })),
    ];
    const responses = await race({ eventIds: [e.id], packetIds: [p.id] }, requests);
    expect(statuses(responses.slice(0, 160))).toEqual(['204', '422 SOLD_OUT']);
    for (const r of responses.slice(160)) {
      expect([200, 422]).toContain(r.status);
      if (r.status === 422) expect(r.body.code).toBe('CAPACITY_EXCEEDED');
    }
    const [event, packet] = [(await eventRow(e.id))!, (await packetRow(p.id))!];
    expect(event.direct_sold).toBe(count(responses.slice(0, 120), 204));
    expect(packet.sold).toBe(count(responses.slice(120, 160), 204));
    expect(event.packet_allocated).toBe(packet.allocated_seats);
    expect(event.direct_sold + packet.allocated_seats).toBeLessThanOrEqual(100);
    expect(packet.sold).toBeLessThanOrEqual(packet.allocated_seats);
  });

  it('inclusions racing direct purchases (F13 under concurrency)', async () => {
    const e = await createEvent(o, { seats: 100 });
    const packets = await Promise.all(times(4, () => createPacket(o, { allocated_seats: 30 })));
    const requests = [
      ...times(100, () => buyEvent(e.id)),
      ...packets.map((p) => () => call('POST', inclusionPath(e.id, p.id), { token: o.token, body: {} })),
    ];
    const responses = await race({ eventIds: [e.id], packetIds: packets.map((p) => p.id) }, requests);
    const bound = count(responses.slice(100), 201);
    const sold = count(responses.slice(0, 100), 204);
    for (const r of responses.slice(100)) expect([201, 422]).toContain(r.status);
    expect(sold + 30 * bound).toBeLessThanOrEqual(100);
    expect(await eventRow(e.id)).toMatchObject({ direct_sold: sold, packet_allocated: 30 * bound });
  });

  it('ten packets binding to one event at once: exactly as many as fit', async () => {
    const e = await createEvent(o, { seats: 100 });
    const packets = await Promise.all(times(10, () => createPacket(o, { allocated_seats: 30 })));
    const responses = await race(
      { eventIds: [e.id], packetIds: packets.map((p) => p.id) },
      packets.map((p) => () => call('POST', inclusionPath(e.id, p.id), { token: o.token, body: {} })),
    );
    expect([count(responses, 201), count(responses, 422, 'CAPACITY_EXCEEDED')]).toEqual([3, 7]);
    expect(await eventRow(e.id)).toMatchObject({ packet_allocated: 90 });
  });

  it('cancellations racing purchases of a sold-out event', async () => {
    const e = await createEvent(o, { seats: 30 });
    const codes = times(30, () => unique('t'));
    for (const code of codes) expectStatus(await put(s, code, { event_id: e.id }), 204);
    const requests = [
      ...codes.slice(0, 20).map((code) => () => call('DELETE', `${EM}/tickets/${code}`, { token: s.token })),
      ...times(60, () => buyEvent(e.id)),
    ];
    const responses = await race({ eventIds: [e.id] }, requests);
    expect(count(responses.slice(0, 20), 200)).toBe(20);
    const bought = count(responses.slice(20), 204);
    expect(bought).toBeLessThanOrEqual(20);
    expect(await ticketCount({ eventId: e.id })).toBe(10 + bought);
    expect(await eventRow(e.id)).toMatchObject({ direct_sold: 10 + bought });
  });

  it('repeated PUTs of one code: one ticket, one seat; one code for two targets: one wins, the rest 409', async () => {
    const [a, b] = [await createEvent(o, { seats: 10 }), await createEvent(o, { seats: 10 })];
    const code = unique('same');
    const same = await race({ eventIds: [a.id] }, times(50, () => () => put(s, code, { event_id: a.id })));
    expect(statuses(same)).toEqual(['204']);
    expect(await eventRow(a.id)).toMatchObject({ direct_sold: 1 });

    const contested = unique('contested');
    const requests = times(40, (i) => [i % 2 ? a.id : b.id, () => put(s, contested, { event_id: i % 2 ? a.id : b.id })] as const);
    const responses = await race({ eventIds: [a.id, b.id] }, requests.map(([, r]) => r));
    const winner = (await call('GET', `${EM}/tickets/${contested}`, { token: s.token })).body.event_id;
    responses.forEach((r, i) => expect(r.status).toBe(requests[i]![0] === winner ? 204 : 409));
    const rows = [(await eventRow(a.id))!, (await eventRow(b.id))!];
    expect(rows[0]!.direct_sold + rows[1]!.direct_sold).toBe(2);
  });

  it('ticket moves racing purchases on both sides', async () => {
    const [from, to] = [await createEvent(o, { seats: 20 }), await createEvent(o, { seats: 20 })];
    const p = await createPacket(o, { allocated_seats: 5 });
    const codes = times(20, () => unique('t'));
    for (const code of codes) expectStatus(await put(s, code, { event_id: from.id }), 204);
    const requests = [
      ...codes.slice(0, 12).map((code) => () => call('PATCH', `${EM}/tickets/${code}`, { token: s.token, body: { event_id: to.id } })),
      ...codes.slice(12, 20).map((code) => () => call('PATCH', `${EM}/tickets/${code}`, { token: s.token, body: { packet_id: p.id } })),
      ...times(30, () => buyEvent(from.id)),
      ...times(30, () => buyEvent(to.id)),
      ...times(5, () => buyPacket(p.id)),
    ];
    const responses = await race({ eventIds: [from.id, to.id], packetIds: [p.id] }, requests);
    expect(statuses(responses).filter((x) => !['200', '204', '422 SOLD_OUT'].includes(x))).toEqual([]);
    // each ticket is where its move's answer says: moved on 200, untouched otherwise
    const { rows } = await db().query('SELECT code, event_id, packet_id FROM tickets WHERE code = ANY($1)', [codes]);
    const where = new Map(rows.map((r) => [r.code, r.packet_id !== null ? `p${r.packet_id}` : `e${r.event_id}`]));
    codes.forEach((code, i) => {
      const moved = responses[i]!.status === 200;
      expect(where.get(code)).toBe(moved ? (i < 12 ? `e${to.id}` : `p${p.id}`) : `e${from.id}`);
    });
    const total = (await eventRow(from.id))!.direct_sold + (await eventRow(to.id))!.direct_sold + (await packetRow(p.id))!.sold;
    expect(total).toBe(20 + count(responses, 204));
  });

  it('deleting an event or packet racing its first sale: never both', async () => {
    const events = await Promise.all(times(15, () => createEvent(o, { seats: 5 })));
    const packets = await Promise.all(times(15, () => createPacket(o, { allocated_seats: 5 })));
    const requests = [
      ...events.flatMap((e) => [() => call('DELETE', `${EM}/events/${e.id}`, { token: o.token }), buyEvent(e.id)]),
      ...packets.flatMap((p) => [() => call('DELETE', `${EM}/event-packets/${p.id}`, { token: o.token }), buyPacket(p.id)]),
    ];
    const responses = await race({ eventIds: events.map((e) => e.id), packetIds: packets.map((p) => p.id) }, requests);
    for (let i = 0; i < responses.length; i += 2) {
      const [deletion, sale] = [responses[i]!, responses[i + 1]!];
      const outcome = `${deletion.status}/${sale.status}`;
      expect(['200/404', '422/204'], outcome).toContain(outcome);
      if (deletion.status === 422) expect(deletion.body.error).toMatch(/^cannot delete (event|packet) with sold tickets$/);
    }
  });

  it('an allocation racing the binding of an event without seats: never both (§9.5 on PATCH, F13)', async () => {
    const pairs = await Promise.all(times(15, async () => [await createEvent(o), await createPacket(o)] as const));
    const requests = pairs.flatMap(([e, p]) => [
      () => call('POST', inclusionPath(e.id, p.id), { token: o.token, body: {} }),
      patch(`${EM}/event-packets/${p.id}`, { allocated_seats: 5 }),
    ]);
    const responses = await race({ eventIds: pairs.map(([e]) => e.id), packetIds: pairs.map(([, p]) => p.id) }, requests);
    for (let i = 0; i < responses.length; i += 2) {
      const [binding, allocation] = [responses[i]!, responses[i + 1]!];
      const outcome = `${binding.status} ${binding.body?.code ?? ''}/${allocation.status} ${allocation.body?.code ?? ''}`;
      expect(['201 /422 NO_SEATS_DEFINED', '422 NO_SEATS_DEFINED/200 '], outcome).toContain(outcome);
    }
  });

  it('chaos: every kind of change at once, invariants hold throughout', async () => {
    const events = [await createEvent(o, { seats: 40 }), await createEvent(o, { seats: 30 }), await createEvent(o)];
    const packets = [await createPacket(o, { allocated_seats: 10 }), await createPacket(o), await createPacket(o, { allocated_seats: 5 })];
    await bind(o, events[0]!.id, packets[0]!.id);
    await bind(o, events[1]!.id, packets[2]!.id);
    await bind(o, events[2]!.id, packets[1]!.id);
    const sold = times(20, () => unique('t'));
    for (const [i, code] of sold.entries()) expectStatus(await put(s, code, { event_id: events[i % 2]!.id }), 204);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    const size = () => 1 + Math.floor(Math.random() * 60);
    const target = () => (Math.random() < 0.6 ? { event_id: pick(events).id } : { packet_id: pick(packets).id });
    const operations: Array<() => Promise<ApiResponse>> = [
      ...times(90, () => () => put(s, unique('t'), target())),
      ...sold.slice(0, 10).map((code) => () => call('DELETE', `${EM}/tickets/${code}`, { token: s.token })),
      ...sold.slice(10).map((code) => () => call('PATCH', `${EM}/tickets/${code}`, { token: s.token, body: target() })),
      ...times(15, () => patch(`${EM}/events/${pick(events).id}`, { seats: size() })),
      ...times(15, () => patch(`${EM}/event-packets/${pick(packets).id}`, { allocated_seats: size() })),
      ...times(15, () => () => call('POST', inclusionPath(pick(events).id, pick(packets).id), { token: o.token, body: {} })),
      ...times(10, () => () => call('DELETE', inclusionPath(pick(events).id, pick(packets).id), { token: o.token })),
    ].sort(() => Math.random() - 0.5);
    const responses = await race({ eventIds: events.map((e) => e.id), packetIds: packets.map((p) => p.id) }, operations);
    for (const r of responses) expect([200, 201, 204, 404, 409, 422], r.text).toContain(r.status);
  });
});

it('the drift check sees a counter that disagrees with the ticket rows (so a clean result means something)', async () => {
  const e = await createEvent(o, { seats: 5 });
  const p = await createPacket(o, { allocated_seats: 2 });
  await bind(o, e.id, p.id);
  expectStatus(await put(s, randomUUID(), { event_id: e.id }), 204);
  const client = await db().connect();
  try {
    await client.query('BEGIN');
    expect(await seatViolations(client, { eventIds: [e.id], packetIds: [p.id] })).toEqual([]);
    await client.query('UPDATE events SET direct_sold = 2, packet_allocated = 0 WHERE id = $1', [e.id]);
    await client.query('UPDATE "eventsPacket" SET sold = 1 WHERE id = $1', [p.id]);
    expect(await seatViolations(client, { eventIds: [e.id], packetIds: [p.id] })).toEqual([
      { kind: 'event', id: e.id, capacity: 5, recorded: { sold: 2, allocated: 0 }, actual: { sold: 1, allocated: 2 } },
      { kind: 'packet', id: p.id, capacity: 2, recorded: { sold: 1 }, actual: { sold: 0 } },
    ]);
    // a ticket row written behind the counters' back (the CHECK cannot see it): still caught
    await client.query('UPDATE events SET direct_sold = 1, packet_allocated = 2 WHERE id = $1', [e.id]);
    await client.query('UPDATE "eventsPacket" SET sold = 0 WHERE id = $1', [p.id]);
    for (let i = 0; i < 3; i++) await client.query('INSERT INTO tickets (code, event_id) VALUES ($1, $2)', [randomUUID(), e.id]);
    expect((await seatViolations(client, { eventIds: [e.id] })).map((v) => v.actual)).toEqual([{ sold: 4, allocated: 2 }]);
    // an allocation counted in an event without seats (no CHECK covers it): caught
    const seatless = await createEvent(o);
    const q = await createPacket(o);
    await bind(o, seatless.id, q.id);
    await client.query('UPDATE "eventsPacket" SET allocated_seats = 3 WHERE id = $1', [q.id]);
    await client.query('UPDATE events SET packet_allocated = 3 WHERE id = $1', [seatless.id]);
    expect(await seatViolations(client, { eventIds: [seatless.id], packetIds: [q.id] })).toEqual([
      { kind: 'event', id: seatless.id, capacity: null, recorded: { sold: 0, allocated: 3 }, actual: { sold: 0, allocated: 3 } },
    ]);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
  await expectNoDrift({ eventIds: [e.id], packetIds: [p.id] });
});

it('the schema refuses an oversold row even if the code were wrong: 23514, never a silent oversell', async () => {
  const e = await createEvent(o, { seats: 1 });
  await expect(db().query('UPDATE events SET direct_sold = 2 WHERE id = $1', [e.id])).rejects.toMatchObject({ code: '23514' });
  const p = await createPacket(o);
  await expect(db().query('UPDATE "eventsPacket" SET sold = 1 WHERE id = $1', [p.id])).rejects.toMatchObject({ code: '23514' });
});
