import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Identity } from '../../shared/auth/tokens.ts';
import { AppError } from '../../shared/kernel/errors.ts';
import { containsPattern } from '../../shared/events/domain/listing.ts';
import { pageNumbers, totalPages } from '../../shared/http/paging.ts';
import type { Event, Packet } from '../../shared/events/domain/model.ts';
import { mayManage, ownerChange, ownerOfNew, requireEventSeats, requireManager } from '../../shared/events/domain/ownership.ts';
import {
  allocationChangeRefusal,
  directSaleRefusal,
  eventDeletionRefusal,
  inclusionRefusal,
  packetDeletionRefusal,
  packetSaleRefusal,
  seatsChangeRefusal,
  unbindingRefusal,
} from '../../shared/events/domain/seats.ts';
import { lockOrder, TICKET_CODE, ticketTarget } from '../../shared/events/domain/tickets.ts';

const event = (over: Partial<Event> = {}): Event => ({
  id: 7, ownerId: 1, name: 'Rock', location: null, description: null, seats: 100, directSold: 0, packetAllocated: 0, ...over,
});
const packet = (over: Partial<Packet> = {}): Packet => ({
  id: 9, ownerId: 1, name: 'Pass', location: null, description: null, allocatedSeats: 10, sold: 0, ...over,
});
const who = (role: Identity['role'], userId = 1): Identity => ({ userId, role, email: 'x@y.z' });

/** The refusal's status, code and message (or undefined when allowed). */
const said = (error: AppError | undefined) => error && { status: error.status, code: error.code, message: error.message };

describe('seat rules (ORIGINAL §9, CONTRACT F13)', () => {
  it('§9.1 direct sale: no seats defined, sold out with the original numbers, or allowed', () => {
    expect(said(directSaleRefusal(event({ seats: null })))).toEqual({ status: 422, code: 'NO_SEATS_DEFINED', message: 'event 7 does not have seats defined' });
    expect(said(directSaleRefusal(event({ seats: 10, directSold: 4, packetAllocated: 6 })))).toEqual({
      status: 422,
      code: 'SOLD_OUT',
      message: "event 'Rock' has no available seats (total: 10, direct tickets: 4, packet allocations: 6)",
    });
    expect(directSaleRefusal(event({ seats: 10, directSold: 4, packetAllocated: 5 }))).toBeUndefined();
  });

  it('§9.2 packet sale: no allocation, sold out, or allowed', () => {
    expect(said(packetSaleRefusal(packet({ allocatedSeats: null })))).toEqual({
      status: 422, code: 'NO_SEATS_DEFINED', message: 'packet 9 does not have allocated seats defined',
    });
    expect(said(packetSaleRefusal(packet({ allocatedSeats: 3, sold: 3 })))).toEqual({
      status: 422, code: 'SOLD_OUT', message: "packet 'Pass' is sold out (3/3 tickets sold)",
    });
    expect(packetSaleRefusal(packet({ allocatedSeats: 3, sold: 2 }))).toBeUndefined();
  });

  it('§9.3 seats may not drop below direct tickets plus allocations; the boundary is allowed', () => {
    const e = event({ seats: 100, directSold: 30, packetAllocated: 20 });
    expect(seatsChangeRefusal(e, 50)).toBeUndefined();
    expect(seatsChangeRefusal(e, 500)).toBeUndefined();
    expect(said(seatsChangeRefusal(e, 49))).toEqual({
      status: 422,
      code: 'CAPACITY_EXCEEDED',
      message: 'cannot reduce seats to 49: total required is 50 (30 direct tickets sold + 20 allocated in packets)',
    });
  });

  it('§9.4 allocation: covers sold tickets, fits each including event with seats, own allocation not counted twice', () => {
    const p = packet({ allocatedSeats: 10, sold: 6 });
    expect(said(allocationChangeRefusal(p, [], 5))?.message).toBe('cannot reduce allocated_seats to 5: 6 tickets have already been sold for this packet');
    expect(allocationChangeRefusal(p, [], 6)).toBeUndefined();
    // event: 100 seats, 50 direct, packets 10 (this one) + 15 (others) → this one may grow to 35
    const e = event({ seats: 100, directSold: 50, packetAllocated: 25 });
    expect(allocationChangeRefusal(p, [e], 35)).toBeUndefined();
    expect(said(allocationChangeRefusal(p, [e], 36))?.message).toBe(
      "cannot allocate 36 seats: event 'Rock' only has 35 available seats (100 total - 50 sold - 15 in other packets)",
    );
    // the first failing event is the one reported
    const small = event({ id: 2, name: 'Small', seats: 12, packetAllocated: 10 });
    const smaller = event({ id: 3, name: 'Smaller', seats: 11, packetAllocated: 10 });
    expect(said(allocationChangeRefusal(p, [small, smaller], 13))?.message).toContain("event 'Small' only has 12");
    // the binding rule (§9.5, F13): an event without seats has nothing to allocate from
    expect(said(allocationChangeRefusal(packet({ allocatedSeats: null }), [event({ id: 1, seats: null }), small], 1))).toEqual({
      status: 422, code: 'NO_SEATS_DEFINED', message: "cannot allocate 1 seats: event 1 doesn't have seats defined",
    });
    // a packet without allocation yet: nothing of it is counted in the events
    expect(allocationChangeRefusal(packet({ allocatedSeats: null }), [event({ seats: 10, packetAllocated: 0 })], 10)).toBeUndefined();
  });

  it('F13 inclusion: no allocation always fits; otherwise it must fit the available seats', () => {
    expect(inclusionRefusal(event({ seats: null }), packet({ allocatedSeats: null }))).toBeUndefined();
    expect(said(inclusionRefusal(event({ seats: null }), packet({ allocatedSeats: 5 })))).toEqual({
      status: 422, code: 'NO_SEATS_DEFINED', message: "event 7 doesn't have seats defined, cannot be added to packet requiring 5 seats",
    });
    expect(said(inclusionRefusal(event({ seats: 4 }), packet({ allocatedSeats: 5 })))?.message).toBe('event has 4 seats but packet requires 5 allocated seats');
    // the original's rule (S ≥ A) passes, but direct sales and the other packets leave too little
    expect(said(inclusionRefusal(event({ seats: 100, directSold: 60, packetAllocated: 30 }), packet({ allocatedSeats: 11 })))).toEqual({
      status: 422,
      code: 'CAPACITY_EXCEEDED',
      message: "cannot allocate 11 seats: event 'Rock' only has 10 available seats (100 total - 60 sold - 30 in other packets)",
    });
    expect(inclusionRefusal(event({ seats: 100, directSold: 60, packetAllocated: 30 }), packet({ allocatedSeats: 10 }))).toBeUndefined();
  });

  it('F22: an event stays in a packet that has sold tickets', () => {
    expect(unbindingRefusal(event(), packet({ sold: 0 }))).toBeUndefined();
    expect(said(unbindingRefusal(event({ id: 3 }), packet({ name: 'Pass', sold: 1 })))).toEqual({
      status: 422, code: 'RESOURCE_IN_USE', message: "cannot remove event 3 from packet 'Pass': 1 ticket has been sold for the packet and use this event's seats",
    });
    expect(said(unbindingRefusal(event({ id: 3 }), packet({ name: 'Pass', sold: 2 })))?.message).toContain(': 2 tickets have been sold');
  });

  it('deletion is blocked by tickets first, then by inclusions', () => {
    expect(eventDeletionRefusal(event({ directSold: 1 }), true)?.message).toBe('cannot delete event with sold tickets');
    expect(eventDeletionRefusal(event(), true)?.message).toBe('cannot delete event included in packets');
    expect(eventDeletionRefusal(event(), false)).toBeUndefined();
    expect(packetDeletionRefusal(packet({ sold: 1 }), true)?.message).toBe('cannot delete packet with sold tickets');
    expect(packetDeletionRefusal(packet(), true)?.message).toBe('cannot delete packet that contains events');
    expect(packetDeletionRefusal(packet(), false)).toBeUndefined();
  });

  /**
   * The rules alone keep the invariants: any sequence of operations, each applied only when its
   * rule allows it, leaves every event and packet within its limits.
   */
  it('property: operations admitted by the rules never break the invariants', () => {
    type Op =
      | { op: 'sellDirect' | 'cancelDirect'; e: number }
      | { op: 'sellPacket' | 'cancelPacket'; p: number }
      | { op: 'seats'; e: number; n: number }
      | { op: 'allocate'; p: number; n: number }
      | { op: 'bind' | 'unbind'; e: number; p: number };
    const e = fc.nat(2);
    const p = fc.nat(2);
    const n = fc.integer({ min: 1, max: 30 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constantFrom('sellDirect' as const, 'cancelDirect' as const), e }),
      fc.record({ op: fc.constantFrom('sellPacket' as const, 'cancelPacket' as const), p }),
      fc.record({ op: fc.constant('seats' as const), e, n }),
      fc.record({ op: fc.constant('allocate' as const), p, n }),
      fc.record({ op: fc.constantFrom('bind' as const, 'unbind' as const), e, p }),
    );
    fc.assert(
      fc.property(fc.array(fc.option(n, { nil: null }), { minLength: 3, maxLength: 3 }), fc.array(fc.option(n, { nil: null }), { minLength: 3, maxLength: 3 }), fc.array(op, { maxLength: 80 }), (seats, allocations, ops) => {
        const events = seats.map((s, id) => event({ id, seats: s }));
        const packets = allocations.map((a, id) => packet({ id, allocatedSeats: a }));
        const bound = new Set<string>();
        const inEvent = (ei: number) => packets.filter((q) => bound.has(`${ei}:${q.id}`));
        for (const o of ops) {
          if (o.op === 'sellDirect' && !directSaleRefusal(events[o.e]!)) events[o.e]!.directSold++;
          if (o.op === 'cancelDirect' && events[o.e]!.directSold > 0) events[o.e]!.directSold--;
          if (o.op === 'sellPacket' && !packetSaleRefusal(packets[o.p]!)) packets[o.p]!.sold++;
          if (o.op === 'cancelPacket' && packets[o.p]!.sold > 0) packets[o.p]!.sold--;
          if (o.op === 'seats' && !seatsChangeRefusal(events[o.e]!, o.n)) events[o.e]!.seats = o.n;
          if (o.op === 'allocate') {
            const q = packets[o.p]!;
            const including = events.filter((x) => bound.has(`${x.id}:${q.id}`));
            if (!allocationChangeRefusal(q, including, o.n)) {
              for (const x of including) x.packetAllocated += o.n - (q.allocatedSeats ?? 0);
              q.allocatedSeats = o.n;
            }
          }
          if (o.op === 'bind' && !bound.has(`${o.e}:${o.p}`) && !inclusionRefusal(events[o.e]!, packets[o.p]!)) {
            bound.add(`${o.e}:${o.p}`);
            events[o.e]!.packetAllocated += packets[o.p]!.allocatedSeats ?? 0;
          }
          if (o.op === 'unbind' && bound.has(`${o.e}:${o.p}`) && !unbindingRefusal(events[o.e]!, packets[o.p]!)) {
            bound.delete(`${o.e}:${o.p}`);
            events[o.e]!.packetAllocated -= packets[o.p]!.allocatedSeats ?? 0;
          }
          for (const x of events) {
            expect(x.packetAllocated).toBe(inEvent(x.id).reduce((sum, q) => sum + (q.allocatedSeats ?? 0), 0));
            if (x.seats !== null) expect(x.directSold + x.packetAllocated).toBeLessThanOrEqual(x.seats);
            else expect(x.directSold + x.packetAllocated).toBe(0);
          }
          for (const q of packets) expect(q.sold).toBeLessThanOrEqual(q.allocatedSeats ?? 0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('ownership (CONTRACT F3, F4, F6)', () => {
  it('the owner or an admin may manage; anyone else gets the original 403 text', () => {
    expect(mayManage(who('owner-event', 5), 5)).toBe(true);
    expect(mayManage(who('owner-event', 6), 5)).toBe(false);
    expect(mayManage(who('admin', 6), 5)).toBe(true);
    expect(() => requireManager(who('owner-event', 6), 5, 'edit this event')).toThrow("forbidden: you don't have permission to edit this event");
  });

  it('F4: only the event\'s owner or an admin may use its seats', () => {
    expect(() => requireEventSeats(who('owner-event', 5), { id: 9, ownerId: 5 })).not.toThrow();
    expect(() => requireEventSeats(who('admin', 1), { id: 9, ownerId: 5 })).not.toThrow();
    expect(() => requireEventSeats(who('owner-event', 6), { id: 9, ownerId: 5 })).toThrow(
      "forbidden: you don't have permission to use the seats of event 9: it belongs to another owner",
    );
  });

  it('a new resource belongs to the caller; naming another owner is for admins only', () => {
    expect(ownerOfNew(who('owner-event', 5), undefined)).toBe(5);
    expect(ownerOfNew(who('owner-event', 5), null)).toBe(5);
    expect(ownerOfNew(who('owner-event', 5), 5)).toBe(5);
    expect(() => ownerOfNew(who('owner-event', 5), 6)).toThrow(expect.objectContaining({ status: 403 }));
    expect(ownerOfNew(who('admin', 1), 6)).toBe(6);
  });

  it('PATCH keeps the owner unless an admin changes it', () => {
    expect(ownerChange(who('owner-event', 5), 5, undefined, 'event')).toBeUndefined();
    expect(ownerChange(who('owner-event', 5), 5, 5, 'event')).toBeUndefined();
    expect(() => ownerChange(who('owner-event', 5), 5, 6, 'event')).toThrow("forbidden: you don't have permission to change the owner of this event");
    expect(ownerChange(who('admin', 1), 5, 6, 'event')).toBe(6);
  });
});

describe('listing', () => {
  it('total_pages is at least 1', () => {
    expect(totalPages(0, 10)).toBe(1);
    expect(totalPages(10, 10)).toBe(1);
    expect(totalPages(11, 10)).toBe(2);
  });

  it('pagination links as the original: prev after page 1, next before the last, last when several pages', () => {
    expect(pageNumbers(1, 0, 10)).toEqual({ self: 1, first: 1 });
    expect(pageNumbers(1, 25, 10)).toEqual({ self: 1, first: 1, next: 2, last: 3 });
    expect(pageNumbers(2, 25, 10)).toEqual({ self: 2, first: 1, prev: 1, next: 3, last: 3 });
    expect(pageNumbers(3, 25, 10)).toEqual({ self: 3, first: 1, prev: 2, last: 3 });
    expect(pageNumbers(9, 25, 10)).toEqual({ self: 9, first: 1, prev: 8, last: 3 });
  });

  it('filters are literal: %, _ and \\ are escaped', () => {
    expect(containsPattern('100%')).toBe('%100\\%%');
    expect(containsPattern('a_b')).toBe('%a\\_b%');
    expect(containsPattern('c\\d')).toBe('%c\\\\d%');
    expect(containsPattern('')).toBe('%%');
  });
});

describe('tickets', () => {
  it('exactly one target, with the original messages', () => {
    expect(ticketTarget({ event_id: 3 })).toEqual({ kind: 'event', id: 3 });
    expect(ticketTarget({ packet_id: 4, event_id: null })).toEqual({ kind: 'packet', id: 4 });
    expect(() => ticketTarget({})).toThrow('ticket must be associated with either a packet or an event');
    expect(() => ticketTarget({ event_id: null, packet_id: null })).toThrow('ticket must be associated with either a packet or an event');
    expect(() => ticketTarget({ event_id: 1, packet_id: 2 })).toThrow('ticket cannot be associated with both a packet and an event');
  });

  it('codes: 1..128 of [A-Za-z0-9._:-], never "." or ".."', () => {
    for (const ok of ['a', 'A.b_c:d-1', 'x'.repeat(128), crypto.randomUUID(), '...']) expect(TICKET_CODE.test(ok), ok).toBe(true);
    for (const bad of ['', 'x'.repeat(129), 'a b', 'a/b', "a'b", '%', '.', '..', 'é']) expect(TICKET_CODE.test(bad), bad).toBe(false);
  });

  it('lock order: events before packets, ascending ids', () => {
    const targets = [
      { kind: 'packet' as const, id: 1 },
      { kind: 'event' as const, id: 9 },
      { kind: 'packet' as const, id: 0 },
      { kind: 'event' as const, id: 2 },
    ];
    expect(targets.sort(lockOrder)).toEqual([
      { kind: 'event', id: 2 },
      { kind: 'event', id: 9 },
      { kind: 'packet', id: 0 },
      { kind: 'packet', id: 1 },
    ]);
  });
});
