import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, lambdaContext } from '../support/events.ts';
import { tokenFor } from '../support/tokens.ts';

/**
 * Traces as Lambda would send them: this file plays the Lambda environment (active tracing, a trace
 * id) and the X-Ray daemon (a UDP socket), runs real handlers against the real stores, and reads the
 * subsegments they send.
 */

const TRACE_ROOT = `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
const daemon = createSocket('udp4');
const documents: Array<Record<string, any>> = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  daemon.on('message', (message) => {
    const [, body] = message.toString().split('\n');
    if (body) documents.push(JSON.parse(body));
  });
  Object.assign(process.env, {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    LAMBDA_TASK_ROOT: process.cwd(),
    AWS_LAMBDA_FUNCTION_NAME: 'tix-tracing-test',
    _X_AMZN_TRACE_ID: `Root=${TRACE_ROOT};Parent=53995c3f42cd8ad8;Sampled=1`,
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  });
});
afterAll(() => daemon.close());

/** All subsegments received, flattened (a subsegment may arrive inside its parent). */
function subsegments(): Array<Record<string, any>> {
  const out: Array<Record<string, any>> = [];
  const walk = (s: Record<string, any>) => {
    out.push(s);
    for (const child of s.subsegments ?? []) walk(child);
  };
  documents.forEach(walk);
  return out;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('traces (Powertools Tracer, X-Ray)', () => {
  it('a request is a subsegment annotated with its correlation id; its PostgreSQL calls are subsegments in it', async () => {
    // Loaded after the environment says "Lambda": X-Ray decides its mode when loaded.
    const { handler } = await import('../../functions/events/create-event.ts');
    const owner = await tokenFor('owner-event');
    const correlationId = `trace-${randomUUID()}`;
    const res = await handler(
      apiEvent('POST', '/api/event-manager/events', {
        body: JSON.stringify({ name: `traced-${randomUUID()}`, seats: 3 }),
        headers: { Authorization: `Bearer ${owner.token}`, 'X-Correlation-Id': correlationId, 'Content-Type': 'application/json' },
      }),
      lambdaContext,
    );
    expect(res.statusCode, res.body).toBe(201);
    await settle();

    const request = subsegments().find((s) => s.name === '## POST /api/event-manager/events');
    expect(request, JSON.stringify(documents)).toBeDefined();
    expect(request!.trace_id).toBe(TRACE_ROOT);
    expect(request!.annotations).toMatchObject({ correlation_id: correlationId, route: 'POST /api/event-manager/events' });
    const postgres = subsegments().filter((s) => s.name === '## postgres transaction');
    expect(postgres.length).toBeGreaterThan(0);
    expect(postgres.some((s) => s.parent_id === request!.id || (request!.subsegments ?? []).some((c: { id: string }) => c.id === s.id))).toBe(true);
    // The token's revocation check (Redis, where the run has one; else the in-memory blacklist).
    if (process.env.REDIS_URL) expect(subsegments().map((s) => s.name)).toContain('## redis EXISTS');
  });

  it('document-store commands are subsegments of the request', async () => {
    const { handler } = await import('../../functions/users/create-profile.ts');
    const service = await tokenFor('serviciu_clienti');
    const id = 900_000_000 + Math.floor(Math.random() * 1_000_000);
    const res = await handler(
      apiEvent('POST', '/api/user-manager/users', {
        body: JSON.stringify({ id, email: `traced-${randomUUID()}@tix-test.com`, first_name: '', last_name: '' }),
        headers: { Authorization: `Bearer ${service.token}`, 'Content-Type': 'application/json' },
      }),
      lambdaContext,
    );
    expect(res.statusCode, res.body).toBe(201);
    await settle();
    const names = subsegments().map((s) => s.name);
    expect(names).toContain('## POST /api/user-manager/users');
    expect(names).toContain('## mongodb insert');
  });

  it('a service call carries the trace on (X-Amzn-Trace-Id), so the next service joins the same trace', async () => {
    const seen: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      seen.push(req.headers['x-amzn-trace-id'] as string | undefined);
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { traceRequest } = await import('../../shared/kernel/tracing.ts');
    const { httpCall } = await import('../../shared/kernel/http-call.ts');
    const { port } = server.address() as AddressInfo;
    await traceRequest('call-1', 'GET /test', () => httpCall(`http://127.0.0.1:${port}/x`, { method: 'GET', timeoutMs: 2000 }));
    server.close();
    expect(seen[0]).toContain(`Root=${TRACE_ROOT}`);
  });
});
