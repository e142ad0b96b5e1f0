import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seatViolations } from '../../shared/events/infrastructure/invariants.ts';
import { CONSTRAINT_REFUSAL } from '../../shared/events/infrastructure/pg-store.ts';
import { type ApiResponse, call, startApi, stopApi } from '../support/api.ts';
import { client as newClient } from '../users/support.ts';
import { admin, type Caller, closeDb, db, EM, inclusionPath, owner, service, unique } from './support.ts';

/**
 * The seat promise for any sequence of calls, not only races (issue 11 item 4): random sequences of
 * create / patch seats / patch allocation / bind / unbind / sell / cancel / move / delete (events,
 * packets, profiles), sent through the real HTTP API by two owners, an admin, two clients and the
 * service account. After every step, straight in PostgreSQL:
 *  - every event's direct tickets plus its packets' allocations fit its seats (no seats: neither),
 *    every packet's tickets fit its allocation, every counter equals its rows (`seatViolations`);
 *  - a packet that had sold tickets before the step and still has after it includes at least the
 *    events it included before: a sold ticket never loses the seats it was sold with (F22);
 *  - no answer is a 5xx, and none came from the CHECK constraints (the rules hold the line alone).
 *
 * SEAT_PROPERTY_RUNS sets the number of sequences (default 200); a failure prints fast-check's seed
 * and path, which SEAT_PROPERTY_SEED and SEAT_PROPERTY_PATH replay.
 */

const RUNS = Number(process.env.SEAT_PROPERTY_RUNS ?? 200);
const SEED = process.env.SEAT_PROPERTY_SEED === undefined ? undefined : Number(process.env.SEAT_PROPERTY_SEED);
const UM = '/api/user-manager';

beforeAll(async () => {
  await startApi();
});
afterAll(async () => {
  await stopApi();
  await closeDb();
});

// ── the steps ────────────────────────────────────────────────────────────────────────────────

/** Who manages: owner 0, owner 1, or the admin. */
type Manager = 0 | 1 | 'admin';
/** Entities are named by index into what this sequence created so far (modulo its length). */
type Target = { kind: 'event' | 'packet'; index: number };

type Step =
  | { op: 'createEvent'; by: Manager; seats: number | null }
  | { op: 'createPacket'; by: Manager; allocation: number | null }
  | { op: 'patchSeats'; by: Manager; event: number; seats: number }
  | { op: 'patchAllocation'; by: Manager; packet: number; allocation: number }
  | { op: 'bind' | 'unbind'; by: Manager; event: number; packet: number }
  | { op: 'buy'; client: number; target: Target }
  | { op: 'sell'; target: Target }
  | { op: 'cancel'; ticket: number }
  | { op: 'move'; ticket: number; target: Target; by: 'service' | 'admin' }
  | { op: 'deleteEvent'; by: Manager; event: number }
  | { op: 'deletePacket'; by: Manager; packet: number }
  | { op: 'deleteProfile'; client: number };

// Mostly the first owner, so that most calls are allowed; the second owner's resources and calls
// (and the admin's) mix in other owners' seats (F4).
const creator = fc.constantFrom<Manager>(0, 0, 0, 0, 0, 0, 0, 1);
const manager = fc.constantFrom<Manager>(0, 0, 0, 0, 0, 0, 0, 0, 1, 'admin');
const index = fc.nat(5);
const target = fc.record({ kind: fc.constantFrom('event' as const, 'packet' as const), index });
const seats = fc.integer({ min: 1, max: 6 });
/** Without seats / allocation a third of the time. */
const maybeSeats = fc.option(seats, { nil: null, freq: 3 });

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('createEvent' as const), by: creator, seats: maybeSeats }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('createPacket' as const), by: creator, allocation: maybeSeats }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('patchSeats' as const), by: manager, event: index, seats }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('patchAllocation' as const), by: manager, packet: index, allocation: seats }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('bind' as const), by: manager, event: index, packet: index }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('unbind' as const), by: manager, event: index, packet: index }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('buy' as const), client: fc.nat(1), target }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('sell' as const), target }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('cancel' as const), ticket: index }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('move' as const), ticket: index, target, by: fc.constantFrom('service' as const, 'admin' as const) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('deleteEvent' as const), by: manager, event: index }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('deletePacket' as const), by: manager, packet: index }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('deleteProfile' as const), client: fc.nat(1) }), weight: 1 },
);

/** A sequence opens with a few events and packets (so the steps have something to act on). */
const sequence = fc.tuple(
  fc.array(fc.record({ op: fc.constant('createEvent' as const), by: creator, seats: maybeSeats }), { minLength: 1, maxLength: 2 }),
  fc.array(fc.record({ op: fc.constant('createPacket' as const), by: creator, allocation: maybeSeats }), { minLength: 1, maxLength: 2 }),
  fc.array(step, { minLength: 1, maxLength: 16 }),
).map(([events, packets, steps]): Step[] => [...events, ...packets, ...steps]);

/** The two oversells the probe found (issue 11 items 1 and 2), run first, before the random ones. */
const FOUND_BY_THE_PROBE: Step[][] = [
  // a 5-seat event in a packet that sells 2 tickets; the event is unbound; 5 direct sales follow
  [
    { op: 'createEvent', by: 0, seats: 5 },
    { op: 'createPacket', by: 0, allocation: 2 },
    { op: 'bind', by: 0, event: 0, packet: 0 },
    { op: 'buy', client: 0, target: { kind: 'packet', index: 0 } },
    { op: 'sell', target: { kind: 'packet', index: 0 } },
    { op: 'unbind', by: 0, event: 0, packet: 0 },
    ...[0, 1, 2, 3, 4].map((): Step => ({ op: 'sell', target: { kind: 'event', index: 0 } })),
    { op: 'deleteEvent', by: 0, event: 0 },
  ],
  // an event without seats in a packet without allocation; the allocation becomes 1 000 000
  [
    { op: 'createEvent', by: 0, seats: null },
    { op: 'createPacket', by: 0, allocation: null },
    { op: 'bind', by: 0, event: 0, packet: 0 },
    { op: 'patchAllocation', by: 0, packet: 0, allocation: 1_000_000 },
    { op: 'buy', client: 1, target: { kind: 'packet', index: 0 } },
  ],
];

// ── running one sequence ─────────────────────────────────────────────────────────────────────

interface Cast {
  owners: [Caller, Caller];
  admin: Caller;
  service: Caller;
  clients: Array<{ id: number; token: string }>;
}

interface World {
  events: number[];
  packets: number[];
  /** Codes of tickets sold in this sequence, with the client that bought each (if one did). */
  tickets: Array<{ code: string; buyer?: { id: number; token: string } }>;
  /** Inclusions made in this sequence ([event, packet]); unbinding picks among them. */
  bound: Array<[number, number]>;
}

const pick = <T>(items: readonly T[], i: number): T | undefined => (items.length ? items[i % items.length] : undefined);

/** What each kind of step did, over the whole run: proof the sequences reach the interesting states. */
const outcomes = new Map<string, number>();
const count = (step: Step, res: ApiResponse) => {
  const key = `${step.op} ${res.status}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
};

async function apply(cast: Cast, world: World, s: Step): Promise<ApiResponse | undefined> {
  const token = (by: Manager) => (by === 'admin' ? cast.admin : cast.owners[by]).token;
  const targetBody = (t: Target) => {
    const id = pick(t.kind === 'event' ? world.events : world.packets, t.index);
    return id === undefined ? undefined : t.kind === 'event' ? { event_id: id } : { packet_id: id };
  };
  switch (s.op) {
    case 'createEvent': {
      const res = await call('POST', `${EM}/events`, { token: token(s.by), body: { name: unique('prop-event'), seats: s.seats } });
      if (res.status === 201) world.events.push(res.body.event.id);
      return res;
    }
    case 'createPacket': {
      const res = await call('POST', `${EM}/event-packets`, { token: token(s.by), body: { name: unique('prop-packet'), allocated_seats: s.allocation } });
      if (res.status === 201) world.packets.push(res.body.event_packet.id);
      return res;
    }
    case 'patchSeats': {
      const id = pick(world.events, s.event);
      return id === undefined ? undefined : call('PATCH', `${EM}/events/${id}`, { token: token(s.by), body: { seats: s.seats } });
    }
    case 'patchAllocation': {
      // A packet that is (or was) in an event, if any: that is where allocations matter.
      const id = pick(world.bound, s.packet)?.[1] ?? pick(world.packets, s.packet);
      return id === undefined ? undefined : call('PATCH', `${EM}/event-packets/${id}`, { token: token(s.by), body: { allocated_seats: s.allocation } });
    }
    case 'bind': {
      const [e, p] = [pick(world.events, s.event), pick(world.packets, s.packet)];
      if (e === undefined || p === undefined) return undefined;
      const res = await call('POST', inclusionPath(e, p), { token: token(s.by), body: {} });
      if (res.status === 201) world.bound.push([e, p]);
      return res;
    }
    case 'unbind': {
      const [e, p] = pick(world.bound, s.event) ?? [];
      if (e === undefined || p === undefined) return undefined;
      return call('DELETE', inclusionPath(e, p), { token: token(s.by) });
    }
    case 'buy': {
      const body = targetBody(s.target);
      const buyer = cast.clients[s.client]!;
      if (!body) return undefined;
      const res = await call('POST', `${UM}/clients/${buyer.id}/tickets`, { token: buyer.token, body });
      if (res.status === 201) world.tickets.push({ code: res.body.ticket_code, buyer });
      return res;
    }
    case 'sell': {
      const body = targetBody(s.target);
      if (!body) return undefined;
      const code = `prop-${randomUUID()}`;
      const res = await call('PUT', `${EM}/tickets/${code}`, { token: cast.service.token, body });
      if (res.status === 204) world.tickets.push({ code });
      return res;
    }
    case 'cancel': {
      const ticket = pick(world.tickets, s.ticket);
      if (!ticket) return undefined;
      return ticket.buyer
        ? call('DELETE', `${UM}/clients/${ticket.buyer.id}/tickets/${ticket.code}`, { token: ticket.buyer.token })
        : call('DELETE', `${EM}/tickets/${ticket.code}`, { token: cast.service.token });
    }
    case 'move': {
      const [ticket, body] = [pick(world.tickets, s.ticket), targetBody(s.target)];
      if (!ticket || !body) return undefined;
      return call('PATCH', `${EM}/tickets/${ticket.code}`, { token: (s.by === 'admin' ? cast.admin : cast.service).token, body });
    }
    case 'deleteEvent': {
      const id = pick(world.events, s.event);
      return id === undefined ? undefined : call('DELETE', `${EM}/events/${id}`, { token: token(s.by) });
    }
    case 'deletePacket': {
      const id = pick(world.packets, s.packet);
      return id === undefined ? undefined : call('DELETE', `${EM}/event-packets/${id}`, { token: token(s.by) });
    }
    case 'deleteProfile': {
      const user = cast.clients[s.client]!;
      return call('DELETE', `${UM}/users/${user.id}`, { token: cast.admin.token });
    }
  }
}

/** Each packet's sold count and included events, as committed now (one statement). */
async function packetCoverage(packetIds: number[]): Promise<Map<number, { sold: number; events: number[] }>> {
  const { rows } = await db().query(
    `SELECT p.id, p.sold, coalesce(array_agg(i.event_id ORDER BY i.event_id) FILTER (WHERE i.event_id IS NOT NULL), '{}') AS events
     FROM "eventsPacket" p LEFT JOIN events_packet_inclusion i ON i.packet_id = p.id
     WHERE p.id = ANY($1::bigint[]) GROUP BY p.id`,
    [packetIds],
  );
  return new Map(rows.map((r) => [Number(r.id), { sold: Number(r.sold), events: r.events.map(Number) }]));
}

async function checkInvariants(world: World, before: Map<number, { sold: number; events: number[] }>, what: string) {
  expect(await seatViolations(db(), { eventIds: world.events, packetIds: world.packets }), what).toEqual([]);
  const after = await packetCoverage(world.packets);
  for (const [id, was] of before) {
    const now = after.get(id);
    if (was.sold > 0 && now && now.sold > 0) {
      expect(now.events, `${what}: packet ${id} with sold tickets lost events`).toEqual(expect.arrayContaining(was.events));
    }
  }
  return after;
}

async function runSequence(steps: Step[]) {
  const cast: Cast = {
    owners: [await owner(), await owner()],
    admin: await admin(),
    service: await service(),
    clients: [await newClient(), await newClient()],
  };
  const world: World = { events: [], packets: [], tickets: [], bound: [] };
  let coverage = new Map<number, { sold: number; events: number[] }>();
  for (const [i, s] of steps.entries()) {
    const res = await apply(cast, world, s);
    if (!res) continue;
    count(s, res);
    const what = `step ${i} ${JSON.stringify(s)} → ${res.status} ${res.text.slice(0, 300)}`;
    expect(res.status, what).toBeLessThan(500);
    if (res.status >= 400) {
      expect(res.body, what).toMatchObject({ error: expect.any(String), code: expect.any(String) });
      expect(res.body.error, what).not.toBe(CONSTRAINT_REFUSAL);
    }
    coverage = await checkInvariants(world, coverage, what);
  }
}

describe('seat invariants over random sequences of calls (property, through HTTP)', () => {
  it(`hold after every step of ${RUNS} random sequences`, { timeout: Math.max(300_000, RUNS * 3_000) }, async () => {
    await fc.assert(fc.asyncProperty(sequence, runSequence), {
      numRuns: RUNS,
      examples: FOUND_BY_THE_PROBE.map((steps) => [steps] as [Step[]]),
      seed: SEED,
      path: process.env.SEAT_PROPERTY_PATH,
      endOnFailure: process.env.SEAT_PROPERTY_SHRINK === '0',
    });
    // Not vacuous: the sequences sold, bound, re-allocated, unbound and cancelled for real, and met
    // the refusals of F22 and F13 (each happens many times in 200 sequences; a short replay need not).
    const reached = ['buy 201', 'sell 204', 'bind 201', 'unbind 200', 'unbind 422', 'patchAllocation 200', 'patchAllocation 422', 'patchSeats 200', 'cancel 200', 'move 200', 'deleteEvent 200'];
    if (RUNS >= 100 && !process.env.SEAT_PROPERTY_PATH) {
      for (const outcome of reached) expect(outcomes.get(outcome) ?? 0, `${outcome} in ${JSON.stringify(Object.fromEntries(outcomes))}`).toBeGreaterThan(0);
    }
  });
});
