import { afterAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';
import { existingUser, newClientIp, postFrom } from '../idm/helpers.ts';

/**
 * Issue 11 item 14, over HTTP against the local runtime, whose gateway caches authorizer decisions
 * per token + route as API Gateway does (AUTHORIZER_TTL_SECONDS, 10 s): right after a logout, a
 * revoked token reads 401 on every route — also where its role was refused a moment before (no
 * cached 403) and where it was admitted (no cached Allow).
 */

afterAll(stopApi);

const CREATE_EVENT = '/api/event-manager/events'; // owners only
const PACKET = '/api/event-manager/event-packets/987654321'; // any token

describe('a logout takes effect on every route at once', () => {
  it('403 for a refused role and 404 for an admitted route, then, right after logout, 401 on both', async () => {
    const user = await existingUser('client');
    const login = await postFrom(newClientIp(), '/api/idm/auth/login', { email: user.email, password: user.password });
    expect(login.status).toBe(200);
    const token = login.body.token as string;

    const refused = await call('POST', CREATE_EVENT, { token, body: { name: 'x' } });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: "forbidden: role 'client' may not use this route", code: 'FORBIDDEN' });
    expect((await call('GET', PACKET, { token })).status).toBe(404);

    expect((await call('POST', '/api/idm/auth/logout', { token })).status).toBe(200);

    for (const [method, path] of [['POST', CREATE_EVENT], ['GET', PACKET]] as const) {
      const after = await call(method, path, { token, body: method === 'POST' ? { name: 'x' } : undefined });
      expect(after.status, `${method} ${path}`).toBe(401);
      expect(after.body).toMatchObject({ code: expect.stringMatching(/^(UNAUTHORIZED|INVALID_TOKEN)$/) });
    }
  });
});
