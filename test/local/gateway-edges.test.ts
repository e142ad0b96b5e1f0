import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, stopApi } from '../support/api.ts';

/**
 * Requests the local gateway's HTTP server sees but fetch would never send (raw request lines, no
 * Host): each one gets an `{error, code}` answer with CORS headers, never a gateway failure (issue 11,
 * item 15).
 */

afterAll(stopApi);

let port = 0;
beforeAll(async () => {
  port = (await startApi()).port;
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/** Sends `head` (request line and headers, CRLF-separated, without the blank line) and `body` as they are. */
function raw(head: string, body = ''): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve(parse(received)));
    socket.write(`${head}\r\nConnection: close\r\n\r\n${body}`);
  });
}

function parse(text: string): RawAnswer {
  const [head, ...rest] = text.split('\r\n\r\n');
  const [statusLine, ...lines] = head!.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyText = rest.join('\r\n\r\n');
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = bodyText;
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

const ORIGIN = 'Origin: http://localhost:5173';

const expectJsonError = (answer: RawAnswer, status: number) => {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ error: expect.any(String), code: expect.any(String) });
  expect(answer.headers['access-control-allow-origin']).toBeTruthy();
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
};

describe('paths the gateway cannot decode', () => {
  it.each(['/%', '/%E0%A4%A', '//[', '/api/%', '/%ZZ'])('GET %s → 400 {error, code}', async (path) => {
    const answer = await raw(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n${ORIGIN}`);
    expectJsonError(answer, 400);
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('GET //evil.example/api/... is not served as /api/...', async () => {
    const answer = await raw('GET //evil.example/api/event-manager/events HTTP/1.1\r\nHost: localhost');
    expect([400, 404]).toContain(answer.status);
    expect(answer.body).toMatchObject({ code: expect.any(String) });
    // The same path without the authority is served.
    expect((await raw('GET /api/event-manager/events HTTP/1.1\r\nHost: localhost')).status).toBe(200);
  });

  it('an absolute-form request target is refused, not served', async () => {
    const answer = await raw('GET http://evil.example/api/event-manager/events HTTP/1.1\r\nHost: localhost');
    expectJsonError(answer, 400);
  });
});

describe('requests the HTTP server refuses', () => {
  it('headers too large → 431 {error, code} with CORS', async () => {
    const answer = await raw(`GET /api/event-manager/events HTTP/1.1\r\nHost: localhost\r\n${ORIGIN}\r\nX-Big: ${'x'.repeat(20_000)}`);
    expectJsonError(answer, 431);
  });

  it('a request line too large → 431 {error, code} with CORS', async () => {
    const answer = await raw(`GET /api/event-manager/events?name=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n${ORIGIN}`);
    expectJsonError(answer, 431);
  });

  it('HTTP/1.1 without Host → 400 {error, code} with CORS', async () => {
    const answer = await raw(`GET /api/event-manager/events HTTP/1.1\r\n${ORIGIN}`);
    expectJsonError(answer, 400);
    expect(answer.body.code).toBe('MISSING_HOST');
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('HTTP/1.0 without Host is fine (Host is an HTTP/1.1 requirement)', async () => {
    expect((await raw('GET /api/event-manager/events HTTP/1.0')).status).toBe(200);
  });
});

describe('JSON routes take JSON bodies only (415), in the shared middleware', () => {
  const register = (headers: Record<string, string>, body: BodyInit) =>
    fetch(`http://127.0.0.1:${port}/api/idm/auth/register`, { method: 'POST', headers: { Origin: 'http://localhost:5173', ...headers }, body });
  const json = JSON.stringify({ email: `ct-${Date.now()}@example.com`, password: 'secret-12', role: 'client' });

  it.each([
    ['text/plain', json],
    ['application/x-www-form-urlencoded', 'email=a%40example.com&password=secret-12&role=client'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.com\r\n--x--\r\n'],
    ['application/xml', '<register><email>a@example.com</email></register>'],
    ['application/jsonp', json],
  ])('Content-Type %s → 415 {error, code} with CORS', async (type, body) => {
    const res = await register({ 'Content-Type': type }, body);
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: expect.stringContaining('application/json'), code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('a body without any Content-Type → 415', async () => {
    const res = await register({}, new Blob([json]));
    expect(res.status).toBe(415);
  });

  it('application/json with a charset (as browsers send) is accepted, in any case', async () => {
    const res = await register({ 'Content-Type': 'Application/JSON; charset=UTF-8' }, json);
    expect(res.status).toBe(201);
  });

  it('a body on a route that takes none is refused too; no body needs no Content-Type', async () => {
    const logout = await fetch(`http://127.0.0.1:${port}/api/idm/auth/logout`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"token":"x"}' });
    expect(logout.status).toBe(415);
    const noBody = await fetch(`http://127.0.0.1:${port}/api/idm/auth/logout`, { method: 'POST' });
    expect(noBody.status).toBe(422); // no token anywhere: the route ran
    expect((await fetch(`http://127.0.0.1:${port}/api/event-manager/events`)).status).toBe(200);
  });

  it('the IdentityService keeps its Connect content types', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/idm.IdentityService/VerifyToken`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/proto' },
      body: new Uint8Array([0x0a, 0x01, 0x61]),
    });
    expect(res.status).toBe(200);
  });
});
