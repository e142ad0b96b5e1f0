import type { Deadline } from '../../shared/kernel/deadline.ts';
import { randomUUID } from 'node:crypto';
import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoDb } from '../../shared/kernel/mongo.ts';
import { flushMetrics, setMetricsSink } from '../../shared/kernel/metrics.ts';
import { newRequestContext, runWithContext } from '../../shared/kernel/request-context.ts';
import type { EventManagerClient, ProfileRepository } from '../../shared/users/application/ports.ts';
import { ticketUseCases } from '../../shared/users/application/tickets.ts';
import { DynamoIdempotencyStore, dynamoDocumentClient } from '../../shared/users/infrastructure/dynamo-idempotency.ts';
import { HttpEventManagerClient } from '../../shared/users/infrastructure/event-manager-client.ts';
import { MongoProfileRepository } from '../../shared/users/infrastructure/mongo-profiles.ts';
import { startApi, stopApi } from '../support/api.ts';
import { tokenFor } from '../support/tokens.ts';
import { client, createEvent, owner } from '../users/support.ts';

/**
 * The purchase saga's failure paths count what an operator alarms on: a compensation, and a
 * compensation that failed (a seat sold to nobody). Real adapters; one step made to fail.
 */

const records: EmfOutput[] = [];
let restore: ReturnType<typeof setMetricsSink>;
let baseUrl: string;
beforeAll(async () => {
  baseUrl = (await startApi()).url;
  restore = setMetricsSink((record) => records.push(record));
});
afterAll(async () => {
  setMetricsSink(restore);
  await stopApi();
});

/** Runs `work` as a user-manager request and returns the metrics it counted. */
async function countedBy(work: () => Promise<unknown>): Promise<Record<string, number>> {
  records.length = 0;
  const context = newRequestContext(undefined, {});
  context.service = 'users';
  await runWithContext(context, async () => {
    await work().catch(() => {});
    flushMetrics();
  });
  const totals: Record<string, number> = {};
  for (const record of records.filter((r) => r.service === 'tix-users')) {
    for (const { Name } of record._aws.CloudWatchMetrics[0]!.Metrics) totals[Name] = (totals[Name] ?? 0) + Number(record[Name]);
  }
  return totals;
}

function sagaWith(options: { cancelFails: boolean }) {
  const tokens = { token: async () => (await tokenFor('serviciu_clienti')).token, invalidate: () => {} };
  const real = new HttpEventManagerClient(baseUrl, tokens);
  const eventManager: EventManagerClient = Object.assign(Object.create(real) as EventManagerClient, {
    cancelTicket: async (code: string, deadline?: Deadline) => {
      if (options.cancelFails) throw new Error('event manager unreachable');
      return real.cancelTicket(code, deadline);
    },
  });
  return mongoDb().then((db) => {
    const profiles = new MongoProfileRepository(db);
    const failing: ProfileRepository = Object.assign(Object.create(profiles) as ProfileRepository, {
      appendTicket: async () => {
        throw new Error('profile store unavailable');
      },
    });
    return ticketUseCases({ profiles: failing, eventManager, idempotency: new DynamoIdempotencyStore(dynamoDocumentClient(), process.env.IDEMPOTENCY_TABLE!), maxTicketsPerBuyer: 10 });
  });
}

describe('purchase saga metrics', () => {
  it('a compensation that works: PurchaseCompensations, no FailedCompensations', async () => {
    const eventId = await createEvent(await owner(), 2);
    const buyer = await client();
    const { buyTicket } = await sagaWith({ cancelFails: false });
    expect(await countedBy(() => buyTicket({ userId: buyer.id, role: 'client', email: buyer.email }, buyer.id, { event_id: eventId }))).toEqual({
      PurchaseCompensations: 1,
    });
  });

  it('a compensation that fails: both, so the alarm on FailedCompensations fires', async () => {
    const eventId = await createEvent(await owner(), 2);
    const buyer = await client();
    const { buyTicket } = await sagaWith({ cancelFails: true });
    expect(await countedBy(() => buyTicket({ userId: buyer.id, role: 'client', email: buyer.email }, buyer.id, { event_id: eventId }, randomUUID()))).toEqual({
      PurchaseCompensations: 1,
      FailedCompensations: 1,
    });
  });
});
