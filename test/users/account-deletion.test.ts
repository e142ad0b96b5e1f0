import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAccount } from '../../shared/kernel/config.ts';
import { AppError } from '../../shared/kernel/errors.ts';
import { mongoDb } from '../../shared/kernel/mongo.ts';
import { accountUseCases } from '../../shared/users/application/accounts.ts';
import type { EventManagerClient, IdentityClient, ProfileRepository } from '../../shared/users/application/ports.ts';
import { HttpEventManagerClient } from '../../shared/users/infrastructure/event-manager-client.ts';
import { HttpIdentityClient } from '../../shared/users/infrastructure/identity-client.ts';
import { MongoProfileRepository } from '../../shared/users/infrastructure/mongo-profiles.ts';
import { SERVICE_TOKEN_ISSUER } from '../../shared/auth/service-token-issuer.ts';
import { invokeFunction } from '../../shared/kernel/invoke.ts';
import { CachingTokenProvider, serviceTokenIssuer } from '../../shared/users/infrastructure/service-token.ts';
import { freePort } from '../../infra/local/ports.ts';
import { postFrom, newClientIp } from '../idm/helpers.ts';
import { call, startApi, stopApi } from '../support/api.ts';
import { tokenFor } from '../support/tokens.ts';
import { type Actor, buy, client, createEvent, createPacket, EM, emTicket, owner, UM } from './support.ts';

/**
 * Deleting an account (CONTRACT F20) over HTTP, and the saga's failure paths: the use case with
 * real adapters (Mongo, the event manager and the IDM over HTTP), one of them failing part-way,
 * then the request repeated through the real API, which must finish the job.
 */

let baseUrl: string;
let profiles: MongoProfileRepository;

beforeAll(async () => {
  baseUrl = (await startApi()).url;
  profiles = new MongoProfileRepository(await mongoDb());
});
afterAll(stopApi);

interface Account extends Actor {
  password: string;
}

/** A real registration (identity + profile) and login. */
async function account(): Promise<Account> {
  const email = `acct-${randomUUID()}@tix-test.com`;
  const password = `pw-${randomUUID()}`;
  const registered = await call('POST', '/api/idm/auth/register', { body: { email, password, role: 'client' } });
  expect(registered.status, registered.text).toBe(201);
  const login = await call('POST', '/api/idm/auth/login', { body: { email, password } });
  expect(login.status, login.text).toBe(200);
  return { id: Number(login.body.user_id), email, password, token: login.body.token };
}

const login = (a: Account) => postFrom(newClientIp(), '/api/idm/auth/login', { email: a.email, password: a.password });
const reRegister = (a: Account) => call('POST', '/api/idm/auth/register', { body: { email: a.email, password: a.password, role: 'client' } });
const adminView = async (id: number) => call('GET', `${UM}/users/${id}`, { token: (await tokenFor('admin')).token });

/** An account holding `n` tickets of a fresh event with exactly `n` seats (sold out). */
async function holder(n: number) {
  const seller = await owner();
  const eventId = await createEvent(seller, n);
  const a = await account();
  const codes: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await buy(a, { event_id: eventId });
    expect(res.status, res.text).toBe(201);
    codes.push(res.body.ticket_code);
  }
  expect((await buy(await client(), { event_id: eventId })).status).toBe(422);
  return { a, seller, eventId, codes };
}

/**
 * Everything of the account is gone, its seats are free, and its e-mail can register again; its
 * token is revoked when it deleted itself (an admin's deletion revokes only what the admin holds).
 */
async function expectGone(h: Awaited<ReturnType<typeof holder>>, by: 'self' | 'admin' = 'self') {
  for (const code of h.codes) expect((await emTicket(code)).status).toBe(404);
  expect((await adminView(h.a.id)).status).toBe(404);
  expect((await login(h.a)).status).toBe(401);
  expect((await call('GET', `${UM}/users/${h.a.id}`, { token: h.a.token })).status).toBe(by === 'self' ? 401 : 404);
  const buyer = await client();
  for (const _ of h.codes) expect((await buy(buyer, { event_id: h.eventId })).status).toBe(201);
  const again = await reRegister(h.a);
  expect(again.status, again.text).toBe(201);
  expect(Number(again.body.user_id)).not.toBe(h.a.id);
}

async function failureOf(promise: Promise<unknown>): Promise<AppError | Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the deletion to fail');
}

describe('DELETE /users/{id}: the whole account', () => {
  it('self: tickets cancelled (seats free, the event deletable), profile and identity deleted, token revoked, e-mail free', async () => {
    const h = await holder(2);
    const packetOwner = await owner();
    const packetId = await createPacket(packetOwner, 1);
    const packetTicket = await buy(h.a, { packet_id: packetId });
    expect(packetTicket.status, packetTicket.text).toBe(201);

    const res = await call('DELETE', `${UM}/users/${h.a.id}`, { token: h.a.token });
    expect(res.status, res.text).toBe(200);
    expect(res.body.user).toMatchObject({ id: h.a.id, email: h.a.email });
    expect(res.body.user.ticket_list).toHaveLength(3);
    expect((await emTicket(packetTicket.body.ticket_code)).status).toBe(404);
    expect((await call('DELETE', `${EM}/event-packets/${packetId}`, { token: packetOwner.token })).status).toBe(200);
    await expectGone(h);
  });

  it('admin deletes somebody else: 200, and the admin stays logged in', async () => {
    const h = await holder(1);
    const admin = await tokenFor('admin');
    expect((await call('DELETE', `${UM}/users/${h.a.id}`, { token: admin.token })).status).toBe(200);
    await expectGone(h, 'admin');
    expect((await call('DELETE', `${UM}/users/${h.a.id}`, { token: admin.token })).status).toBe(404);
  });

  it('racing purchases: whatever order they land in, no seat stays sold to the deleted account', async () => {
    const seller = await owner();
    const eventId = await createEvent(seller, 6);
    const a = await account();
    expect((await buy(a, { event_id: eventId })).status).toBe(201);
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => buy(a, { event_id: eventId })),
      call('DELETE', `${UM}/users/${a.id}`, { token: a.token }),
    ]);
    expect(results.at(-1)!.status).toBe(200);
    for (const r of results.slice(0, -1)) expect([201, 401, 404]).toContain(r.status);
    // Purchases recorded before the profile closed were cancelled with it; later ones were undone.
    const buyer = await client();
    const after = await Promise.all(Array.from({ length: 6 }, () => buy(buyer, { event_id: eventId })));
    expect(after.map((r) => r.status)).toEqual(Array(6).fill(201));
  });

  it('another client → 403 and nothing changes', async () => {
    const h = await holder(1);
    const other = await tokenFor('client');
    expect((await call('DELETE', `${UM}/users/${h.a.id}`, { token: other.token })).status).toBe(403);
    expect((await login(h.a)).status).toBe(200);
    expect((await emTicket(h.codes[0]!)).status).toBe(200);
  });

  it('the service account cannot be deleted, not even by admin: 409, and it still logs in', async () => {
    const service = await call('POST', '/api/idm/auth/login', { body: await serviceAccount() });
    const admin = await tokenFor('admin');
    const res = await call('DELETE', `${UM}/users/${service.body.user_id}`, { token: admin.token });
    expect([res.status, res.body.code]).toEqual([409, 'ACCOUNT_FROM_CONFIGURATION']);
    expect((await call('POST', '/api/idm/auth/login', { body: await serviceAccount() })).status).toBe(200);
  });
});

describe('a failure part-way, then the same request again finishes the job', () => {
  const tokens = () => new CachingTokenProvider(
      serviceTokenIssuer({ invoke: (request) => invokeFunction({ module: SERVICE_TOKEN_ISSUER, functionName: undefined }, request), credentials: serviceAccount }),
    );
  function saga(replace: { profiles?: ProfileRepository; eventManager?: EventManagerClient; identities?: IdentityClient } = {}) {
    const provider = tokens();
    return accountUseCases({
      profiles: replace.profiles ?? profiles,
      eventManager: replace.eventManager ?? new HttpEventManagerClient(baseUrl, provider),
      identities: replace.identities ?? new HttpIdentityClient(baseUrl, provider),
    });
  }
  const self = (a: Account) => ({ userId: a.id, role: 'client' as const, email: a.email });
  const retry = (a: Account) => call('DELETE', `${UM}/users/${a.id}`, { token: a.token });

  it('the event manager fails after the first ticket: 503; the account is closed to purchases; the retry completes', async () => {
    const h = await holder(2);
    const real = new HttpEventManagerClient(baseUrl, tokens());
    let calls = 0;
    const flaky = Object.assign(Object.create(real) as EventManagerClient, {
      cancelTicket: async (code: string) => {
        if (++calls === 2) throw new AppError(503, 'UPSTREAM_UNAVAILABLE', 'event manager unavailable, try again later');
        return real.cancelTicket(code);
      },
    });
    const error = await failureOf(saga({ eventManager: flaky }).deleteAccount(self(h.a), h.a.id, h.a.token));
    expect((error as AppError).status).toBe(503);
    // Part-way: the identity is gone, one seat is free, the profile still lists both and takes no new ticket.
    expect((await login(h.a)).status).toBe(401);
    expect((await emTicket(h.codes[0]!)).status).toBe(404);
    expect((await emTicket(h.codes[1]!)).status).toBe(200);
    const closed = await buy(h.a, { event_id: h.eventId });
    expect(closed.status, closed.text).toBe(404);
    expect((await adminView(h.a.id)).body.user.ticket_list).toHaveLength(2);

    const again = await retry(h.a);
    expect(again.status, again.text).toBe(200);
    await expectGone(h);
  });

  it('the IDM is unreachable: 503 before any seat is freed; the retry completes', async () => {
    const h = await holder(1);
    const down = new HttpIdentityClient(`http://127.0.0.1:${await freePort()}`, tokens());
    const error = await failureOf(saga({ identities: down }).deleteAccount(self(h.a), h.a.id, h.a.token));
    expect([(error as AppError).status, (error as AppError).code]).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    expect((await emTicket(h.codes[0]!)).status).toBe(200);
    expect((await login(h.a)).status).toBe(200);

    expect((await retry(h.a)).status).toBe(200);
    await expectGone(h);
  });

  it('the profile store fails at the delete: the retry (identity already gone) completes', async () => {
    const h = await holder(1);
    const failing = Object.assign(Object.create(profiles) as ProfileRepository, {
      remove: async () => {
        throw new Error('profile store unavailable');
      },
    });
    expect((await failureOf(saga({ profiles: failing }).deleteAccount(self(h.a), h.a.id, h.a.token))).message).toBe('profile store unavailable');
    expect((await adminView(h.a.id)).status).toBe(200);

    const again = await retry(h.a);
    expect(again.status, again.text).toBe(200);
    expect(again.body.user).toMatchObject({ id: h.a.id });
    await expectGone(h);
  });

  it('revoking the token fails after the profile is gone: the retry revokes it (200, user null)', async () => {
    const h = await holder(1);
    const real = new HttpIdentityClient(baseUrl, tokens());
    const noRevoke = Object.assign(Object.create(real) as IdentityClient, {
      revokeToken: async () => {
        throw new AppError(503, 'UPSTREAM_UNAVAILABLE', 'identity service unavailable, try again later');
      },
    });
    expect((await failureOf(saga({ identities: noRevoke }).deleteAccount(self(h.a), h.a.id, h.a.token)) as AppError).status).toBe(503);
    expect((await call('GET', `${UM}/clients/${h.a.id}/tickets`, { token: h.a.token })).status).toBe(404);

    const again = await retry(h.a);
    expect([again.status, again.body.user]).toEqual([200, null]);
    await expectGone(h);
  });
});
