import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** An API Gateway REST (v1) proxy event for `method resource`, as API Gateway would send it. */
export function apiEvent(
  method: string,
  resource: string,
  options: { body?: string | null; headers?: Record<string, string>; path?: string; authorizer?: Record<string, unknown>; query?: Record<string, string>; pathParameters?: Record<string, string>; requestTimeEpoch?: number } = {},
): APIGatewayProxyEvent {
  return {
    resource,
    path: options.path ?? resource,
    httpMethod: method,
    // A body is JSON unless the test says otherwise, as the SPA and the services send it.
    headers: options.body != null && !Object.keys(options.headers ?? {}).some((h) => h.toLowerCase() === 'content-type')
      ? { 'Content-Type': 'application/json', ...options.headers }
      : options.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: false,
    requestContext: { authorizer: options.authorizer ?? null, requestId: 'test', resourcePath: resource, httpMethod: method, requestTimeEpoch: options.requestTimeEpoch ?? Date.now() } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

export const lambdaContext = { awsRequestId: 'test', functionName: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
