import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import { type Caller, closeDb, createEvent, createPacket, EM, expectStatus, owner } from './support.ts';

afterAll(async () => {
  await stopApi();
  await closeDb();
});

/** E5 and P5 take the same parameters (CONTRACT F11, F17); every case runs on both lists. */
const LISTS = [
  { path: `${EM}/events`, key: 'events', seats: 'seats', create: createEvent },
  { path: `${EM}/event-packets`, key: 'event_packets', seats: 'allocated_seats', create: createPacket },
] as const;

for (const list of LISTS) {
  describe(`GET ${list.path}`, () => {
    const marker = `m${randomBytes(5).toString('hex')}`;
    let o: Caller;
    const names: Record<string, string> = {};
    const get = (query: string) => call('GET', `${list.path}?${query}`);
    const namesOf = (res: { body: Record<string, Array<{ name: string }>> }) => res.body[list.key]!.map((x) => x.name);
    const mine = () => `owner_id=${o.userId}`;

    beforeAll(async () => {
      o = await owner();
      const rows: Array<[string, number | null, Record<string, string>]> = [
        ['alpha', 30, { location: 'Cluj-Napoca', description: 'Rock night' }],
        ['beta 100% real', 10, {}],
        ['gamma 100 real', null, {}],
        ['delta a_b', 20, {}],
        ['epsilon axb', 5, {}],
        ['zeta c\\d', 40, {}],
      ];
      for (const [word, seats, extra] of rows) {
        const name = `${marker} ${word}`;
        names[word.split(' ')[0]!] = name;
        await list.create(o, { name, ...(seats === null ? {} : { [list.seats]: seats }), ...extra });
      }
    });

    it('defaults: page 1, 10 per page, id order, total_items, links of a single page', async () => {
      const res = expectStatus(await get(mine()), 200);
      expect(namesOf(res)).toEqual(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'].map((w) => names[w]));
      expect(res.body._metadata).toEqual({ page: 1, per_page: 10, total_items: 6, total_pages: 1 });
      expect(Object.keys(res.body._links)).toEqual(['create', 'first', 'self']);
      expect(res.body._links.create).toMatchObject({ method: 'POST', rel: 'create', title: 'Create a new resource' });
      expect(res.body._links.self.href).toMatch(new RegExp(`${list.path}\\?owner_id=${o.userId}&page=1&per_page=10$`));
      expect(Object.keys(res.body[list.key][0]._links)).toEqual(['delete', 'owner', 'parent', 'self', 'update']);
      expectStatus(await call('GET', `${list.path}/?${mine()}`), 200);
    });

    it('name / location / description: case-insensitive substrings', async () => {
      expect(namesOf(await get(`${mine()}&name=ALPHA`))).toEqual([names.alpha]);
      expect((await get(`name=${marker.toUpperCase()}`)).body._metadata.total_items).toBe(6);
      expect(namesOf(await get(`${mine()}&location=napoca`))).toEqual([names.alpha]);
      expect(namesOf(await get(`${mine()}&description=ROCK`))).toEqual([names.alpha]);
      // an empty filter matches every non-null value, as the original
      expect(namesOf(await get(`${mine()}&location=`))).toEqual([names.alpha]);
      expect((await get(`${mine()}&name=`)).body._metadata.total_items).toBe(6);
    });

    it('% _ and \\ are literal characters, not wildcards (F17)', async () => {
      expect(namesOf(await get(`${mine()}&name=${encodeURIComponent('100%')}`))).toEqual([names.beta]);
      expect(namesOf(await get(`${mine()}&name=${encodeURIComponent('%')}`))).toEqual([names.beta]);
      expect(namesOf(await get(`${mine()}&name=a_b`))).toEqual([names.delta]);
      expect(namesOf(await get(`${mine()}&name=_`))).toEqual([names.delta]);
      expect(namesOf(await get(`${mine()}&name=${encodeURIComponent('c\\d')}`))).toEqual([names.zeta]);
      expect(namesOf(await get(`${mine()}&name=${encodeURIComponent("' OR '1'='1")}`))).toEqual([]);
    });

    it(`min_seats / max_seats filter ${list.seats}; null never matches`, async () => {
      expect(namesOf(await get(`${mine()}&min_seats=20`))).toEqual([names.alpha, names.delta, names.zeta]);
      expect(namesOf(await get(`${mine()}&max_seats=10`))).toEqual([names.beta, names.epsilon]);
      expect(namesOf(await get(`${mine()}&min_seats=10&max_seats=20`))).toEqual([names.beta, names.delta]);
      expect(namesOf(await get(`${mine()}&min_seats=-5`))).toHaveLength(5);
    });

    it('order_by: name_asc, name_desc, seats_asc, seats_desc (null seats last)', async () => {
      const order = async (by: string) => namesOf(await get(`${mine()}&order_by=${by}`)).map((n) => n.split(' ')[1]);
      expect(await order('name_asc')).toEqual(['alpha', 'beta', 'delta', 'epsilon', 'gamma', 'zeta']);
      expect(await order('name_desc')).toEqual(['zeta', 'gamma', 'epsilon', 'delta', 'beta', 'alpha']);
      expect(await order('seats_asc')).toEqual(['epsilon', 'beta', 'delta', 'alpha', 'zeta', 'gamma']);
      expect(await order('seats_desc')).toEqual(['zeta', 'alpha', 'delta', 'beta', 'epsilon', 'gamma']);
    });

    it('owner_id keeps one owner\'s items', async () => {
      const other = await owner();
      await list.create(other, { name: `${marker} eta` });
      expect((await get(`name=${marker}`)).body._metadata.total_items).toBe(7);
      expect(namesOf(await get(`name=${marker}&owner_id=${other.userId}`))).toEqual([`${marker} eta`]);
    });

    it('pagination links carry the filters, order_by and owner_id, keys sorted', async () => {
      const res = expectStatus(await get(`${mine()}&order_by=name_asc&per_page=2&page=2&name=${marker}`), 200);
      expect(namesOf(res)).toEqual([names.delta, names.epsilon]);
      expect(res.body._metadata).toEqual({ page: 2, per_page: 2, total_items: 6, total_pages: 3 });
      expect(Object.keys(res.body._links)).toEqual(['create', 'first', 'last', 'next', 'prev', 'self']);
      const query = (page: number) => `${list.path}?name=${marker}&order_by=name_asc&owner_id=${o.userId}&page=${page}&per_page=2`;
      const base = res.body._links.self.href.slice(0, res.body._links.self.href.indexOf(list.path));
      expect(base).toMatch(/^https?:\/\/[^/]+$/);
      expect(res.body._links.self).toEqual({ href: base + query(2), rel: 'self', method: 'GET', title: 'Current page' });
      expect(res.body._links.first).toEqual({ href: base + query(1), rel: 'first', method: 'GET', title: 'First page' });
      expect(res.body._links.prev).toEqual({ href: base + query(1), rel: 'prev', method: 'GET', title: 'Previous page' });
      expect(res.body._links.next).toEqual({ href: base + query(3), rel: 'next', method: 'GET', title: 'Next page' });
      expect(res.body._links.last).toEqual({ href: base + query(3), rel: 'last', method: 'GET', title: 'Last page' });
      // following next and last gives the rest
      const next = await call('GET', new URL(res.body._links.next.href).pathname + new URL(res.body._links.next.href).search);
      expect(namesOf(next)).toEqual([names.gamma, names.zeta]);
    });

    it('a page past the end is empty but still counts; total_items 0 is present', async () => {
      const past = expectStatus(await get(`${mine()}&per_page=2&page=9`), 200);
      expect(past.body[list.key]).toEqual([]);
      expect(past.body._metadata).toEqual({ page: 9, per_page: 2, total_items: 6, total_pages: 3 });
      expect(Object.keys(past.body._links)).toEqual(['create', 'first', 'last', 'prev', 'self']);
      const none = expectStatus(await get(`name=${marker}-nothing`), 200);
      expect(none.body[list.key]).toEqual([]);
      expect(none.body._metadata).toEqual({ page: 1, per_page: 10, total_items: 0, total_pages: 1 });
      expect(Object.keys(none.body._links)).toEqual(['create', 'first', 'self']);
    });

    it('bounds: page ≥ 1 and 1 ≤ per_page ≤ 100 (422); non-integers and unknown parameters 400', async () => {
      for (const [query, status, field] of [
        ['per_page=0', 422, 'per_page'],
        ['per_page=101', 422, 'per_page'],
        ['per_page=-1', 422, 'per_page'],
        ['page=0', 422, 'page'],
        ['page=-2', 422, 'page'],
        ['page=99999999999999999', 400, 'page'],
        ['page=9007199254740993', 422, 'page'],
        ['owner_id=0', 422, 'owner_id'],
        ['order_by=id', 422, 'order_by'],
        ['order_by=name_asc;DROP', 422, 'order_by'],
        ['page=abc', 400, 'page'],
        ['page=', 400, 'page'],
        ['per_page=1.5', 400, 'per_page'],
        ['min_seats=ten', 400, 'min_seats'],
        ['owner_id=me', 400, 'owner_id'],
        ['packet_id=1', 400, 'packet_id'],
        ['Name=x', 400, 'Name'],
        [`name=${'x'.repeat(256)}`, 422, 'name'],
        [`description=${'x'.repeat(10_000)}`, 422, 'description'],
        ['name=a%00b', 422, 'name'],
      ] as const) {
        const res = await get(query);
        expect([res.status, res.body.field], query.slice(0, 40)).toEqual([status, field]);
      }
      const orderBy = await get('order_by=bogus');
      expect(orderBy.body).toMatchObject({ error: 'order_by: invalid order by. valid options: name_asc/desc, seats_asc/desc', code: 'VALIDATION_FAILED' });
      expect((await get(`${mine()}&per_page=100`)).status).toBe(200);
      expect((await get(`${mine()}&per_page=1&page=6`)).body[list.key]).toHaveLength(1);
      expect((await get(`${mine()}&page=9007199254740991&per_page=100`)).body[list.key]).toEqual([]);
    });

    it('property: a filter matches exactly the names that contain it, ignoring case', async () => {
      const p = await owner();
      const alphabet = fc.constantFrom('a', 'B', '%', '_', '\\', ' ');
      const stored = fc.sample(fc.string({ unit: alphabet, minLength: 1, maxLength: 6 }), { numRuns: 12, seed: 42 });
      const all = [...new Set(stored)].map((s, i) => `${i}:${s}`);
      for (const name of all) await list.create(p, { name: `${marker}${name}` });
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: alphabet, minLength: 1, maxLength: 3 }), async (filter) => {
          const res = await get(`owner_id=${p.userId}&per_page=100&name=${encodeURIComponent(filter)}`);
          const expected = all.map((n) => `${marker}${n}`).filter((n) => n.toLowerCase().includes(filter.toLowerCase()));
          expect(namesOf(res).sort()).toEqual(expected.sort());
        }),
        { numRuns: 40 },
      );
    });
  });
}
