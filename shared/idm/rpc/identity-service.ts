import { type ConnectRouter, type ConnectRouterOptions, createContextKey } from '@connectrpc/connect';
import type { UniversalHandler, UniversalServerResponse } from '@connectrpc/connect/protocol';
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  IdentityService, type LoginResponseSchema, type RegisterResponseSchema, type RevokeTokenResponseSchema,
  type VerifyTokenResponseSchema,
} from '#gen/idm_pb';
import { AppError } from '../../kernel/errors.ts';
import { MAX_BODY_BYTES } from '../../kernel/json-body.ts';
import { log } from '../../kernel/request-context.ts';
import { LOGIN_SUCCESS_MESSAGE } from '../application/login.ts';
import { REGISTERED_MESSAGE } from '../application/register.ts';
import type { IdmUseCases } from '../deps.ts';

/**
 * The IdentityService of proto/idm.proto over the same use cases as the REST endpoints. As in the
 * original (ORIGINAL §3), outcomes — wrong password, taken e-mail, invalid token, even server faults
 * — are answered in the response message (`success:false` / `valid:false` with a message), never as
 * an RPC error status; only requests Connect cannot decode get a protocol error.
 */

/** The caller's network address, for login throttling and the registration limit (set by each transport adapter). */
export const clientIpKey = createContextKey<string | undefined>(undefined, { description: 'client address' });

/** The router options every transport uses. */
export const identityRouterOptions: ConnectRouterOptions = { readMaxBytes: MAX_BODY_BYTES };

export const identityServiceRoutes = (useCases: () => Promise<IdmUseCases>) => (router: ConnectRouter) => {
  router.service(IdentityService, {
    register: (req, context) =>
      outcome<MessageInitShape<typeof RegisterResponseSchema>>(
        async () => {
          const clientIp = context.values.get(clientIpKey);
          const { userId } = await (await useCases()).register({ email: req.email, password: req.password, role: req.role, clientIp });
          return { success: true, message: REGISTERED_MESSAGE, userId: String(userId) };
        },
        (message) => ({ success: false, message }),
      ),
    login: (req, context) =>
      outcome<MessageInitShape<typeof LoginResponseSchema>>(
        async () => {
          const clientIp = context.values.get(clientIpKey);
          const { token, userId, role, email } = await (await useCases()).login({ email: req.email, password: req.password, clientIp });
          return { success: true, token, message: LOGIN_SUCCESS_MESSAGE, userId: String(userId), role, email };
        },
        (message) => ({ success: false, message }),
      ),
    verifyToken: (req) =>
      outcome<MessageInitShape<typeof VerifyTokenResponseSchema>>(
        async () => {
          const report = await (await useCases()).verify(req.token);
          return { ...report, expiresAt: BigInt(report.expiresAt) };
        },
        (message) => ({ valid: false, message }),
      ),
    revokeToken: (req) =>
      outcome<MessageInitShape<typeof RevokeTokenResponseSchema>>(
        async () => ({ success: true, message: (await (await useCases()).revoke(req.token)).message }),
        (message) => ({ success: false, message }),
      ),
  });
  router.handlers.forEach((handler, i) => (router.handlers[i] = undecodableAsInvalidArgument(handler)));
};

async function outcome<T>(run: () => Promise<T>, failure: (message: string) => T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) return failure(error.message);
    // A fault of ours: logged with its detail, answered without it (no SQL or host names leak out).
    log().error('IdentityService call failed', { error: error as Error });
    return failure('Internal error');
  }
}

/**
 * Every outcome of the IdentityService is answered in its response message (`outcome` above), so an
 * `internal` error can only come from connect-es failing to read the request: bad base64 in a
 * Connect GET, a truncated protobuf in any transport (connect-es calls those `internal`, its JSON
 * parse errors `invalid_argument`). Both are the client's mistake: `invalid_argument` (HTTP 400).
 * Connect carries the code in a JSON error body, native gRPC in the `grpc-status` trailer, gRPC-Web
 * in a trailer frame at the end of the body.
 */
export function undecodableAsInvalidArgument(handler: UniversalHandler): UniversalHandler {
  const wrapped = async (request: Parameters<UniversalHandler>[0]): Promise<UniversalServerResponse> => {
    const response = await handler(request);
    const type = response.header?.get('content-type') ?? '';
    if (response.status === 500 && type.startsWith('application/json')) return connectInvalidArgument(response);
    if (type.startsWith('application/grpc-web') && response.body) return { ...response, body: grpcWebInvalidArgument(response.body) };
    if (response.trailer && response.body) return { ...response, body: grpcInvalidArgument(response.body, response.trailer) };
    return response;
  };
  return Object.assign(wrapped, handler);
}

const GRPC_INTERNAL = '13';
const GRPC_INVALID_ARGUMENT = '3';
const UNDECODABLE = 'the request message cannot be decoded';

async function connectInvalidArgument(response: UniversalServerResponse): Promise<UniversalServerResponse> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body ?? []) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  let error: { code?: string; message?: string } | undefined;
  try {
    error = JSON.parse(bytes.toString('utf8')) as typeof error;
  } catch {
    error = undefined;
  }
  if (error?.code !== 'internal') return { ...response, body: once(bytes) };
  const body = Buffer.from(JSON.stringify({ code: 'invalid_argument', message: clientMessage(error.message) }));
  response.header!.set('content-length', String(body.length));
  return { ...response, status: 400, body: once(body) };
}

/** The trailer is settled while the body is read: look at it once the body is done. */
async function* grpcInvalidArgument(body: AsyncIterable<Uint8Array>, trailer: Headers): AsyncIterable<Uint8Array> {
  yield* body;
  if (trailer.get('grpc-status') !== GRPC_INTERNAL) return;
  trailer.set('grpc-status', GRPC_INVALID_ARGUMENT);
  trailer.set('grpc-message', encodeURIComponent(clientMessage(decodeURIComponent(trailer.get('grpc-message') ?? ''))));
}

/**
 * gRPC-Web carries the trailer as the body's last frame (flag 0x80): rewritten when it says 13. The
 * frame is looked for in the last chunk only — where connect-es writes it whole, and the only chunk
 * of an error answer.
 */
async function* grpcWebInvalidArgument(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let last: Uint8Array | undefined;
  for await (const chunk of body) {
    if (last) yield last;
    last = chunk;
  }
  if (last) yield rewriteTrailerFrame(Buffer.from(last));
}

function rewriteTrailerFrame(chunk: Buffer): Uint8Array {
  let at = 0;
  while (at + 5 <= chunk.length) {
    const length = chunk.readUInt32BE(at + 1);
    const end = at + 5 + length;
    if (end === chunk.length && (chunk[at]! & 0x80) !== 0) {
      const trailer = new Headers();
      for (const line of chunk.subarray(at + 5).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) trailer.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      if (trailer.get('grpc-status') !== GRPC_INTERNAL) return chunk;
      trailer.set('grpc-status', GRPC_INVALID_ARGUMENT);
      trailer.set('grpc-message', encodeURIComponent(clientMessage(decodeURIComponent(trailer.get('grpc-message') ?? ''))));
      let text = '';
      trailer.forEach((value, name) => (text += `${name}: ${value}\r\n`));
      const frame = Buffer.alloc(5);
      frame[0] = chunk[at]!;
      frame.writeUInt32BE(Buffer.byteLength(text, 'latin1'), 1);
      return Buffer.concat([chunk.subarray(0, at), frame, Buffer.from(text, 'latin1')]);
    }
    at = end;
  }
  return chunk;
}

/** connect-es's own words when they say what was wrong ("parse binary: premature EOF"), else ours. */
const clientMessage = (message: string | undefined) => (message && message !== 'internal error' ? message : UNDECODABLE);

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
