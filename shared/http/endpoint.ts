import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Identity } from '../auth/tokens.ts';
import { findRoute, type Route } from '../routes.ts';
import { Deadline } from '../kernel/deadline.ts';
import { AppError, unauthorized } from '../kernel/errors.ts';
import { parseJsonBody } from '../kernel/json-body.ts';
import { auditActor } from './middleware/audit-actor.ts';
import { callerIdentity } from './middleware/caller-identity.ts';
import { errorResponse } from './middleware/error-response.ts';
import { jsonContentType } from './middleware/json-content-type.ts';
import { responseHeaders } from './middleware/response-headers.ts';
import { type ApiContext, header } from './middleware/types.ts';
import { flushMetrics } from '../kernel/metrics.ts';
import { traceRequest } from '../kernel/tracing.ts';
import { log, logs, newRequestContext, runWithContext } from '../kernel/request-context.ts';
import { type FieldMessageStyle, validate } from '../kernel/validation.ts';

/**
 * A Lambda entry point for one route: the shared middleware stack (correlation id and logging,
 * CORS and security headers, errors → `{"error","code"}`, caller identity, bodies only as
 * `application/json`), strict parsing of the
 * body, query and path against the endpoint's schemas, then the use case.
 *
 *   export const handler = endpoint({ body: CreateEvent }, async (req) => created({ event: … }));
 */

export interface EndpointSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  body?: B;
  query?: Q;
  params?: P;
  /** Request headers the endpoint reads, by lower-case name (a non-strict object: others pass). */
  headers?: z.ZodType;
}

export interface ApiRequest<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** The caller, when a token was presented (always set on protected routes). */
  identity: Identity | undefined;
  route: Route;
  header(name: string): string | undefined;
  event: APIGatewayProxyEvent;
}

export interface Reply {
  status: number;
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent as is (with its own Content-Type header), e.g. an HTML page. */
  text?: string;
  headers?: Record<string, string>;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

/** The caller of a protected route. */
export function caller(req: { identity: Identity | undefined }): Identity {
  if (!req.identity) throw unauthorized('Authorization header required', 'AUTH_REQUIRED');
  return req.identity;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export function endpoint<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  spec: EndpointSpec<B, Q, P>,
  useCase: (req: ApiRequest<Out<B>, Out<Q>, Out<P>>) => Promise<Reply>,
) {
  const core = async (event: APIGatewayProxyEvent, context: ApiContext): Promise<APIGatewayProxyResult> => {
    const style: FieldMessageStyle = context.route.service === 'users' ? 'us' : 'em';
    if (spec.headers) validate(spec.headers, lowerCaseHeaders(event), style, 'header');
    const reply = await useCase({
      body: (spec.body ? validate(spec.body, parseJsonBody(event.body, event.isBase64Encoded), style, 'body') : undefined) as Out<B>,
      query: (spec.query ? validate(spec.query, event.queryStringParameters ?? {}, style, 'query') : undefined) as Out<Q>,
      params: (spec.params ? validate(spec.params, event.pathParameters ?? {}, style, 'path') : undefined) as Out<P>,
      identity: context.caller,
      route: context.route,
      header: (name) => header(event, name),
      event,
    });
    return toResult(reply);
  };

  const stack = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, ApiContext>()
    .use(responseHeaders())
    .use(errorResponse())
    .use(callerIdentity())
    .use(auditActor())
    .use(jsonContentType())
    .handler(core);

  const handler = (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> =>
    serve(event, context, (route) => stack(event, { ...context, route } as ApiContext));
  // The schemas travel with the handler: the OpenAPI document is generated from exactly these.
  return Object.assign(handler, { spec: spec as EndpointSpec<z.ZodType, z.ZodType, z.ZodType> });
}

/**
 * Runs one request inside its context (correlation id, deadline from the Lambda context's remaining
 * time) and logs its outcome. Also used by handlers that
 * speak another protocol than JSON (the IdentityService).
 */
export async function serve(
  event: APIGatewayProxyEvent,
  context: Context,
  run: (route: Route) => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  const route = findRoute(event.httpMethod, event.resource);
  if (!route) throw new AppError(500, 'ROUTE_UNKNOWN', `no route for ${event.httpMethod} ${event.resource}`);
  const requestContext = newRequestContext(header(event, 'x-correlation-id'), { route: `${route.method} ${route.path}` }, Deadline.fromContext(context));
  requestContext.service = route.service;
  return runWithContext(requestContext, async () => {
    const started = performance.now();
    try {
      const result = await traceRequest(requestContext.correlationId, `${route.method} ${route.path}`, () => run(route));
      if (logs('INFO')) log().info('request', { method: event.httpMethod, path: event.path, status: result.statusCode, ms: Math.round(performance.now() - started) });
      return result;
    } finally {
      flushMetrics();
    }
  });
}

const lowerCaseHeaders = (event: APIGatewayProxyEvent) =>
  Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));

function toResult(reply: Reply): APIGatewayProxyResult {
  if (reply.text !== undefined) return { statusCode: reply.status, headers: { ...reply.headers }, body: reply.text };
  if (reply.body === undefined) return { statusCode: reply.status, headers: { ...reply.headers }, body: '' };
  return {
    statusCode: reply.status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers },
    body: JSON.stringify(reply.body),
  };
}
