import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { signWithForeignKey, signWithRunKey, tokenFor } from '../support/tokens.ts';
import { describe, expect, it } from 'vitest';
import { authorize, routeArn } from '../../shared/auth/authorizer.ts';
import { MemoryBlacklist } from '../../shared/auth/blacklist.ts';
import { decodeToken } from '../../shared/auth/tokens.ts';
import { findRoute } from '../../shared/routes.ts';

const ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/api';

function request(method: string, resource: string, path: string, authorization?: string): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: `${ARN}/${method}${path}`,
    resource,
    path,
    httpMethod: method,
    headers: authorization === undefined ? {} : { Authorization: authorization },
    multiValueHeaders: {},
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

const PACKET = ['GET', '/api/event-manager/event-packets/{id}', '/api/event-manager/event-packets/5'] as const;
const CREATE_EVENT = ['POST', '/api/event-manager/events', '/api/event-manager/events'] as const;

describe('the Lambda authorizer', () => {
  it('allows a valid token and passes the identity to the handler', async () => {
    const { token, userId, email } = await tokenFor('client');
    const result = await authorize(request(...PACKET, `Bearer ${token}`), new MemoryBlacklist());
    expect(result.principalId).toBe(String(userId));
    expect(result.context).toEqual({ userId, role: 'client', email, jti: expect.any(String), exp: expect.any(Number), checkedAt: expect.any(Number) });
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  });

  it("covers the route's path pattern, so a cached decision serves other ids of the same route only", async () => {
    const { token } = await tokenFor('client');
    const result = await authorize(request(...PACKET, `Bearer ${token}`), new MemoryBlacklist());
    const statement = result.policyDocument.Statement[0] as { Resource: string };
    expect(statement.Resource).toBe(`${ARN}/GET/api/event-manager/event-packets/*`);
  });

  it('routeArn keeps the API and stage and swaps in the pattern', () => {
    const route = findRoute('DELETE', '/api/event-manager/event-packet-inclusions/event/{event_id}/packet/{packet_id}')!;
    expect(routeArn(`${ARN}/DELETE/api/event-manager/event-packet-inclusions/event/3/packet/4`, route)).toBe(
      `${ARN}/DELETE/api/event-manager/event-packet-inclusions/event/*/packet/*`,
    );
  });

  it.each([
    ['no header', undefined],
    ['garbage', 'Bearer garbage'],
    ['empty bearer', 'Bearer '],
  ])('%s → Unauthorized (401)', async (_, header) => {
    await expect(authorize(request(...PACKET, header), new MemoryBlacklist())).rejects.toThrow('Unauthorized');
  });

  it('expired, forged, alg:none, other-key and revoked tokens → Unauthorized (401)', async () => {
    const { token } = await tokenFor('owner-event');
    const claims = { role: 'owner-event', email: 'x@tix.test', sub: '5', jti: 'j', iss: 'tix-idm' };
    const expired = await signWithRunKey({ ...claims, iat: 1_000, exp: 2_000 });
    const now = Math.floor(Date.now() / 1000);
    const otherKey = await signWithForeignKey({ ...claims, iat: now, exp: now + 3600 });
    const [h, p] = token.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'admin' })).toString('base64url')}.${token.split('.')[2]}`;
    const revokedList = new MemoryBlacklist();
    const decoded = await decodeToken(token);
    if (!decoded.valid) throw new Error('fixture token invalid');
    await revokedList.revoke(decoded.token.jti, decoded.token.expiresAt);

    for (const bad of [expired, otherKey, none, tampered]) {
      await expect(authorize(request(...CREATE_EVENT, `Bearer ${bad}`), new MemoryBlacklist())).rejects.toThrow('Unauthorized');
    }
    await expect(authorize(request(...CREATE_EVENT, `Bearer ${token}`), revokedList)).rejects.toThrow('Unauthorized');
  });

  it('a valid token of a role the route does not admit → Allow with the role: the handler answers 403 after re-checking revocation (a cached Deny would outlive a logout)', async () => {
    const { token } = await tokenFor('client');
    const result = await authorize(request(...CREATE_EVENT, `Bearer ${token}`), new MemoryBlacklist());
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    expect(result.context).toMatchObject({ role: 'client' });
  });

  it('an unknown route → Deny', async () => {
    const result = await authorize(request('GET', '/nope', '/nope'), new MemoryBlacklist());
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
  });
});
