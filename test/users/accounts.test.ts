import { afterAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import { buy, createEvent, owner, register, UM } from './support.ts';

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
