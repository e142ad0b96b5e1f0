import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import { client, createEvent, owner, UM } from '../users/support.ts';

/**
 * What one purchase leaves behind locally: log lines (JSON, Powertools Logger) and EMF metric
 * records, logged at DEBUG (docs/OPERATIONS.md). Both are read here from the process's stdout, as an
 * operator would read them; every line of every service the purchase touched carries its id.
 */
process.env.LOG_LEVEL = 'DEBUG'; // before anything logs: the level is read once

type Line = Record<string, any>;
const lines: Line[] = [];
const write = process.stdout.write.bind(process.stdout);

beforeAll(() => {
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    for (const text of String(chunk).split('\n')) {
      if (!text.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(text));
      } catch {
        /* not a log line */
      }
    }
    return typeof rest.at(-1) === 'function' ? ((rest.at(-1) as () => void)(), true) : true;
  }) as typeof process.stdout.write;
});
afterAll(async () => {
  await stopApi();
  process.stdout.write = write;
});

const of = (id: string) => lines.filter((l) => l.correlation_id === id);
/** The EMF records of a request: service → metric → total. */
function metricsOf(id: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const line of of(id).filter((l) => l.message === 'metrics')) {
    const emf = line.emf;
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe('Tix');
    expect(emf._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    for (const { Name } of emf._aws.CloudWatchMetrics[0].Metrics) {
      const value = emf[Name];
      const total = Array.isArray(value) ? value.reduce((a: number, b: number) => a + b, 0) : value;
      (out[emf.service] ??= {})[Name] = ((out[emf.service] ??= {})[Name] ?? 0) + total;
    }
  }
  return out;
}

const withoutAuthorizer = ({ 'tix-authorizer': _, ...rest }: Record<string, Record<string, number>>) => rest;

async function purchase(buyer: { id: number; token: string }, body: unknown, headers: Record<string, string> = {}) {
  const id = `purchase-${randomUUID()}`;
  const res = await call('POST', `${UM}/clients/${buyer.id}/tickets`, { body, token: buyer.token, headers: { 'X-Correlation-Id': id, ...headers } });
  return { res, id };
}

describe('one purchase, followed through the logs and metrics', () => {
  it('the sale: its id on every line of the authorizer, the user manager and the event manager; TicketsSold from the event manager', async () => {
    const buyer = await client();
    const eventId = await createEvent(await owner(), 1);
    const key = randomUUID();
    const { res, id } = await purchase(buyer, { event_id: eventId }, { 'Idempotency-Key': key });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('x-correlation-id')).toBe(id);

    const routes = of(id).filter((l) => l.message === 'request').map((l) => `${l.route} ${l.status}`);
    expect(routes.sort()).toEqual(['POST /api/user-manager/clients/{user_id}/tickets 201', 'PUT /api/event-manager/tickets/{code} 204']);
    expect(metricsOf(id)).toEqual({
      'tix-authorizer': { AuthorizerAllows: 2 }, // the purchase, and the service account's call
      'tix-events': { TicketsSold: 1 },
    });

    // The same Idempotency-Key again: the first answer, replayed; nothing sold.
    const replay = await purchase(buyer, { event_id: eventId }, { 'Idempotency-Key': key });
    expect(replay.res.status).toBe(201);
    // (The gateway serves the authorizer's decisions from its cache now: same tokens, same routes.)
    expect(withoutAuthorizer(metricsOf(replay.id))).toEqual({ 'tix-users': { IdempotentReplays: 1 } });

    // Sold out: refused by the event manager, counted there.
    const refused = await purchase(buyer, { event_id: eventId });
    expect(refused.res.status).toBe(422);
    expect(withoutAuthorizer(metricsOf(refused.id))).toEqual({ 'tix-events': { SoldOutRefusals: 1 } });

    // A bad token: the authorizer denies, and counts it. (No token at all never reaches it: API
    // Gateway answers 401 itself when the identity source is missing.)
    const anonymous = `purchase-${randomUUID()}`;
    const headers = { 'X-Correlation-Id': anonymous, Authorization: 'Bearer not-a-token' };
    expect((await call('POST', `${UM}/clients/${buyer.id}/tickets`, { body: { event_id: eventId }, headers })).status).toBe(401);
    expect(metricsOf(anonymous)).toEqual({ 'tix-authorizer': { AuthorizerDenies: 1 } });
  });

  it('every line a request writes carries a correlation id', () => {
    const served = lines.filter((l) => l.message === 'request' || l.message === 'metrics');
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((l) => typeof l.correlation_id !== 'string')).toEqual([]);
  });
});
