import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { API_PREFIXES, ROUTES, type Route } from '../../shared/routes.ts';
import { matchesBinaryMediaType } from '../../shared/kernel/binary-media.ts';
import { corsHeaders, preflightHeaders, SECURITY_HEADERS } from '../../shared/kernel/cors.ts';
import { FUNCTION_TIMEOUT_MS } from '../../shared/kernel/deadline.ts';
import { MAX_BODY_BYTES } from '../../shared/kernel/json-body.ts';
import type { WebApp } from './web.ts';

/**
 * The local stand-in for API Gateway (REST, v1 proxy integration): matches a request against the
 * route table, turns it into the very event API Gateway would send, runs the authorizer for
 * protected routes when one is plugged in, invokes the handler module Lambda runs, and writes the
 * result back. It also answers CORS preflights (API Gateway does that with mock integrations) and
 * hands every other path to the web app (CloudFront's job in the cloud).
 */

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** What an authorizer decided, in API Gateway's terms: pass a context to the handler, or answer. */
export type AuthorizerOutcome =
  | { allow: true; context: Record<string, string | number | boolean> }
  | { allow: false; statusCode: number; body: unknown };
export type Authorizer = (route: Route, event: APIGatewayProxyEvent) => Promise<AuthorizerOutcome>;

export interface GatewayOptions {
  port: number;
  host: string;
  functionsDir: string;
  /** Runs before every non-public route, as API Gateway runs a Lambda authorizer. */
  authorizer?: Authorizer;
  /** The web app, for every path outside the API's prefixes (see web.ts). */
  web?: WebApp;
}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  params: string[];
}

const compile = (route: Route): CompiledRoute => {
  const params: string[] = [];
  const source = route.path
    .split('/')
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { route, params, pattern: new RegExp(`^${source}${route.trailingSlash ? '/?' : ''}$`) };
};

const COMPILED = ROUTES.map(compile);

export function match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const { route, pattern, params } of COMPILED) {
    if (route.method !== method) continue;
    const found = pattern.exec(path);
    if (!found) continue;
    return { route, params: Object.fromEntries(params.map((name, i) => [name, decodeURIComponent(found[i + 1]!)])) };
  }
  return undefined;
}

export async function startGateway(options: GatewayOptions): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const handlers = new Map<string, Promise<Handler>>();
  const load = (name: string) => {
    let handler = handlers.get(name);
    if (!handler) {
      handler = import(pathToFileURL(join(options.functionsDir, `${name}.ts`)).href).then((m) => m.handler as Handler);
      handlers.set(name, handler);
    }
    return handler;
  };

  const server = createServer({ requireHostHeader: false }, (req, res) => {
    serveRequest(req, res, options, load).catch((error) => {
      console.error('local gateway failure', error);
      if (!res.headersSent) send(res, 502, jsonHeaders(req), JSON.stringify({ error: 'Internal server error', code: 'INTERNAL' }));
    });
  });
  server.keepAliveTimeout = 65_000;
  // Requests Node's HTTP parser refuses (oversized URL or headers, garbage) still get our error shape.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const [status, reason, body] = tooLarge
      ? [431, 'Request Header Fields Too Large', { error: 'request line or headers too large', code: 'REQUEST_TOO_LARGE' }]
      : [400, 'Bad Request', { error: 'malformed HTTP request', code: 'BAD_REQUEST' }];
    const text = JSON.stringify(body);
    const headers = { ...SECURITY_HEADERS, ...corsHeaders(undefined), 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), Connection: 'close' };
    socket.end(`HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${text}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${options.port} is already in use: stop what runs there or set PORT`) : error),
    );
    server.listen(options.port, options.host, resolve);
  });
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serveRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: GatewayOptions,
  load: (name: string) => Promise<Handler>,
): Promise<void> {
  // HTTP/1.1 requires Host; Node's own refusal would be a bare 400 without our headers.
  if (req.httpVersion === '1.1' && req.headers.host === undefined) return sendError(req, res, 400, 'Host header required', 'MISSING_HOST');
  const url = originForm(req.url ?? '/');
  if (typeof url === 'string') return sendError(req, res, 400, url, 'BAD_REQUEST');
  const method = (req.method ?? 'GET').toUpperCase();
  const origin = req.headers.origin;
  const isApi = API_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));

  if (method === 'OPTIONS' && isApi) return send(res, 204, preflightHeaders(origin), '');

  const found = match(method, url.pathname);
  if (!found) {
    if (!isApi && options.web && (method === 'GET' || method === 'HEAD') && (await options.web.serve(req, res))) return;
    return send(res, 404, jsonHeaders(req), JSON.stringify({ error: `no route for ${method} ${url.pathname}`, code: 'ROUTE_NOT_FOUND' }));
  }

  const body = await readBody(req);
  if (body === undefined) {
    return send(res, 413, jsonHeaders(req), JSON.stringify({ error: `request body exceeds ${MAX_BODY_BYTES} bytes`, code: 'PAYLOAD_TOO_LARGE' }));
  }
  const event = toEvent(req, url, found.route, found.params, body);

  if (options.authorizer && found.route.access.kind !== 'public') {
    const outcome = await options.authorizer(found.route, event);
    if (!outcome.allow) return send(res, outcome.statusCode, jsonHeaders(req), JSON.stringify(outcome.body));
    event.requestContext.authorizer = outcome.context;
  }

  const handler = await load(found.route.handler);
  const result = await handler(event, lambdaContext(found.route.handler));
  const headers = { ...result.headers } as Record<string, string>;
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String).join(', ');
  // API Gateway's rule: base64 back to bytes only when the request's first Accept type is binary.
  const bytes = result.isBase64Encoded && matchesBinaryMediaType(req.headers.accept);
  send(res, result.statusCode, headers, bytes ? Buffer.from(result.body, 'base64') : result.body);
}

/**
 * The request target as a URL, when it is a path (`/…`, origin form) whose %-escapes decode; else
 * why not. `//host/api/…` or `http://host/api/…` would otherwise be parsed as another host's
 * `/api/…` and served, and an undecodable escape would fail the matching later.
 */
function originForm(target: string): URL | string {
  if (!target.startsWith('/') || target.startsWith('//')) return 'the request target must be a path starting with a single /';
  const url = new URL(`http://localhost${target}`);
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return 'malformed percent-encoding in the path';
  }
  return url;
}

/**
 * The request body, or undefined when it is larger than API Gateway-and-us would accept. Read from
 * the stream's events: an async iterator costs a dozen promises per request, and this runs on
 * every one (two per purchase).
 */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Read (and drop) the rest, so that the client receives our answer rather than a reset.
      if (size <= MAX_BODY_BYTES + 1024) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES + 1024 ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => req.complete || reject(new Error('the client went away before the request ended')));
  });
}

function toEvent(req: IncomingMessage, url: URL, route: Route, params: Record<string, string>, body: Buffer): APIGatewayProxyEvent {
  // Prototype-less maps: a header or parameter called `valueOf` or `__proto__` is just a name.
  const headers: Record<string, string> = Object.create(null);
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = Object.create(null);
  const multiQuery: Record<string, string[]> = Object.create(null);
  for (const [key, value] of url.searchParams) {
    query[key] = value;
    (multiQuery[key] ??= []).push(value);
  }
  const binary = matchesBinaryMediaType(req.headers['content-type']);
  const hasQuery = Object.keys(query).length > 0;
  return {
    resource: route.path,
    path: url.pathname,
    httpMethod: route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(params).length > 0 ? params : null,
    stageVariables: null,
    body: body.length === 0 ? null : binary ? body.toString('base64') : body.toString('utf8'),
    isBase64Encoded: binary && body.length > 0,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: null,
      httpMethod: route.method,
      path: url.pathname,
      protocol: `HTTP/${req.httpVersion}`,
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: route.path,
      stage: 'local',
      identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: req.headers['user-agent'] ?? null } as APIGatewayProxyEvent['requestContext']['identity'],
    },
  };
}

/** What Lambda gives a handler; the remaining time counts down from the functions' timeout (as in CDK). */
function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + FUNCTION_TIMEOUT_MS;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

const sendError = (req: IncomingMessage, res: ServerResponse, status: number, error: string, code: string) =>
  send(res, status, jsonHeaders(req), JSON.stringify({ error, code }));

const jsonHeaders = (req: IncomingMessage) => ({
  ...SECURITY_HEADERS,
  ...corsHeaders(req.headers.origin),
  'Content-Type': 'application/json; charset=utf-8',
});

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) {
  // Sized by the gateway, as API Gateway does, whatever the function said (a 204 has nothing to
  // size): the answer leaves in one write, without chunked framing.
  const sized: Record<string, string> = {};
  for (const name in headers) if (name.toLowerCase() !== 'content-length') sized[name] = headers[name]!;
  if (status !== 204) sized['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(status, sized);
  res.end(body);
}
