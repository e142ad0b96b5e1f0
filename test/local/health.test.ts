import { afterAll, describe, expect, it } from 'vitest';
import { call, stopApi } from '../support/api.ts';

afterAll(stopApi);

describe('health and readiness of each service', () => {
  for (const prefix of ['/api/idm', '/api/event-manager', '/api/user-manager']) {
    it(`${prefix}/health answers 200 without touching dependencies`, async () => {
      const res = await call('GET', `${prefix}/health`);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('healthy');
    });

    it(`${prefix}/ready reports every dependency`, async () => {
      const res = await call('GET', `${prefix}/ready`);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ready');
      for (const check of Object.values(res.body.checks) as Array<{ ok: boolean }>) expect(check.ok).toBe(true);
    });
  }

  it('the original gateway path /health answers too', async () => {
    expect((await call('GET', '/health')).status).toBe(200);
  });
});
