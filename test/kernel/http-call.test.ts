import { createServer, type RequestListener, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTimeout, httpCall, jsonObject } from '../../shared/kernel/http-call.ts';

/** Service-to-service HTTP: answers, the whole-call deadline, and the JSON reading of answers. */

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('httpCall', () => {
  it('sends the method, headers and a sized body; returns status and text', async () => {
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.end(JSON.stringify({ method: req.method, length: req.headers['content-length'], auth: req.headers.authorization, body })));
    });
    const answer = await httpCall(`${url}/x`, { method: 'PUT', headers: { Authorization: 'Bearer t' }, body: '{"é":1}', timeoutMs: 1_000 });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ method: 'PUT', length: '8', auth: 'Bearer t', body: '{"é":1}' });
  });

  it('the deadline covers the whole call: headers in time but a body that never ends → HttpTimeout', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"partial":');
    });
    const started = Date.now();
    const error = await httpCall(`${url}/slow`, { method: 'GET', timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpTimeout);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a refused connection rejects at once (not at the deadline)', async () => {
    const url = await serve(() => {});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const started = Date.now();
    const error = (await httpCall(`${url}/`, { method: 'GET', timeoutMs: 5_000 }).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error.code).toBe('ECONNREFUSED');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('jsonObject', () => {
  it.each([
    ['', undefined],
    ['not json', undefined],
    ['[1]', undefined],
    ['null', undefined],
    ['{"a":1}', { a: 1 }],
  ])('%j → %j', (text, expected) => {
    expect(jsonObject(text)).toEqual(expected);
  });
});
