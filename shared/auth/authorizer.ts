import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { findRoute, type Route } from '../routes.ts';
import type { Blacklist } from './blacklist.ts';
import { authenticate } from './policy.ts';

/**
 * The Lambda REQUEST authorizer's logic: authentication for the route (from the route table) of the
 * request's token, as an IAM policy API Gateway understands.
 *
 *  - a genuine, live token → Allow + context {userId, role, email, jti, exp, checkedAt} for the
 *                handler, which re-checks jti and exp (a cached decision never outlives a logout or
 *                the token itself) and THEN applies the route's role rule (403). The role is not
 *                decided here: API Gateway would cache a Deny too, and answer 403 instead of 401 for
 *                the rest of the TTL after a logout.
 *  - 401 cases → throw "Unauthorized" (API Gateway answers 401 with the UNAUTHORIZED gateway response)
 *  - unknown route → Deny + context {code, message} (the ACCESS_DENIED gateway response renders them)
 *
 * Caching: API Gateway caches a decision by the identity sources (Authorization header, HTTP method,
 * resource path), so one decision serves one token on one route. The policy therefore covers the
 * route's path *pattern* (`…/GET/api/event-manager/event-packets/*`), not only the concrete path of the
 * request that produced it: otherwise a cached Allow for /event-packets/5 would implicitly deny
 * /event-packets/6.
 */
export const UNAUTHORIZED = 'Unauthorized';

export async function authorize(event: APIGatewayRequestAuthorizerEvent, revoked: Blacklist): Promise<APIGatewayAuthorizerResult> {
  const route = findRoute(event.httpMethod, event.resource);
  if (!route) return policy('anonymous', 'Deny', event.methodArn, { code: 'ROUTE_NOT_FOUND', message: 'no such route' });
  const decision = await authenticate(route.access, authorizationHeader(event), revoked);
  if (decision.allow) {
    const who = decision.identity;
    const token = decision.token;
    // checkedAt: when revocation was checked, so a handler can tell this decision from a cached one.
    const context: Record<string, string | number> =
      who && token ? { userId: who.userId, role: who.role, email: who.email, jti: token.jti, exp: token.expiresAt, checkedAt: Date.now() } : {};
    return policy(who ? String(who.userId) : 'anonymous', 'Allow', routeArn(event.methodArn, route), context);
  }
  if (decision.status === 401) throw new Error(UNAUTHORIZED);
  return policy('anonymous', 'Deny', routeArn(event.methodArn, route), { code: decision.code, message: decision.message });
}

function authorizationHeader(event: APIGatewayRequestAuthorizerEvent): string | undefined {
  for (const [name, value] of Object.entries(event.headers ?? {})) if (name.toLowerCase() === 'authorization') return value ?? undefined;
  return undefined;
}

/** `arn:…:apiId/stage/METHOD/<path>` of the request → the same ARN for the route's path pattern. */
export function routeArn(methodArn: string, route: Route): string {
  const [apiAndStage] = methodArn.split(`/${route.method}/`);
  return `${apiAndStage}/${route.method}${route.path.replace(/\{\w+\}/g, '*')}`;
}

function policy(
  principalId: string,
  effect: 'Allow' | 'Deny',
  resource: string,
  context: Record<string, string | number>,
): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
    context,
  };
}
