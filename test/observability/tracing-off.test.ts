import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tracingWanted } from '../../shared/kernel/tracing.ts';
import { apiEvent, lambdaContext } from '../support/events.ts';
import { tokenFor } from '../support/tokens.ts';

/**
 * Outside Lambda the tracer is not loaded at all: loading it loads the X-Ray SDK, whose context
 * library (cls-hooked) puts an async hook on every promise of the process. cls-hooked announces
 * itself in `process.namespaces`.
 */
describe('tracing off', () => {
  it('follows Powertools Tracer’s rule: in Lambda, unless switched off or a SAM / Amplify mock', () => {
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(true);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' })).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_SAM_LOCAL: 'true' })).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' })).toBe(false);
  });

  it('a request served outside Lambda loads neither the tracer nor the X-Ray SDK', async () => {
    const { handler } = await import('../../functions/events/create-event.ts');
    const owner = await tokenFor('owner-event');
    const res = await handler(
      apiEvent('POST', '/api/event-manager/events', {
        body: JSON.stringify({ name: `untraced-${randomUUID()}`, seats: 3 }),
        headers: { Authorization: `Bearer ${owner.token}` },
      }),
      lambdaContext,
    );
    expect(res.statusCode, res.body).toBe(201);
    expect((process as { namespaces?: unknown }).namespaces).toBeUndefined();
  });
});
