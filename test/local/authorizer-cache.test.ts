import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { lambdaAuthorizer } from '../../infra/local/authorizer.ts';
import { findRoute } from '../../shared/routes.ts';
import { apiEvent } from '../support/events.ts';

/** API Gateway's side of the authorizer, as the local runtime plays it: identity sources, cache, policy. */
function counting(decide: (e: APIGatewayRequestAuthorizerEvent) => APIGatewayAuthorizerResult | 'Unauthorized') {
  const calls: APIGatewayRequestAuthorizerEvent[] = [];
  const loads: number[] = [];
  const handler = async (event: APIGatewayRequestAuthorizerEvent) => {
    calls.push(event);
    const result = decide(event);
    if (result === 'Unauthorized') throw new Error('Unauthorized');
    return result;
  };
  return { calls, loads, load: async () => (loads.push(1), handler) };
}

const allowAll = (e: APIGatewayRequestAuthorizerEvent): APIGatewayAuthorizerResult => ({
  principalId: '1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: e.methodArn.replace(/\/\d+$/, '/*') }] },
  context: { userId: 1, role: 'admin', email: 'a@tix.test', jti: 'j', exp: 9_999_999_999 },
});

const PACKET = findRoute('GET', '/api/event-manager/event-packets/{id}')!;
const EVENT_PATCH = findRoute('PATCH', '/api/event-manager/events/{id}')!;
const request = (path: string, authorization?: string): APIGatewayProxyEvent =>
  apiEvent('GET', PACKET.path, { path, headers: authorization ? { Authorization: authorization } : {} });

describe('the local authorizer step (API Gateway emulation)', () => {
  it('refuses a request without an Authorization header without invoking the function', async () => {
    const { calls, load } = counting(allowAll);
    const outcome = await lambdaAuthorizer(load, 10)(PACKET, request('/api/event-manager/event-packets/1'));
    expect(outcome).toMatchObject({ allow: false, statusCode: 401 });
    expect(calls).toHaveLength(0);
  });

  it('caches a decision per token and route: other ids of the route reuse it, another token or route does not', async () => {
    const { calls, load } = counting(allowAll);
    const authorize = lambdaAuthorizer(load, 10);
    await authorize(PACKET, request('/api/event-manager/event-packets/1', 'Bearer A'));
    await authorize(PACKET, request('/api/event-manager/event-packets/2', 'Bearer A'));
    expect(calls).toHaveLength(1);
    await authorize(PACKET, request('/api/event-manager/event-packets/1', 'Bearer B'));
    expect(calls).toHaveLength(2);
    await authorize(EVENT_PATCH, { ...request('/api/event-manager/events/1', 'Bearer A'), httpMethod: 'PATCH' });
    expect(calls).toHaveLength(3);
  });

  it('forgets decisions after the TTL, and caches nothing with TTL 0', async () => {
    const { calls, load } = counting(allowAll);
    const uncached = lambdaAuthorizer(load, 0);
    await uncached(PACKET, request('/api/event-manager/event-packets/1', 'Bearer A'));
    await uncached(PACKET, request('/api/event-manager/event-packets/1', 'Bearer A'));
    expect(calls).toHaveLength(2);
  });

  it('loads the function once, as a warm container holds it, however often it is invoked', async () => {
    const { calls, loads, load } = counting(allowAll);
    const uncached = lambdaAuthorizer(load, 0);
    await Promise.all([1, 2, 3].map((id) => uncached(PACKET, request(`/api/event-manager/event-packets/${id}`, `Bearer ${id}`))));
    expect(calls).toHaveLength(3);
    expect(loads).toHaveLength(1);
  });

  it('maps the function\'s answers as API Gateway does: "Unauthorized" → 401, Deny → 403 with its reason, other errors → 503 (our AUTHORIZER_FAILURE gateway response)', async () => {
    const unauthorized = lambdaAuthorizer(counting(() => 'Unauthorized').load, 10);
    expect(await unauthorized(PACKET, request('/x/1', 'Bearer A'))).toMatchObject({ allow: false, statusCode: 401, body: { code: 'UNAUTHORIZED' } });
    const deny = lambdaAuthorizer(
      counting((e) => ({ principalId: 'x', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: e.methodArn }] }, context: { code: 'FORBIDDEN', message: 'forbidden: nope' } })).load,
      10,
    );
    expect(await deny(PACKET, request('/api/event-manager/event-packets/1', 'Bearer A'))).toEqual({ allow: false, statusCode: 403, body: { error: 'forbidden: nope', code: 'FORBIDDEN' } });
    const broken = lambdaAuthorizer(async () => async () => { throw new Error('boom'); }, 10);
    expect(await broken(PACKET, request('/api/event-manager/event-packets/1', 'Bearer A'))).toMatchObject({ allow: false, statusCode: 503 });
  });

  it('a policy that does not cover the request is an implicit deny (403)', async () => {
    const narrow = lambdaAuthorizer(
      counting(() => ({ principalId: 'x', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:local:000000000000:local/local/GET/elsewhere' }] } })).load,
      10,
    );
    expect(await narrow(PACKET, request('/api/event-manager/event-packets/1', 'Bearer A'))).toMatchObject({ allow: false, statusCode: 403 });
  });
});
