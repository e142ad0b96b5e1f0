import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, stopApi } from '../support/api.ts';

/**
 * Requests an IdentityService client could never have produced correctly are the client's mistake:
 * `invalid_argument`, never `internal` (issue 11, item 16). Connect GET through the local API
 * Gateway and the Lambda adapter; native gRPC on the local HTTP/2 port.
 */

afterAll(stopApi);

let apiUrl = '';
let grpcUrl = '';
beforeAll(async () => {
  const platform = await startApi();
  apiUrl = `http://127.0.0.1:${platform.port}`;
  grpcUrl = `http://127.0.0.1:${platform.grpcPort}`;
});

/** Field 1 (token) announced as 10 bytes long, with only 1 byte present. */
const TRUNCATED = Buffer.from([0x0a, 0x0a, 0x61]);

describe('Connect GET with a message that cannot be decoded', () => {
  const get = (query: string) => fetch(`${apiUrl}/idm.IdentityService/VerifyToken?connect=v1&${query}`);

  it.each([
    ['bad base64', 'encoding=proto&base64=1&message=%21%21%21%21'],
    ['a truncated protobuf', `encoding=proto&base64=1&message=${TRUNCATED.toString('base64url')}`],
    ['a truncated protobuf, not base64', `encoding=proto&message=${encodeURIComponent(TRUNCATED.toString('latin1'))}`],
    ['bad JSON', `encoding=json&message=${encodeURIComponent('{"token":')}`],
  ])('%s → 400 invalid_argument', async (_name, query) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_argument', message: expect.any(String) });
    expect(res.headers.get('access-control-allow-origin')).toBeTruthy();
  });

  it('a well-formed binary GET still works', async () => {
    const token = Buffer.from([0x0a, 0x01, 0x61]).toString('base64url');
    const res = await get(`encoding=proto&base64=1&message=${token}`);
    expect(res.status).toBe(200);
  });
});

/** One native gRPC call over h2c: the HTTP status, the grpc-status and grpc-message trailers. */
function grpcCall(method: string, body: Buffer): Promise<{ status: number; grpcStatus: string | undefined; grpcMessage: string | undefined }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(grpcUrl);
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', ':path': `/idm.IdentityService/${method}`, 'content-type': 'application/grpc', te: 'trailers' });
    let status = 0;
    let headers: http2.IncomingHttpHeaders = {};
    stream.on('response', (h) => {
      status = Number(h[':status']);
      headers = h;
    });
    stream.on('trailers', (t) => (headers = { ...headers, ...t }));
    stream.on('data', () => {});
    stream.on('end', () => {
      session.close();
      resolve({ status, grpcStatus: headers['grpc-status'] as string | undefined, grpcMessage: headers['grpc-message'] as string | undefined });
    });
    stream.on('error', reject);
    stream.end(body);
  });
}

const frame = (message: Buffer, declaredLength = message.length) => {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([header, message]);
};

describe('native gRPC with a body that cannot be decoded', () => {
  it.each([
    ['a truncated protobuf in a whole frame', frame(TRUNCATED)],
    ['a frame shorter than its declared length', frame(Buffer.from([0x0a, 0x01, 0x61]), 50)],
    ['half a frame header', Buffer.from([0x00, 0x00, 0x00])],
  ])('%s → invalid_argument (3)', async (_name, body) => {
    const answer = await grpcCall('VerifyToken', body);
    expect(answer.status).toBe(200);
    expect(answer.grpcStatus).toBe('3');
  });

  it('a well-formed call still works', async () => {
    const answer = await grpcCall('VerifyToken', frame(Buffer.from([0x0a, 0x01, 0x61])));
    expect(answer.grpcStatus).toBe('0');
  });
});

describe('gRPC-Web with a body that cannot be decoded', () => {
  const grpcWeb = (body: Buffer) =>
    fetch(`${apiUrl}/idm.IdentityService/VerifyToken`, { method: 'POST', headers: { 'Content-Type': 'application/grpc-web+proto' }, body: new Uint8Array(body) });
  /** The trailer frame's fields (the last frame of the body, flag 0x80). */
  const trailerOf = async (res: Response) => {
    const body = Buffer.from(await res.arrayBuffer());
    let at = 0;
    while (at < body.length && (body[at]! & 0x80) === 0) at += 5 + body.readUInt32BE(at + 1);
    return Object.fromEntries(
      body.subarray(at + 5).toString('latin1').split('\r\n').filter(Boolean).map((line) => line.split(': ', 2) as [string, string]),
    );
  };

  it('a truncated protobuf → grpc-status 3 in the trailer frame', async () => {
    const trailer = await trailerOf(await grpcWeb(frame(TRUNCATED)));
    expect(trailer['grpc-status']).toBe('3');
    expect(decodeURIComponent(trailer['grpc-message'] ?? '')).toMatch(/parse binary/);
  });

  it('a well-formed call still works', async () => {
    const trailer = await trailerOf(await grpcWeb(frame(Buffer.from([0x0a, 0x01, 0x61]))));
    expect(trailer['grpc-status']).toBe('0');
  });
});
