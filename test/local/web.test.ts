import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startPlatform } from '../../infra/local/platform.ts';
import { FRONTEND_DIR } from '../../infra/local/web.ts';

/** `npm start` serves the web app on the API's origin; the API's paths stay JSON. */
describe('web app served by the local runtime (Vite middleware)', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform({ dataDir: mkdtempSync(join(process.env.TEST_DATA_DIR!, 'web-')), port: 0, web: 'vite' });
  });
  afterAll(() => platform?.stop());
  const get = (path: string) => fetch(platform.url + path);

  it('the app at / and every client-side route (index.html fallback)', async () => {
    for (const path of ['/', '/events', '/events/12', '/manage/packets/3', '/sign-in?next=%2Ftickets']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/text\/html/);
      expect(await res.text(), path).toContain('<div id="root">');
    }
  });

  it('API paths stay JSON, a 404 there included', async () => {
    for (const path of ['/api/nope', '/api/event-manager/nope/1', '/idm.IdentityService/a/b', '/health/x']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/application\/json/);
      expect((await res.json()).code, path).toBe('ROUTE_NOT_FOUND');
    }
    const missing = await get('/api/event-manager/events/987654321');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await get('/health')).headers.get('content-type')).toMatch(/application\/json/);
  });

  it("Vite's hot-update socket is on the page's own port (no refused WebSocket in the console)", async () => {
    await get('/');
    const client = await (await get('/@vite/client')).text();
    expect(client).toContain('const hmrPort = null;'); // → the socket goes to the page's host:port
    expect(client).not.toContain('24678'); // Vite's own socket port, which nothing serves here
  });

  it('a change under frontend/src shows on the next request, without a build', async () => {
    const file = join(FRONTEND_DIR, 'src', `probe-${randomUUID()}.ts`);
    const path = `/src/${file.split('/').pop()}`;
    try {
      writeFileSync(file, "export const probe = 'first';\n");
      expect(await (await get(path)).text()).toContain('first');
      writeFileSync(file, "export const probe = 'second';\n");
      await new Promise((r) => setTimeout(r, 300)); // the file watcher's turn
      expect(await (await get(path)).text()).toContain('second');
    } finally {
      rmSync(file, { force: true });
    }
  });
});
