import { afterEach, describe, expect, it } from 'vitest';
import { Deadline } from '../../shared/kernel/deadline.ts';
import { AppError } from '../../shared/kernel/errors.ts';
import { newRequestContext, runWithContext } from '../../shared/kernel/request-context.ts';
import { NotSent, type ServiceTokenProvider } from '../../shared/users/application/ports.ts';
import { HttpEventManagerClient, type ResilienceOptions } from '../../shared/users/infrastructure/event-manager-client.ts';
import { type FakeServer, fakeServer, json } from './fake-server.ts';

/** Timeouts, retries, the circuit breaker and the answer mapping, against a scripted event manager. */

const FAST: ResilienceOptions = { attemptTimeoutMs: 300, retries: 2, initialBackoffMs: 5, breakerThreshold: 5, breakerOpenMs: 60_000 };

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function tokens(): ServiceTokenProvider & { invalidated: string[]; issued: number } {
  const state = {
    invalidated: [] as string[],
    issued: 0,
    current: 'token-1',
    async token() {
      if (!state.current) state.current = `token-${++state.issued + 1}`;
      return state.current;
    },
    invalidate(token: string) {
      state.invalidated.push(token);
      if (state.current === token) state.current = '';
    },
  };
  return state;
}

async function client(respond: Parameters<typeof fakeServer>[0], options = FAST) {
  server = await fakeServer(respond);
  const provider = tokens();
  return { em: new HttpEventManagerClient(server.url, provider, options), provider, server };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('HttpEventManagerClient', () => {
  it('PUT /tickets/{code} with the service token and the target; 204 → sold', async () => {
    const { em, server } = await client((_req, res) => json(res, 204));
    expect(await em.sellTicket('abc', { event_id: 7 })).toBeUndefined();
    expect(server.requests).toEqual([{ method: 'PUT', path: '/api/event-manager/tickets/abc', authorization: 'Bearer token-1', body: '{"event_id":7}' }]);
  });

  it('transient failures (5xx) are retried with the same code, bounded; success on the third attempt', async () => {
    const { em, server } = await client((_req, res, n) => (n < 3 ? json(res, 503, { error: 'busy' }) : json(res, 204)));
    expect(await em.sellTicket('same', { packet_id: 2 })).toBeUndefined();
    expect(server.requests.map((r) => r.path)).toEqual(Array(3).fill('/api/event-manager/tickets/same'));
  });

  it('after 1 + 2 attempts → 503 UPSTREAM_UNAVAILABLE', async () => {
    const { em, server } = await client((_req, res) => json(res, 500, { error: 'down' }));
    const error = await failure(em.sellTicket('x', { event_id: 1 }));
    expect([error.status, error.code]).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    expect(server.requests).toHaveLength(3);
  });

  it('a hanging event manager is cut off by the per-attempt timeout', async () => {
    const { em, server } = await client(() => {
      /* never answers */
    });
    const started = Date.now();
    const error = await failure(em.sellTicket('slow', { event_id: 1 }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the circuit opens after 5 consecutive failures: further calls fail fast without reaching the server', async () => {
    const { em, server } = await client((_req, res) => json(res, 502));
    await failure(em.sellTicket('a', { event_id: 1 })); // 3 attempts
    await failure(em.sellTicket('b', { event_id: 1 })); // 2 more → open
    const reached = server.requests.length;
    expect(reached).toBe(5);
    const error = await failure(em.sellTicket('c', { event_id: 1 }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(server.requests).toHaveLength(reached);
  });

  it('client errors are answers, not failures: never retried, mapped to refusals', async () => {
    const answers = [
      [404, { error: 'ID 9 not found', code: 'NOT_FOUND' }, { kind: 'not-found', message: 'ID 9 not found' }],
      [422, { error: "event 'X' has no available seats", code: 'SOLD_OUT' }, { kind: 'sold-out', message: "event 'X' has no available seats" }],
      [422, { error: 'event 3 does not have seats defined', code: 'NO_SEATS_DEFINED' }, { kind: 'rejected', message: 'event 3 does not have seats defined', code: 'NO_SEATS_DEFINED' }],
      [409, { error: 'conflict', code: 'TICKET_CODE_CONFLICT' }, { kind: 'rejected', message: 'conflict', code: 'TICKET_CODE_CONFLICT' }],
    ] as const;
    for (const [status, body, refusal] of answers) {
      const { em, server } = await client((_req, res) => json(res, status, body));
      expect(await em.sellTicket('c', { event_id: 3 })).toEqual(refusal);
      expect(server.requests).toHaveLength(1);
      await server.close();
    }
  });

  it('401 → the token is dropped and one new one is used; a second 401 → 503', async () => {
    const ok = await client((req, res) => (req.headers.authorization === 'Bearer token-1' ? json(res, 401, { error: 'revoked' }) : json(res, 204)));
    expect(await ok.em.sellTicket('r', { event_id: 1 })).toBeUndefined();
    expect(ok.provider.invalidated).toEqual(['token-1']);
    expect(ok.server.requests.map((r) => r.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    await ok.server.close();

    const never = await client((_req, res) => json(res, 401, { error: 'no' }));
    expect((await failure(never.em.sellTicket('r', { event_id: 1 }))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(never.server.requests).toHaveLength(2);
  });

  it('a 403 to the service account is a deployment fault → 503, not the client\'s 4xx', async () => {
    const { em } = await client((_req, res) => json(res, 403, { error: 'forbidden: nope' }));
    expect((await failure(em.sellTicket('f', { event_id: 1 }))).status).toBe(503);
  });

  it('DELETE: 200 → cancelled, 404 → absent (already freed)', async () => {
    const { em, server } = await client((_req, res, n) => (n === 1 ? json(res, 200, { code: 'k' }) : json(res, 404, { error: 'gone' })));
    expect(await em.cancelTicket('k')).toBe('cancelled');
    expect(await em.cancelTicket('k')).toBe('absent');
    expect(server.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
  });

  it('GET event (no token) and packet (service token); 404 → undefined', async () => {
    const { em, server } = await client((req, res) => {
      if (req.url === '/api/event-manager/events/1') return json(res, 200, { event: { id: 1, id_owner: 5, name: 'E' } });
      if (req.url === '/api/event-manager/event-packets/2') return json(res, 200, { event_packet: { id: 2, id_owner: 6, name: 'P' } });
      return json(res, 404, { error: 'not found' });
    });
    expect(await em.event(1)).toMatchObject({ id_owner: 5 });
    expect(await em.packet(2)).toMatchObject({ id_owner: 6 });
    expect(await em.event(3)).toBeUndefined();
    expect(server.requests[0]!.authorization).toBeUndefined();
    expect(server.requests[1]!.authorization).toBe('Bearer token-1');
  });
});

describe('the request deadline bounds every attempt and retry (issue 11, item 17)', () => {
  const DEFAULT_POLICY: ResilienceOptions = { attemptTimeoutMs: 3_000, retries: 2, initialBackoffMs: 100, breakerThreshold: 5, breakerOpenMs: 10_000 };

  it('a hanging event manager: the default policy (3 × 3 s) gives up at the deadline, not after ~9 s', async () => {
    const { em } = await client(() => {
      /* never answers */
    }, DEFAULT_POLICY);
    const started = Date.now();
    const error = await failure(em.sellTicket('slow', { event_id: 1 }, new Deadline(Date.now() + 800)));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("without an explicit deadline, the request's own (from the Lambda context) applies", async () => {
    const { em } = await client(() => {
      /* never answers */
    }, DEFAULT_POLICY);
    const context = newRequestContext(undefined, { route: 'test' }, Deadline.fromContext({ getRemainingTimeInMillis: () => 1_700 }));
    const started = Date.now();
    const error = await failure(runWithContext(context, () => em.cancelTicket('slow')));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1_400); // 1.7 s minus the 1 s safety margin, plus slack
  });

  it('no attempt starts when the deadline has (nearly) passed: the event manager is not called', async () => {
    const { em, server } = await client((_req, res) => json(res, 204), DEFAULT_POLICY);
    const error = await failure(em.sellTicket('late', { event_id: 1 }, new Deadline(Date.now() + 20)));
    expect([error.status, error.code]).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    expect(server.requests).toHaveLength(0);
    // Nothing was asked, so the saga knows there is nothing to undo.
    expect(error).toBeInstanceOf(NotSent);
  });

  it('a call that was sent but not answered in time is not NotSent (the sale may have happened)', async () => {
    const { em } = await client(() => {
      /* never answers */
    }, DEFAULT_POLICY);
    const error = await failure(em.sellTicket('maybe', { event_id: 1 }, new Deadline(Date.now() + 300)));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error).not.toBeInstanceOf(NotSent);
  });
});
