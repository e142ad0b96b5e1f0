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

/** Each event's headers under lower-case names, made on the first lookup (a request makes several). */
const lowerCased = new WeakMap<object, Map<string, string>>();

/** Header lookup that ignores case, as HTTP does. */
export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const headers = event.headers ?? {};
  let byName = lowerCased.get(headers);
  if (!byName) {
    byName = new Map();
    for (const key in headers) {
      const value = headers[key];
      // The first of two spellings wins, as the scan that this replaces did.
      if (value != null && !byName.has(key.toLowerCase())) byName.set(key.toLowerCase(), value);
    }
    lowerCased.set(headers, byName);
  }
  return byName.get(name.toLowerCase());
}
