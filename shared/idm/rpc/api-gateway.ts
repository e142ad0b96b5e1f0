import { type ConnectRouter, type ConnectRouterOptions, createConnectRouter, createContextValues } from '@connectrpc/connect';
import type { UniversalHandler } from '@connectrpc/connect/protocol';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { corsHeaders, SECURITY_HEADERS } from '../../kernel/cors.ts';
import { serve } from '../../http/endpoint.ts';
import { header } from '../../http/middleware/types.ts';
import { correlationId, log } from '../../kernel/request-context.ts';
import { clientIpKey } from './identity-service.ts';

/**
 * Serves a Connect router from one Lambda behind API Gateway: the proxy event becomes a request to
 * the router's universal handlers (Connect JSON and binary, Connect GET, gRPC-Web), and the answer
 * goes back as text when it is JSON and base64-encoded otherwise (API Gateway decodes base64 only for
 * requests whose Accept matches its binary media types: JSON must not depend on that). Native gRPC
 * is left out: it needs HTTP/2 trailers, which API Gateway cannot carry.
 */
export function apiGatewayRpcHandler(routes: (router: ConnectRouter) => void, options: ConnectRouterOptions = {}) {
  const router = createConnectRouter({ ...options, grpc: false, grpcWeb: true, connect: true });
  routes(router);
  const byPath = new Map(router.handlers.map((h) => [h.requestPath, h]));

  return (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> =>
    serve(event, context, async () => {
      const common = {
        ...SECURITY_HEADERS,
        ...corsHeaders(header(event, 'origin')),
        'X-Correlation-Id': correlationId() ?? '',
      };
      const handler = byPath.get(requestPath(event));
      if (!handler) return answer(404, { 'Content-Type': 'application/json', ...common }, notFound(event));
      try {
        return await invoke(handler, event, context, common);
      } catch (error) {
        log().error('RPC adapter failure', { error: error as Error });
        return answer(500, { 'Content-Type': 'application/json', ...common }, JSON.stringify({ code: 'internal', message: 'Internal server error' }));
      }
    });
}

async function invoke(
  handler: UniversalHandler,
  event: APIGatewayProxyEvent,
  context: Context,
  common: Record<string, string>,
): Promise<APIGatewayProxyResult> {
  const bytes = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  const remaining = context.getRemainingTimeInMillis?.() ?? 29_000;
  const response = await handler({
    httpVersion: '1.1',
    method: event.httpMethod,
    url: requestUrl(event),
    header: requestHeaders(event),
    body: (async function* () {
      if (bytes.length > 0) yield new Uint8Array(bytes);
    })(),
    signal: AbortSignal.timeout(Math.max(1_000, remaining - 500)),
    contextValues: createContextValues().set(clientIpKey, event.requestContext?.identity?.sourceIp ?? undefined),
  });
  const chunks: Uint8Array[] = [];
  if (response.body) for await (const chunk of response.body) chunks.push(chunk);
  const headers: Record<string, string> = {};
  response.header?.forEach((value, name) => (headers[name] = value));
  return answer(response.status, { ...headers, ...common }, Buffer.concat(chunks));
}

/** `/idm.IdentityService/{method}` with the method filled in (independent of stage or base path). */
const requestPath = (event: APIGatewayProxyEvent) =>
  event.resource.replace(/\{(\w+)\}/g, (_, name: string) => event.pathParameters?.[name] ?? '');

function requestUrl(event: APIGatewayProxyEvent): string {
  const query = new URLSearchParams();
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [key, value] of Object.entries(event.queryStringParameters ?? {})) {
    for (const v of multi[key] ?? [value]) if (v !== undefined) query.append(key, v);
  }
  const search = query.size > 0 ? `?${query}` : '';
  return `https://${header(event, 'host') ?? 'localhost'}${requestPath(event)}${search}`;
}

function requestHeaders(event: APIGatewayProxyEvent): Headers {
  const headers = new Headers();
  const multi = event.multiValueHeaders ?? {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    for (const v of multi[name] ?? [value]) {
      if (v === undefined) continue;
      try {
        headers.append(name, v);
      } catch {
        // A header Fetch considers invalid cannot matter to the RPC: leave it out.
      }
    }
  }
  return headers;
}

const notFound = (event: APIGatewayProxyEvent) =>
  JSON.stringify({ code: 'unimplemented', message: `unknown RPC ${requestPath(event)}` });

/** JSON (Connect JSON, errors) as text; protobuf and gRPC-Web frames base64-encoded. */
function answer(status: number, headers: Record<string, string>, body: Buffer | string): APIGatewayProxyResult {
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (/^application\/json\b/i.test(contentType)) return { statusCode: status, headers, body: Buffer.from(body).toString('utf8'), isBase64Encoded: false };
  return { statusCode: status, headers, body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
}
