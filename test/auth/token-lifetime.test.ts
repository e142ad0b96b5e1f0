import { randomUUID } from 'node:crypto';
import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { afterAll, describe, expect, it } from 'vitest';
import { IdentityService } from '../../gen/idm_pb.ts';
import { jwtConfig } from '../../shared/kernel/config.ts';
import { handler as getPacket } from '../../functions/events/get-packet.ts';
import { call, startApi, stopApi } from '../support/api.ts';
import { apiEvent, lambdaContext } from '../support/events.ts';
import { signWithRunKey } from '../support/tokens.ts';

/**
 * Issue 11 item 13: validly signed tokens that claim to live longer than the configured TTL, or to
 * be issued in the future, are refused everywhere a token is checked — the authorizer, a handler's
 * own check (AUTH_FALLBACK), POST /verify and the VerifyToken RPC — by the one rule in tokens.ts.
 */

afterAll(stopApi);

const now = () => Math.floor(Date.now() / 1000);

async function signed(times: { iat: number; exp: number }) {
  const { issuer } = await jwtConfig();
  return signWithRunKey({ email: 'long@example.com', role: 'admin', sub: '4242', iss: issuer, ...times, jti: randomUUID() });
}

const PACKET = '/api/event-manager/event-packets/987654321';

describe('token lifetime rules over HTTP', async () => {
  const { ttlSeconds } = await jwtConfig();
  const cases = {
    'exp in 2100': { iat: now(), exp: Math.floor(Date.UTC(2100, 0, 1) / 1000) },
    'iat ten years ahead': { iat: now() + 10 * 365 * 86_400, exp: now() + 10 * 365 * 86_400 + 600 },
    'a lifetime one second over the TTL': { iat: now() - 10, exp: now() - 10 + ttlSeconds + 1 },
    'iat 2 minutes ahead': { iat: now() + 120, exp: now() + 600 },
  };

  it('a token within the rules passes (lifetime = TTL, iat 30 s ahead)', async () => {
    for (const times of [{ iat: now(), exp: now() + ttlSeconds }, { iat: now() + 30, exp: now() + 300 }]) {
      const token = await signed(times);
      expect((await call('GET', PACKET, { token })).status).toBe(404);
      expect((await call('POST', '/api/idm/auth/verify', { body: { token } })).body.valid).toBe(true);
    }
  });

  it.each(Object.entries(cases))('%s: 401 behind the authorizer, invalid for /verify and VerifyToken', async (_, times) => {
    const token = await signed(times);
    const protectedRoute = await call('GET', PACKET, { token });
    expect(protectedRoute.status).toBe(401);
    expect(protectedRoute.body).toEqual({ error: 'invalid or expired token', code: 'UNAUTHORIZED' });

    const verify = await call('POST', '/api/idm/auth/verify', { body: { token } });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ valid: false, expired: false, blacklisted: false });
    expect(verify.body.message).toMatch(/^token is invalid: (issued in the future|lifetime longer than the configured TTL)$/);

    const { port } = await startApi();
    const rpc = createClient(IdentityService, createConnectTransport({ baseUrl: `http://127.0.0.1:${port}`, httpVersion: '1.1' }));
    expect(await rpc.verifyToken({ token })).toMatchObject({ valid: false, message: verify.body.message });

    // A handler reached without an authorizer (LocalStack, AUTH_FALLBACK=on) decides the same.
    const direct = await getPacket(
      apiEvent('GET', '/api/event-manager/event-packets/{id}', { path: PACKET, pathParameters: { id: '987654321' }, headers: { Authorization: `Bearer ${token}` } }),
      lambdaContext,
    );
    expect(direct.statusCode).toBe(401);
  });
});
