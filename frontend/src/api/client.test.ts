import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../auth/session.ts';
import { safeNext } from '../pages/SignInPage.tsx';
import { fakeFetch, json } from '../test/render.tsx';
import { api, configureApi, data } from './client.ts';
import { ApiError } from './errors.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  session.end();
});

const answering = (...answers: Parameters<typeof fakeFetch>) => {
  const fake = fakeFetch(...answers);
  vi.stubGlobal('fetch', fake.fetch);
  configureApi('http://api.test');
  return fake.requests;
};

describe('API client and session', () => {
  it('a 401 on a call carrying the token ends the session (expired or revoked) and says so to sign-in', async () => {
    session.start({ token: 'a.eyJleHAiOjQxMDI0NDQ4MDB9.c', userId: 3, role: 'client', email: 'c@x.io' });
    const requests = answering(() => json(401, { error: 'token has been revoked', code: 'UNAUTHORIZED' }));
    const call = data(api().GET('/api/user-manager/users/{id}', { params: { path: { id: 3 } } }));
    await expect(call).rejects.toMatchObject({ status: 401, message: 'token has been revoked' });
    await expect(call).rejects.toBeInstanceOf(ApiError);
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer a.eyJleHAiOjQxMDI0NDQ4MDB9.c');
    expect(session.get()).toBeNull();
    expect(session.endedByApi()).toBe(true);
  });

  it('a refusal without a session changes nothing; a network failure has its own message', async () => {
    answering(() => json(403, { error: 'forbidden', code: 'FORBIDDEN' }), () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(data(api().GET('/api/event-manager/events/{id}', { params: { path: { id: 1 } } }))).rejects.toMatchObject({ status: 403, message: 'forbidden' });
    expect(session.endedByApi()).toBe(false);
    await expect(data(api().GET('/api/event-manager/events/{id}', { params: { path: { id: 1 } } }))).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
  });

  it('after sign-in, only paths of this app are followed', () => {
    expect(safeNext('/tickets?x=1')).toBe('/tickets?x=1');
    expect(safeNext('//evil.example/x')).toBe('/events');
    expect(safeNext('https://evil.example')).toBe('/events');
    expect(safeNext(null)).toBe('/events');
  });
});
