import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/routes.ts';
import { generateOpenApi } from '../../scripts/generate-openapi.ts';
import { call, stopApi } from '../support/api.ts';

afterAll(stopApi);

describe('API documentation', () => {
  it('gen/openapi.json is up to date with the route table and the handlers\' schemas (run `npm run generate:openapi`)', async () => {
    const committed = JSON.parse(readFileSync(new URL('../../gen/openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(await generateOpenApi())));
  });

  it('serves an OpenAPI 3.1 document listing every route, with the public base URL', async () => {
    const res = await call('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.servers[0].url).toMatch(/^http:\/\/localhost:\d+$/);
    const listed = Object.entries(res.body.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`));
    expect(listed.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('serves a browsable page that reads the document', async () => {
    const res = await call('GET', '/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain("fetch('openapi.json')");
  });
});
