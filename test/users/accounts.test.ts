import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { applySchema } from '../../shared/ops/apply-schema.ts';
import { call, stopApi } from '../support/api.ts';
import { newUserId, tokenFor } from '../support/tokens.ts';
import { buy, client, createEvent, owner, register, UM } from './support.ts';

/** Accounts (issue 11, items 5–9), over HTTP against the local runtime. */

afterAll(stopApi);

describe('who may buy (tickets are a client thing; admin for anybody)', () => {
  it('an owner cannot buy, list or cancel tickets, not even on its own profile → 403', async () => {
    const seller = await owner();
    const eventId = await createEvent(seller, 5);
    const ownerAccount = await register('owner');

    const bought = await buy(ownerAccount, { event_id: eventId });
    expect([bought.status, bought.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await call('GET', `${UM}/clients/${ownerAccount.id}/tickets`, { token: ownerAccount.token })).status).toBe(403);
    expect((await call('DELETE', `${UM}/clients/${ownerAccount.id}/tickets/some-code`, { token: ownerAccount.token })).status).toBe(403);
    // Its own profile stays its own.
    expect((await call('GET', `${UM}/users/${ownerAccount.id}`, { token: ownerAccount.token })).status).toBe(200);
  });

  it('a client buys, lists and cancels its own', async () => {
    const eventId = await createEvent(await owner(), 5);
    const buyer = await register('client');
    const bought = await buy(buyer, { event_id: eventId });
    expect(bought.status, bought.text).toBe(201);
    expect((await call('GET', `${UM}/clients/${buyer.id}/tickets`, { token: buyer.token })).body.tickets).toHaveLength(1);
    expect((await call('DELETE', `${UM}/clients/${buyer.id}/tickets/${bought.body.ticket_code}`, { token: buyer.token })).status).toBe(200);
  });
});

describe('profile fields that cannot lie', () => {
  it("the e-mail is the identity's: a client cannot set it to the admin's (422 EMAIL_READ_ONLY); sending its own back is fine", async () => {
    const me = await register('client');
    const res = await call('PATCH', `${UM}/users/${me.id}`, { token: me.token, body: { email: 'admin@tix.local' } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: "validation error on field 'email': is the account's login e-mail and cannot be changed", code: 'EMAIL_READ_ONLY', field: 'email' });
    const admin = await tokenFor('admin');
    expect((await call('PATCH', `${UM}/users/${me.id}`, { token: admin.token, body: { email: `x-${randomUUID()}@tix-test.com` } })).status).toBe(422);
    const same = await call('PATCH', `${UM}/users/${me.id}`, { token: me.token, body: { email: me.email.toUpperCase(), first_name: 'Ana' } });
    expect(same.status, same.text).toBe(200);
    expect(same.body.user).toMatchObject({ email: me.email, first_name: 'Ana' });
  });

  it('profile ids come from the IDM only: an admin cannot create a profile, so it cannot pre-empt the id of a later registration', async () => {
    const admin = await tokenFor('admin');
    const before = await register('client');
    // The next ids the IDM will hand out (other test files register meanwhile, hence a range).
    const ids = Array.from({ length: 30 }, (_, i) => before.id + 1 + i);
    const created = await Promise.all(
      ids.map((id) => call('POST', `${UM}/users`, { token: admin.token, body: { id, email: `squat-${id}-${randomUUID()}@tix-test.com` } })),
    );
    expect(created.map((r) => r.status)).toEqual(ids.map(() => 403));
    const later = await register('client');
    expect(later.id).toBeGreaterThan(before.id);
  });

  it.each([
    ['first_name', 'Ana\u0000'],
    ['first_name', 'Ana\u0007'],
    ['last_name', 'nimda\u202E'],
    ['last_name', '\u2066Pop'],
  ])('%s with a control or bidi character → 422 naming the field, on create and on update', async (field, value) => {
    const service = await tokenFor('serviciu_clienti');
    const id = newUserId();
    const created = await call('POST', `${UM}/users`, { token: service.token, body: { id, email: `n-${id}@tix-test.com`, [field]: value } });
    expect([created.status, created.body.field]).toEqual([422, field]);
    const me = await client();
    const updated = await call('PATCH', `${UM}/users/${me.id}`, { token: me.token, body: { [field]: value } });
    expect([updated.status, updated.body.field]).toEqual([422, field]);
  });

  it('social_media_links: http and https URLs only', async () => {
    const me = await client();
    for (const link of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://x.example/a', 'vbscript:x', 'x.example/ana', 'https://', 'https://x.example/a b']) {
      const res = await call('PATCH', `${UM}/users/${me.id}`, { token: me.token, body: { social_media_links: link } });
      expect([res.status, res.body.field, res.body.error], link).toEqual([422, 'social_media_links', "validation error on field 'social_media_links': must be an http or https URL"]);
    }
    for (const link of ['https://x.example/ana', 'http://x.example/?q=1']) {
      expect((await call('PATCH', `${UM}/users/${me.id}`, { token: me.token, body: { social_media_links: link } })).status).toBe(200);
    }
    const service = await tokenFor('serviciu_clienti');
    const id = newUserId();
    const created = await call('POST', `${UM}/users`, { token: service.token, body: { id, email: `l-${id}@tix-test.com`, social_media_links: 'javascript:alert(1)' } });
    expect([created.status, created.body.field]).toEqual([422, 'social_media_links']);
  });
});

describe("the seeded admin's profile", () => {
  const adminLogin = async () => {
    const res = await call('POST', '/api/idm/auth/login', { body: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD } });
    expect(res.status, res.text).toBe(200);
    return { id: Number(res.body.user_id), token: res.body.token as string, email: res.body.email as string };
  };

  it('exists from start-up: its own profile and tickets answer 200; seeding again keeps it as edited', async () => {
    const admin = await adminLogin();
    const profile = await call('GET', `${UM}/users/${admin.id}`, { token: admin.token });
    expect(profile.status, profile.text).toBe(200);
    expect(profile.body.user).toMatchObject({ id: admin.id, email: process.env.ADMIN_EMAIL });
    expect((await call('GET', `${UM}/clients/${admin.id}/tickets`, { token: admin.token })).status).toBe(200);

    const name = `Root-${randomUUID().slice(0, 8)}`;
    expect((await call('PATCH', `${UM}/users/${admin.id}`, { token: admin.token, body: { first_name: name } })).status).toBe(200);
    await applySchema(); // what every start and every deploy runs
    expect((await call('GET', `${UM}/users/${admin.id}`, { token: admin.token })).body.user.first_name).toBe(name);
  });

  it('the admin cannot delete its own account (409, nothing touched) and can buy for itself', async () => {
    const admin = await adminLogin();
    const res = await call('DELETE', `${UM}/users/${admin.id}`, { token: admin.token });
    expect([res.status, res.body.code]).toEqual([409, 'ACCOUNT_FROM_CONFIGURATION']);
    expect((await call('GET', `${UM}/users/${admin.id}`, { token: admin.token })).status).toBe(200);
    const eventId = await createEvent(await owner(), 1);
    const bought = await call('POST', `${UM}/clients/${admin.id}/tickets`, { token: admin.token, body: { event_id: eventId } });
    expect(bought.status, bought.text).toBe(201);
  });
});
