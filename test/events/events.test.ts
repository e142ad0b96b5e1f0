import { afterAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import { admin, bind, client, closeDb, createEvent, createPacket, EM, eventRow, expectStatus, owner, put, service, unique } from './support.ts';

afterAll(async () => {
  await stopApi();
  await closeDb();
});

const eventPath = (id: number | string) => `${EM}/events/${id}`;

describe('E1 POST /events', () => {
  it('201 {"event": …} owned by the caller, nulls omitted, keys in the original order', async () => {
    const o = await owner();
    const name = unique('concert');
    const res = expectStatus(await call('POST', `${EM}/events`, { token: o.token, body: { name, location: 'Cluj', seats: 10 } }), 201);
    expect(Object.keys(res.body)).toEqual(['event']);
    expect(Object.keys(res.body.event)).toEqual(['id', 'id_owner', 'name', 'location', 'seats', 'available_seats', '_links']);
    expect(res.body.event).toMatchObject({ id_owner: o.userId, name, location: 'Cluj', seats: 10 });
    expect(Object.keys(res.body.event._links)).toEqual(['delete', 'owner', 'packets', 'parent', 'self', 'update']);
    expect(await eventRow(res.body.event.id)).toMatchObject({ name, id_owner: o.userId, seats: 10, description: null, direct_sold: 0, packet_allocated: 0 });
  });

  it('the trailing-slash alias works; location "" is kept (the original accepted it)', async () => {
    const o = await owner();
    const res = expectStatus(await call('POST', `${EM}/events/`, { token: o.token, body: { name: unique('slash'), location: '' } }), 201);
    expect(res.body.event.location).toBe('');
    expect(res.body.event).not.toHaveProperty('seats');
  });

  it('id_owner: the caller\'s own id is accepted, another id is 403, an admin may name any owner (F3)', async () => {
    const o = await owner();
    expectStatus(await call('POST', `${EM}/events`, { token: o.token, body: { name: unique('mine'), id_owner: o.userId } }), 201);
    const other = expectStatus(await call('POST', `${EM}/events`, { token: o.token, body: { name: unique('theirs'), id_owner: o.userId + 1 } }), 403);
    expect(other.body).toEqual({ error: 'forbidden: id_owner must be your own user id', code: 'FORBIDDEN' });
    const a = await admin();
    const byAdmin = expectStatus(await call('POST', `${EM}/events`, { token: a.token, body: { name: unique('assigned'), id_owner: o.userId } }), 201);
    expect(byAdmin.body.event.id_owner).toBe(o.userId);
  });

  it('a taken name is 409 with the original message', async () => {
    const o = await owner();
    const e = await createEvent(o);
    const res = expectStatus(await call('POST', `${EM}/events`, { token: o.token, body: { name: e.name } }), 409);
    expect(res.body).toEqual({ error: `event '${e.name}' already exists`, code: 'NAME_TAKEN' });
  });

  it('field rules: 422 naming the JSON field; wrong type or unknown field 400', async () => {
    const o = await owner();
    const cases: Array<[unknown, number, string]> = [
      [{}, 422, 'name'],
      [{ name: '' }, 422, 'name'],
      [{ name: 'x'.repeat(256) }, 422, 'name'],
      [{ name: unique(), location: 'x'.repeat(501) }, 422, 'location'],
      [{ name: unique(), description: 'x'.repeat(1001) }, 422, 'description'],
      [{ name: unique(), seats: 0 }, 422, 'seats'],
      [{ name: unique(), seats: -5 }, 422, 'seats'],
      [{ name: unique(), id_owner: 0 }, 422, 'id_owner'],
      [{ name: unique(), seats: '5' }, 400, 'seats'],
      [{ name: unique(), seats: 1.5 }, 400, 'seats'],
      [{ name: 42 }, 400, 'name'],
      [{ name: unique(), Seats: 5 }, 400, 'Seats'],
    ];
    for (const [body, status, field] of cases) {
      const res = await call('POST', `${EM}/events`, { token: o.token, body });
      expect([res.status, res.body.field], JSON.stringify(body)).toEqual([status, field]);
    }
    expect((await call('POST', `${EM}/events`, { token: o.token, body: { name: unique() } })).status).toBe(201);
    const seats = await call('POST', `${EM}/events`, { token: o.token, body: { name: unique(), seats: 0 } });
    expect(seats.body.error).toBe('seats: must be >= 1');
  });

  it('who wins: no token 401, then the role (403), then the body', async () => {
    expect((await call('POST', `${EM}/events`, { raw: '{bad' })).status).toBe(401);
    expect((await call('POST', `${EM}/events`, { token: 'garbage', body: { name: unique() } })).status).toBe(401);
    expect((await call('POST', `${EM}/events`, { token: (await client()).token, raw: '{bad' })).status).toBe(403);
    expect((await call('POST', `${EM}/events`, { token: (await service()).token, body: { name: unique() } })).status).toBe(403);
    const bad = await call('POST', `${EM}/events`, { token: (await owner()).token, raw: '{bad' });
    expect([bad.status, bad.body.code]).toEqual([400, 'MALFORMED_JSON']);
  });
});

describe('E2 GET /events/{id}', () => {
  it('is public and answers {"event": …}', async () => {
    const e = await createEvent(await owner(), { seats: 3, description: 'd' });
    const res = expectStatus(await call('GET', eventPath(e.id)), 200);
    expect(res.body.event).toMatchObject({ id: e.id, name: e.name, description: 'd', seats: 3 });
    expect(res.body.event).not.toHaveProperty('location');
  });

  it('404 `ID n not found`; a non-integer id 400, zero or negative 422', async () => {
    expect((await call('GET', eventPath(987654321))).body).toEqual({ error: 'ID 987654321 not found', code: 'NOT_FOUND' });
    expect((await call('GET', eventPath('abc'))).status).toBe(400);
    expect((await call('GET', eventPath(0))).status).toBe(422);
    expect((await call('GET', eventPath(-3))).status).toBe(422);
  });
});

describe('E3 PATCH /events/{id}', () => {
  it('the owner changes fields; null means unchanged; 200 with the re-read event', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 5, location: 'A' });
    const name = unique('renamed');
    const res = expectStatus(await call('PATCH', eventPath(e.id), { token: o.token, body: { name, location: null, seats: 8 } }), 200);
    expect(res.body.event).toMatchObject({ id: e.id, name, location: 'A', seats: 8, id_owner: o.userId });
  });

  it('others get 403, an admin may edit (F6); 404 comes before 403', async () => {
    const o = await owner();
    const e = await createEvent(o);
    const stranger = await owner();
    const res = expectStatus(await call('PATCH', eventPath(e.id), { token: stranger.token, body: { description: 'x' } }), 403);
    expect(res.body.error).toBe("forbidden: you don't have permission to edit this event");
    expect((await call('PATCH', eventPath(e.id), { token: (await admin()).token, body: { description: 'by admin' } })).body.event.description).toBe('by admin');
    expect((await call('PATCH', eventPath(987654321), { token: stranger.token, body: { description: 'x' } })).status).toBe(404);
  });

  it('no fields → 422 `no fields to update`, after the ownership check', async () => {
    const o = await owner();
    const e = await createEvent(o);
    for (const body of [{}, { seats: null, name: null }]) {
      const res = expectStatus(await call('PATCH', eventPath(e.id), { token: o.token, body }), 422);
      expect(res.body).toEqual({ error: 'no fields to update', code: 'NO_FIELDS_TO_UPDATE' });
    }
    expect((await call('PATCH', eventPath(e.id), { token: (await owner()).token, body: {} })).status).toBe(403);
  });

  it('id_owner: unchanged is fine, a transfer is 403 for owners and allowed for admins (F3)', async () => {
    const o = await owner();
    const e = await createEvent(o);
    expectStatus(await call('PATCH', eventPath(e.id), { token: o.token, body: { id_owner: o.userId } }), 200);
    const transfer = expectStatus(await call('PATCH', eventPath(e.id), { token: o.token, body: { id_owner: o.userId + 1 } }), 403);
    expect(transfer.body.error).toBe("forbidden: you don't have permission to change the owner of this event");
    const res = expectStatus(await call('PATCH', eventPath(e.id), { token: (await admin()).token, body: { id_owner: o.userId + 1 } }), 200);
    expect(res.body.event.id_owner).toBe(o.userId + 1);
    expect((await eventRow(e.id))!.id_owner).toBe(o.userId + 1);
  });

  it('§9.3: seats may not drop below direct tickets + allocations (the boundary is fine)', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 10 });
    const p = await createPacket(o, { allocated_seats: 3 });
    await bind(o, e.id, p.id);
    const s = await service();
    for (let i = 0; i < 2; i++) expectStatus(await put(s, unique('t'), { event_id: e.id }), 204);
    const res = expectStatus(await call('PATCH', eventPath(e.id), { token: o.token, body: { seats: 4 } }), 422);
    expect(res.body).toMatchObject({ error: 'cannot reduce seats to 4: total required is 5 (2 direct tickets sold + 3 allocated in packets)', code: 'CAPACITY_EXCEEDED', field: 'seats' });
    expectStatus(await call('PATCH', eventPath(e.id), { token: o.token, body: { seats: 5 } }), 200);
    expect((await eventRow(e.id))!.seats).toBe(5);
  });

  it('a rejected PATCH writes none of its fields', async () => {
    const o = await owner();
    const taken = await createEvent(o);
    const e = await createEvent(o, { seats: 2 });
    const s = await service();
    for (let i = 0; i < 2; i++) expectStatus(await put(s, unique('t'), { event_id: e.id }), 204);
    const before = await eventRow(e.id);
    expectStatus(await call('PATCH', eventPath(e.id), { token: o.token, body: { name: unique('n'), description: 'x', seats: 1 } }), 422);
    expectStatus(await call('PATCH', eventPath(e.id), { token: o.token, body: { name: taken.name, seats: 3 } }), 409);
    expect(await eventRow(e.id)).toEqual(before);
  });

  it('a taken name is 409 `name X already exists`', async () => {
    const o = await owner();
    const [a, b] = [await createEvent(o), await createEvent(o)];
    const res = expectStatus(await call('PATCH', eventPath(b.id), { token: o.token, body: { name: a.name } }), 409);
    expect(res.body).toEqual({ error: `name ${a.name} already exists`, code: 'NAME_TAKEN' });
  });

  it('body errors: unknown field / wrong type 400, limits 422', async () => {
    const o = await owner();
    const e = await createEvent(o);
    expect((await call('PATCH', eventPath(e.id), { token: o.token, body: { id: 5 } })).status).toBe(400);
    expect((await call('PATCH', eventPath(e.id), { token: o.token, body: { seats: true } })).status).toBe(400);
    expect((await call('PATCH', eventPath(e.id), { token: o.token, body: { name: '' } })).status).toBe(422);
    expect((await call('PATCH', eventPath(e.id), { token: o.token, raw: '' })).body.code).toBe('EMPTY_BODY');
  });
});

describe('E4 DELETE /events/{id}', () => {
  it('200 with the deleted event; it is gone afterwards', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 4 });
    const res = expectStatus(await call('DELETE', eventPath(e.id), { token: o.token }), 200);
    expect(res.body.event).toMatchObject({ id: e.id, name: e.name, seats: 4 });
    expect((await call('GET', eventPath(e.id))).status).toBe(404);
    expect(await eventRow(e.id)).toBeUndefined();
  });

  it('403 for others, allowed for an admin, 404 when missing', async () => {
    const e = await createEvent(await owner());
    const res = expectStatus(await call('DELETE', eventPath(e.id), { token: (await owner()).token }), 403);
    expect(res.body.error).toBe("forbidden: you don't have permission to delete this event");
    expectStatus(await call('DELETE', eventPath(e.id), { token: (await admin()).token }), 200);
    expect((await call('DELETE', eventPath(e.id), { token: (await admin()).token })).status).toBe(404);
  });

  it('blocked by sold tickets (checked first), then by inclusions; nothing is cascaded', async () => {
    const o = await owner();
    const e = await createEvent(o, { seats: 5 });
    const p = await createPacket(o);
    await bind(o, e.id, p.id);
    expectStatus(await put(await service(), unique('t'), { event_id: e.id }), 204);
    expect((await call('DELETE', eventPath(e.id), { token: o.token })).body).toEqual({ error: 'cannot delete event with sold tickets', code: 'RESOURCE_IN_USE' });
    const onlyIncluded = await createEvent(o, { seats: 5 });
    await bind(o, onlyIncluded.id, p.id);
    expect((await call('DELETE', eventPath(onlyIncluded.id), { token: o.token })).body).toEqual({
      error: 'cannot delete event included in packets',
      code: 'RESOURCE_IN_USE',
    });
    expect(await eventRow(e.id)).toMatchObject({ direct_sold: 1 });
  });
});
