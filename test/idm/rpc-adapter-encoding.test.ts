import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/idm/identity-service.ts';
import { apiEvent, lambdaContext } from '../support/events.ts';

/**
 * API Gateway turns a base64 answer back into bytes only when the request's Accept header matches a
 * binary media type. Connect JSON clients send `Accept: application/json` (or nothing), so JSON must
 * go back as plain text; protobuf frames are base64.
 */
const rpc = (body: string, headers: Record<string, string>, isBase64Encoded = false) => {
  const event = apiEvent('POST', '/idm.IdentityService/{method}', { body, headers, path: '/idm.IdentityService/VerifyToken', pathParameters: { method: 'VerifyToken' } });
  return handler({ ...event, isBase64Encoded }, lambdaContext);
};

describe('IdentityService answers through API Gateway', () => {
  it('Connect JSON comes back as text, not base64', async () => {
    const res = await rpc('{"token":"garbage"}', { 'Content-Type': 'application/json', 'Connect-Protocol-Version': '1' });
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(false);
    // proto3 JSON leaves out defaults: `valid: false` is simply absent
    expect(JSON.parse(res.body)).toEqual({ message: expect.stringContaining('token is invalid') });
  });

  it('Connect binary comes back base64-encoded', async () => {
    const res = await rpc(Buffer.from([0x0a, 0x03, 0x61, 0x62, 0x63]).toString('base64'), { 'Content-Type': 'application/proto', 'Connect-Protocol-Version': '1' }, true);
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(true);
    expect(res.headers?.['content-type'] ?? res.headers?.['Content-Type']).toMatch(/application\/proto/);
  });
});
