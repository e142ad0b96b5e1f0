import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Identity } from '../../auth/tokens.ts';
import type { Route } from '../../routes.ts';

/** What the middlewares share about the request being served. */
export interface ApiContext extends Context {
  route: Route;
  caller?: Identity;
}

export type ApiMiddleware = MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, ApiContext>;

/** Header lookup that ignores case, as HTTP does. */
export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value != null) return value;
  }
  return undefined;
}
