import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAccount } from '../../shared/kernel/config.ts';
import { Deadline } from '../../shared/kernel/deadline.ts';
import { AppError } from '../../shared/kernel/errors.ts';
import { newRequestContext, runWithContext } from '../../shared/kernel/request-context.ts';
import { mongoDb } from '../../shared/kernel/mongo.ts';
import type { EventManagerClient, ProfileRepository } from '../../shared/users/application/ports.ts';
import { ticketUseCases } from '../../shared/users/application/tickets.ts';
import { DynamoIdempotencyStore, dynamoDocumentClient } from '../../shared/users/infrastructure/dynamo-idempotency.ts';
import { HttpEventManagerClient, upstreamUnavailable } from '../../shared/users/infrastructure/event-manager-client.ts';
import { MongoProfileRepository } from '../../shared/users/infrastructure/mongo-profiles.ts';
import { SERVICE_TOKEN_ISSUER } from '../../shared/auth/service-token-issuer.ts';
import { invokeFunction } from '../../shared/kernel/invoke.ts';
import { CachingTokenProvider, serviceTokenIssuer } from '../../shared/users/infrastructure/service-token.ts';
import { freePort } from '../../infra/local/ports.ts';
import { call, startApi, stopApi } from '../support/api.ts';
import { tokenFor } from '../support/tokens.ts';
import { type Actor, buy, client, createEvent, emTicket, owner, profileOf } from './support.ts';

/**
 * The purchase saga's failure paths, at use-case level with real adapters (Mongo, DynamoDB, the
 * event manager and the IDM over HTTP), one of them replaced by a failing one per test.
 */

let baseUrl: string;
let profiles: MongoProfileRepository;

beforeAll(async () => {
  baseUrl = (await startApi()).url;
  profiles = new MongoProfileRepository(await mongoDb());
});
afterAll(stopApi);

/** Real service tokens from the IDM's internal issuer (in-process locally), counting the logins. */
function countingTokens() {
  const login = serviceTokenIssuer({ invoke: (request) => invokeFunction({ module: SERVICE_TOKEN_ISSUER, functionName: undefined }, request), credentials: serviceAccount });
  const counter = { logins: 0 };
  const provider = new CachingTokenProvider(async () => {
    counter.logins++;
    return login();
  });
  return { provider, counter };
}

const idempotency = () => new DynamoIdempotencyStore(dynamoDocumentClient(), process.env.IDEMPOTENCY_TABLE!);

async function identity(actor: Actor) {
  return { userId: actor.id, role: 'client' as const, email: actor.email };
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the purchase to fail');
}

/** Appending tickets fails (the profile store is down after the sale); everything else is real. */
function failingAppends(times = Infinity): ProfileRepository {
  let failures = 0;
  return Object.assign(Object.create(profiles) as ProfileRepository, {
    appendTicket: async (...args: Parameters<ProfileRepository['appendTicket']>) => {
      if (failures++ < times) throw new Error('profile store unavailable');
      return profiles.appendTicket(...args);
    },
  });
}

describe('event manager down', () => {
  it('→ 503 UPSTREAM_UNAVAILABLE and the profile is unchanged', async () => {
    const closed = await freePort();
    const tokens = { token: async () => (await tokenFor('serviciu_clienti')).token, invalidate: () => {} };
    const eventManager = new HttpEventManagerClient(
      `http://127.0.0.1:${closed}`,
      tokens,
      { attemptTimeoutMs: 500, retries: 2, initialBackoffMs: 10, breakerThreshold: 5, breakerOpenMs: 10_000 },
    );
    const { buyTicket } = ticketUseCases({ profiles, eventManager, idempotency: idempotency(), maxTicketsPerBuyer: 10 });
    const buyer = await client();
    const before = await profileOf(buyer);

    const error = await failureOf(buyTicket(await identity(buyer), buyer.id, { event_id: 1 }));
    expect(error.status).toBe(503);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    // With a key as well; the record does not block a later retry.
    const keyed = await failureOf(buyTicket(await identity(buyer), buyer.id, { event_id: 1 }, randomUUID()));
    expect(keyed.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(await profileOf(buyer)).toEqual(before);
  });
});

describe('profile write failing after the ticket was created', () => {
  it('→ the ticket is deleted again in the event manager (compensation), 503, and the seat is free', async () => {
    const eventId = await createEvent(await owner(), 1);
    const buyer = await client();
    const code = randomUUID();
    const { provider } = countingTokens();
    const { buyTicket } = ticketUseCases({
      profiles: failingAppends(),
      eventManager: new HttpEventManagerClient(baseUrl, provider),
      idempotency: idempotency(), maxTicketsPerBuyer: 10,
      newCode: () => code,
    });

    const error = await failureOf(buyTicket(await identity(buyer), buyer.id, { event_id: eventId }));
    expect(error.status).toBe(503);
    expect(error.code).toBe('PURCHASE_NOT_RECORDED');
    expect((await emTicket(code)).status).toBe(404);
    expect((await profileOf(buyer)).ticket_list).toBeUndefined();
    // The only seat is free again: somebody else can buy it through the real API.
    expect((await buy(await client(), { event_id: eventId })).status).toBe(201);
  });

  it('with an Idempotency-Key, the retry after such a failure runs again with the same ticket code', async () => {
    const eventId = await createEvent(await owner(), 5);
    const buyer = await client();
    const offered: string[] = [];
    const { provider } = countingTokens();
    const { buyTicket } = ticketUseCases({
      profiles: failingAppends(1),
      eventManager: new HttpEventManagerClient(baseUrl, provider),
      idempotency: idempotency(), maxTicketsPerBuyer: 10,
      newCode: () => {
        offered.push(randomUUID());
        return offered.at(-1)!;
      },
    });
    const key = randomUUID();
    expect((await failureOf(buyTicket(await identity(buyer), buyer.id, { event_id: eventId }, key))).status).toBe(503);
    const retried = await buyTicket(await identity(buyer), buyer.id, { event_id: eventId }, key);
    expect(retried.response).toEqual({ status: 201, body: { ticket_code: offered[0] } });
    expect((await profileOf(buyer)).ticket_list).toEqual([{ event_id: eventId, code: offered[0] }]);
    expect((await emTicket(offered[0]!)).body).toMatchObject({ code: offered[0], event_id: eventId });
  });

  it('a profile deleted between sale and record → 404, and the ticket is deleted again', async () => {
    const eventId = await createEvent(await owner(), 3);
    const buyer = await client();
    const code = randomUUID();
    const vanishing = Object.assign(Object.create(profiles) as ProfileRepository, {
      appendTicket: async (id: number, entry: Parameters<ProfileRepository['appendTicket']>[1], limit: number) => {
        await profiles.remove(id);
        return profiles.appendTicket(id, entry, limit);
      },
    });
    const { provider } = countingTokens();
    const { buyTicket } = ticketUseCases({ profiles: vanishing, eventManager: new HttpEventManagerClient(baseUrl, provider), idempotency: idempotency(), maxTicketsPerBuyer: 10, newCode: () => code });
    const error = await failureOf(buyTicket(await identity(buyer), buyer.id, { event_id: eventId }));
    expect(error.status).toBe(404);
    expect((await emTicket(code)).status).toBe(404);
  });
});

describe('service token revoked mid-way', () => {
  it('the event manager answers 401 → one new login, and the purchase succeeds', async () => {
    const eventId = await createEvent(await owner(), 5);
    const buyer = await client();
    const { provider, counter } = countingTokens();
    const { buyTicket } = ticketUseCases({ profiles, eventManager: new HttpEventManagerClient(baseUrl, provider), idempotency: idempotency(), maxTicketsPerBuyer: 10 });

    const first = await buyTicket(await identity(buyer), buyer.id, { event_id: eventId });
    expect(first.response.status).toBe(201);
    expect(counter.logins).toBe(1);
    // Cached: no second login.
    await buyTicket(await identity(buyer), buyer.id, { event_id: eventId });
    expect(counter.logins).toBe(1);

    const revoked = await call('POST', '/api/idm/auth/revoke', { body: { token: await provider.token() } });
    expect(revoked.status, revoked.text).toBe(200);
    const third = await buyTicket(await identity(buyer), buyer.id, { event_id: eventId });
    expect(third.response.status).toBe(201);
    expect(counter.logins).toBe(2);
    expect((await profileOf(buyer)).ticket_list).toHaveLength(3);
  });
});

describe('cancel while the event manager is down', () => {
  it('→ 503 and the ticket stays listed (its seat still held); cancelling again later finishes the job', async () => {
    const eventId = await createEvent(await owner(), 2);
    const buyer = await client();
    const code = (await buy(buyer, { event_id: eventId })).body.ticket_code as string;
    const down = new HttpEventManagerClient(
      `http://127.0.0.1:${await freePort()}`,
      { token: async () => 'unused', invalidate: () => {} },
      { attemptTimeoutMs: 300, retries: 1, initialBackoffMs: 5, breakerThreshold: 5, breakerOpenMs: 10_000 },
    );
    const offline = ticketUseCases({ profiles, eventManager: down, idempotency: idempotency(), maxTicketsPerBuyer: 10 });
    const error = await failureOf(offline.cancelTicket(await identity(buyer), buyer.id, code));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect((await profileOf(buyer)).ticket_list).toEqual([{ event_id: eventId, code }]);
    expect((await emTicket(code)).status).toBe(200);

    const { provider } = countingTokens();
    const online = ticketUseCases({ profiles, eventManager: new HttpEventManagerClient(baseUrl, provider), idempotency: idempotency(), maxTicketsPerBuyer: 10 });
    expect(await online.cancelTicket(await identity(buyer), buyer.id, code)).toEqual({ code, event_id: eventId });
    expect((await emTicket(code)).status).toBe(404);
    expect((await profileOf(buyer)).ticket_list).toBeUndefined();
  });

  it('a profile write failing after the seat was freed: the entry stays, and a retried cancel completes', async () => {
    const eventId = await createEvent(await owner(), 2);
    const buyer = await client();
    const code = (await buy(buyer, { event_id: eventId })).body.ticket_code as string;
    const { provider } = countingTokens();
    const eventManager = new HttpEventManagerClient(baseUrl, provider);
    const failingPull = Object.assign(Object.create(profiles) as ProfileRepository, {
      removeTicket: async () => {
        throw new Error('profile store unavailable');
      },
    });
    await expect(ticketUseCases({ profiles: failingPull, eventManager, idempotency: idempotency(), maxTicketsPerBuyer: 10 }).cancelTicket(await identity(buyer), buyer.id, code)).rejects.toThrow();
    expect((await emTicket(code)).status).toBe(404);
    expect((await profileOf(buyer)).ticket_list).toEqual([{ event_id: eventId, code }]);
    await ticketUseCases({ profiles, eventManager, idempotency: idempotency(), maxTicketsPerBuyer: 10 }).cancelTicket(await identity(buyer), buyer.id, code);
    expect((await profileOf(buyer)).ticket_list).toBeUndefined();
  });
});

describe('one request deadline (issue 11, item 17)', () => {
  /** Runs `fn` as a request whose Lambda context reports `remainingMs` left. */
  const withRemaining = <T>(remainingMs: number, fn: () => Promise<T>) =>
    runWithContext(newRequestContext(undefined, { route: 'test' }, Deadline.fromContext({ getRemainingTimeInMillis: () => remainingMs })), fn);

  /** The real event manager, its sales delayed by `delayMs` and counted. */
  function slowEventManager(delayMs: number) {
    const real = new HttpEventManagerClient(baseUrl, countingTokens().provider);
    const counter = { sales: 0 };
    const slow: EventManagerClient = Object.assign(Object.create(real) as EventManagerClient, {
      sellTicket: async (...args: Parameters<EventManagerClient['sellTicket']>) => {
        counter.sales++;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return real.sellTicket(...args);
      },
    });
    return { slow, counter };
  }

  it('a concurrent duplicate (same Idempotency-Key) gets 409 quickly instead of waiting out the function', async () => {
    const eventId = await createEvent(await owner(), 5);
    const buyer = await client();
    const who = await identity(buyer);
    const { slow } = slowEventManager(3_000);
    const { buyTicket } = ticketUseCases({ profiles, eventManager: slow, idempotency: idempotency(), maxTicketsPerBuyer: 10 });
    const key = randomUUID();
    const first = withRemaining(10_000, () => buyTicket(who, buyer.id, { event_id: eventId }, key));
    await new Promise((resolve) => setTimeout(resolve, 200));

    let started = Date.now();
    const duplicate = await failureOf(withRemaining(10_000, () => buyTicket(who, buyer.id, { event_id: eventId }, key)));
    expect([duplicate.status, duplicate.code]).toEqual([409, 'IDEMPOTENCY_IN_PROGRESS']);
    expect(duplicate.message).toMatch(/purchase with this Idempotency-Key is in progress/);
    expect(Date.now() - started).toBeLessThan(2_800);

    // A request with less time left waits less: never past its own deadline.
    started = Date.now();
    const hurried = await failureOf(withRemaining(1_500, () => buyTicket(who, buyer.id, { event_id: eventId }, key)));
    expect(hurried.status).toBe(409);
    expect(Date.now() - started).toBeLessThan(1_000);

    expect((await first).response.status).toBe(201);
    expect((await profileOf(buyer)).ticket_list).toHaveLength(1);
  });

  it('a sale is not started without time to record it (or undo it): 503, nothing sold', async () => {
    const eventId = await createEvent(await owner(), 5);
    const buyer = await client();
    const who = await identity(buyer);
    const { slow, counter } = slowEventManager(0);
    const { buyTicket } = ticketUseCases({ profiles, eventManager: slow, idempotency: idempotency(), maxTicketsPerBuyer: 10 });
    const error = await failureOf(withRemaining(2_500, () => buyTicket(who, buyer.id, { event_id: eventId })));
    expect([error.status, error.code]).toEqual([503, 'DEADLINE_EXCEEDED']);
    expect(counter.sales).toBe(0);
    expect((await profileOf(buyer)).ticket_list).toBeUndefined();
    // With the usual time it goes through.
    expect((await withRemaining(10_000, () => buyTicket(who, buyer.id, { event_id: eventId }))).response.status).toBe(201);
  });

  it('a sale whose answer is lost in time is undone: the seat is free again', async () => {
    const eventId = await createEvent(await owner(), 1);
    const buyer = await client();
    const who = await identity(buyer);
    const code = randomUUID();
    const real = new HttpEventManagerClient(baseUrl, countingTokens().provider);
    const lost: EventManagerClient = Object.assign(Object.create(real) as EventManagerClient, {
      sellTicket: async (...args: Parameters<EventManagerClient['sellTicket']>) => {
        await real.sellTicket(...args); // sold …
        throw upstreamUnavailable(); // … but the answer never came
      },
    });
    const { buyTicket } = ticketUseCases({ profiles, eventManager: lost, idempotency: idempotency(), maxTicketsPerBuyer: 10, newCode: () => code });
    const error = await failureOf(buyTicket(who, buyer.id, { event_id: eventId }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect((await emTicket(code)).status).toBe(404);
    expect((await buy(await client(), { event_id: eventId })).status).toBe(201);
  });
});

