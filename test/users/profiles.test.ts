import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import { newUserId, tokenFor } from '../support/tokens.ts';

afterAll(stopApi);

const UM = '/api/user-manager';
const email = (tag = 'u') => `${tag}-${randomUUID()}@tix.test`;

async function createProfile(body: Record<string, unknown>, path = `${UM}/users`) {
  const { token } = await tokenFor('serviciu_clienti');
  return call('POST', path, { body, token });
}

/** A registered-looking client: profile created by the service account, token for that identity. */
async function client(extra: Record<string, unknown> = {}) {
  const id = newUserId();
  const mail = email('client');
  const res = await createProfile({ id, email: mail, first_name: '', last_name: '', ...extra });
  expect(res.status).toBe(201);
  const { token } = await tokenFor('client', id, mail);
  return { id, email: mail, token };
}

describe('U1 POST /users: create a profile', () => {
  it('the service account creates a profile as registration does: 201 {"user"} with links', async () => {
    const id = newUserId();
    const mail = email();
    const res = await createProfile({ id, email: mail, first_name: '', last_name: '' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ id, email: mail, first_name: '', last_name: '', first_name_private: false, last_name_private: false });
    expect(res.body.user).not.toHaveProperty('ticket_list');
    expect(res.body.user).not.toHaveProperty('social_media_links');
    const links = res.body.user._links;
    expect(Object.keys(links).sort()).toEqual(['create-ticket', 'delete', 'events', 'packets', 'self', 'tickets', 'update']);
    expect(links.self).toMatchObject({ rel: 'self', method: 'GET', title: 'Get this resource' });
    expect(new URL(links.self.href).pathname).toBe(`${UM}/users/${id}`);
    expect(new URL(links.events.href).pathname + new URL(links.events.href).search).toBe(`/api/event-manager/events?owner_id=${id}`);
    expect(new URL(links.packets.href).pathname + new URL(links.packets.href).search).toBe(`/api/event-manager/event-packets?owner_id=${id}`);
    expect(new URL(links.tickets.href).pathname).toBe(`${UM}/clients/${id}/tickets`);
    expect(links['create-ticket'].method).toBe('POST');
  });

  it('with the trailing-slash path and optional fields', async () => {
    const id = newUserId();
    const res = await createProfile({ id, email: email(), first_name: 'Ana', last_name: 'Pop', social_media_links: 'https://x.example/ana' }, `${UM}/users/`);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ first_name: 'Ana', last_name: 'Pop', social_media_links: 'https://x.example/ana' });
  });

  it('clients, owners and admin may not create profiles (F5; ids come from the IDM only); no token → 401', async () => {
    for (const role of ['client', 'owner-event', 'admin'] as const) {
      const { token } = await tokenFor(role);
      const res = await call('POST', `${UM}/users`, { body: { id: newUserId(), email: email() }, token });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    const anonymous = await call('POST', `${UM}/users`, { body: { id: newUserId(), email: email() } });
    expect(anonymous.status).toBe(401);
  });

  it('a duplicate id → 409 "user with <email> already exists"', async () => {
    const id = newUserId();
    expect((await createProfile({ id, email: email() })).status).toBe(201);
    const second = email();
    const res = await createProfile({ id, email: second });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: `user with ${second} already exists`, code: 'USER_EXISTS' });
  });

  it('a duplicate e-mail (any case) → 409, and the e-mail stays with the first profile', async () => {
    const mail = email('dup');
    const first = newUserId();
    expect((await createProfile({ id: first, email: mail })).status).toBe(201);
    const res = await createProfile({ id: newUserId(), email: mail.toUpperCase() });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe(`user with ${mail.toUpperCase()} already exists`);
  });

  it('concurrent creations with one e-mail: exactly one wins (no unique index needed)', async () => {
    const mail = email('race');
    const results = await Promise.all(Array.from({ length: 8 }, () => createProfile({ id: newUserId(), email: mail })));
    expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([201, ...Array(7).fill(409)]);
  });

  it('concurrent creations with one id: exactly one wins', async () => {
    const id = newUserId();
    const results = await Promise.all(Array.from({ length: 6 }, () => createProfile({ id, email: email('idrace') })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it.each([
    [{ email: 'a@b.ro' }, 422, "validation error on field 'id': is required"],
    [{ id: 0, email: 'a@b.ro' }, 422, "validation error on field 'id': must be greater than 0"],
    [{ id: '5', email: 'a@b.ro' }, 400, "invalid value for field 'id' (expected number)"],
    [{ id: 5 }, 422, "validation error on field 'email': Email is required"],
    [{ id: 5, email: 'not-an-email' }, 422, "validation error on field 'email': Invalid email format"],
    [{ id: 5, email: 'a@b.ro', first_name: 'x'.repeat(101) }, 422, "validation error on field 'first_name': First name too long (max 100 characters)"],
    [{ id: 5, email: 'a@b.ro', last_name: 'x'.repeat(101) }, 422, "validation error on field 'last_name': Last name too long (max 100 characters)"],
    [{ id: 5, email: 'a@b.ro', social_media_links: '  ' }, 422, "validation error on field 'social_media_links': Social media links cannot be empty string"],
    [{ id: 5, email: 'a@b.ro', first_name_private: true }, 400, 'json: unknown field "first_name_private"'],
  ])('bad input %j → %i', async (body, status, message) => {
    const res = await createProfile(body);
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(message);
    expect(typeof res.body.code).toBe('string');
  });

  it('malformed JSON → 400', async () => {
    const { token } = await tokenFor('serviciu_clienti');
    const res = await call('POST', `${UM}/users`, { raw: '{"id":', token, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
  });
});

describe('U2 GET /users/{id}', () => {
  it('self sees the profile', async () => {
    const me = await client({ first_name: 'Ion' });
    const res = await call('GET', `${UM}/users/${me.id}`, { token: me.token });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: me.id, email: me.email, first_name: 'Ion' });
  });

  it('admin sees any profile; another user gets 403; unknown id → 404 (for self/admin)', async () => {
    const me = await client();
    const admin = await tokenFor('admin');
    expect((await call('GET', `${UM}/users/${me.id}`, { token: admin.token })).status).toBe(200);
    const other = await tokenFor('client');
    const res = await call('GET', `${UM}/users/${me.id}`, { token: other.token });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'forbidden: user not authorized to view user', code: 'FORBIDDEN' });
    const missing = newUserId();
    const notFound = await call('GET', `${UM}/users/${missing}`, { token: admin.token });
    expect(notFound.status).toBe(404);
    expect(notFound.body).toEqual({ error: `user with ID ${missing} not found`, code: 'NOT_FOUND' });
  });

  it('bad ids and missing tokens', async () => {
    const { token } = await tokenFor('admin');
    expect((await call('GET', `${UM}/users/abc`, { token })).status).toBe(400);
    const zero = await call('GET', `${UM}/users/0`, { token });
    expect(zero.status).toBe(422);
    expect(zero.body.error).toBe("validation error on field 'id': must be greater than 0");
    expect((await call('GET', `${UM}/users/1`)).status).toBe(401);
    expect((await call('GET', `${UM}/users/1`, { token: 'garbage' })).status).toBe(401);
  });
});

describe('U3 PATCH /users/{id}', () => {
  it('self edits names, links and privacy flags; {} changes nothing', async () => {
    const me = await client();
    const res = await call('PATCH', `${UM}/users/${me.id}`, {
      token: me.token,
      body: { first_name: 'Maria', last_name: 'Ionescu', social_media_links: 'https://s.example/m', first_name_private: true },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ first_name: 'Maria', last_name: 'Ionescu', social_media_links: 'https://s.example/m', first_name_private: true, last_name_private: false });
    const unchanged = await call('PATCH', `${UM}/users/${me.id}`, { token: me.token, body: {} });
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.user).toEqual(res.body.user);
    const reread = await call('GET', `${UM}/users/${me.id}`, { token: me.token });
    expect(reread.body.user).toEqual(res.body.user);
  });

  it('another user → 403; admin may; unknown → 404', async () => {
    const me = await client();
    const other = await tokenFor('owner-event');
    const res = await call('PATCH', `${UM}/users/${me.id}`, { token: other.token, body: { first_name: 'X' } });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('forbidden: user not authorized to edit user');
    const admin = await tokenFor('admin');
    expect((await call('PATCH', `${UM}/users/${me.id}`, { token: admin.token, body: { last_name: 'Admin-set' } })).body.user.last_name).toBe('Admin-set');
    expect((await call('PATCH', `${UM}/users/${newUserId()}`, { token: admin.token, body: { last_name: 'Y' } })).status).toBe(404);
  });

  it.each([
    [{ first_name: '   ' }, 422, "validation error on field 'first_name': First name cannot be empty"],
    [{ first_name: '' }, 422, "validation error on field 'first_name': First name cannot be empty"],
    [{ last_name: ' ' }, 422, "validation error on field 'last_name': Last name cannot be empty"],
    [{ last_name: 'x'.repeat(101) }, 422, "validation error on field 'last_name': Last name too long (max 100 characters)"],
    [{ social_media_links: '' }, 422, "validation error on field 'social_media_links': Social media links cannot be empty string"],
    [{ social_media_links: 'x'.repeat(501) }, 422, "validation error on field 'social_media_links': must be at most 500 characters long"],
    [{ email: 'nope' }, 422, "validation error on field 'email': Invalid email format"],
    [{ first_name: 'Ana\u0000' }, 422, "validation error on field 'first_name': First name must not contain control or bidirectional-override characters"],
    [{ last_name: 'evil\u202Egnp.exe' }, 422, "validation error on field 'last_name': Last name must not contain control or bidirectional-override characters"],
    [{ social_media_links: 'javascript:alert(1)' }, 422, "validation error on field 'social_media_links': must be an http or https URL"],
    [{ first_name_private: 'yes' }, 400, "invalid value for field 'first_name_private' (expected boolean)"],
    [{ id: 7 }, 400, 'json: unknown field "id"'],
    [{ ticket_list: [] }, 400, 'json: unknown field "ticket_list"'],
  ])('bad input %j → %i', async (body, status, message) => {
    const me = await client();
    const res = await call('PATCH', `${UM}/users/${me.id}`, { token: me.token, body });
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(message);
  });
});

describe('U4 DELETE /users/{id}', () => {
  it('self deletes the account: 200 with the deleted user, the token is revoked, the profile gone, the e-mail free', async () => {
    const me = await client({ last_name: 'Gone' });
    const res = await call('DELETE', `${UM}/users/${me.id}`, { token: me.token });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: me.id, email: me.email, last_name: 'Gone' });
    expect((await call('GET', `${UM}/users/${me.id}`, { token: me.token })).status).toBe(401);
    const admin = await tokenFor('admin');
    expect((await call('GET', `${UM}/users/${me.id}`, { token: admin.token })).status).toBe(404);
    expect((await call('DELETE', `${UM}/users/${me.id}`, { token: admin.token })).status).toBe(404);
    expect((await createProfile({ id: newUserId(), email: me.email })).status).toBe(201);
  });

  it('another user → 403 and the profile stays; admin may delete', async () => {
    const me = await client();
    const other = await tokenFor('client');
    const res = await call('DELETE', `${UM}/users/${me.id}`, { token: other.token });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('forbidden: user not authorized to delete user');
    expect((await call('GET', `${UM}/users/${me.id}`, { token: me.token })).status).toBe(200);
    const admin = await tokenFor('admin');
    expect((await call('DELETE', `${UM}/users/${me.id}`, { token: admin.token })).status).toBe(200);
  });
});
