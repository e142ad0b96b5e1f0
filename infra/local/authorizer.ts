import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { accessDeniedBody, AUTHORIZER_FAILURE_BODY, AUTHORIZER_FAILURE_STATUS, UNAUTHORIZED_BODY } from '../../shared/auth/gateway-responses.ts';
import { header } from '../../shared/http/middleware/types.ts';
import type { Route } from '../../shared/routes.ts';
import type { Authorizer, AuthorizerOutcome } from './gateway.ts';

type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

/**
 * API Gateway's authorizer step, locally: the identity-source check (no Authorization header → 401
 * without invoking), the decision cache keyed by header + method + resource path with a TTL, the
 * invocation of the authorizer function, and the evaluation of the policy it returns.
 */
export function lambdaAuthorizer(load: () => Promise<AuthorizerHandler>, ttlSeconds: number): Authorizer {
  const cache = new Map<string, { until: number; outcome: AuthorizerOutcome }>();
  // Loaded once, as a warm container holds it: an import() per invocation is not free under a
  // loader (tsx resolves and stats the file again each time, on its hooks thread).
  let handler: Promise<AuthorizerHandler> | undefined;

  return async (route: Route, event: APIGatewayProxyEvent): Promise<AuthorizerOutcome> => {
    const authorization = header(event, 'authorization');
    if (!authorization?.trim()) return { allow: false, statusCode: 401, body: UNAUTHORIZED_BODY };

    const key = `${authorization}\n${route.method}\n${route.path}`;
    const cached = cache.get(key);
    if (cached && cached.until > Date.now()) return cached.outcome;

    // The trailing-slash alias of a collection is the same resource (as API Gateway treats it).
    const methodArn = `arn:aws:execute-api:local:000000000000:local/local/${route.method}${event.path.replace(/(.)\/+$/, '$1')}`;
    let outcome: AuthorizerOutcome;
    try {
      const result = await (await (handler ??= load()))({
        type: 'REQUEST',
        methodArn,
        resource: route.path,
        path: event.path,
        httpMethod: route.method,
        headers: event.headers,
        multiValueHeaders: event.multiValueHeaders,
        queryStringParameters: event.queryStringParameters,
        multiValueQueryStringParameters: event.multiValueQueryStringParameters,
        pathParameters: event.pathParameters,
        stageVariables: event.stageVariables,
        requestContext: { ...event.requestContext, authorizer: undefined },
      });
      outcome = evaluate(result, methodArn);
    } catch (error) {
      outcome = (error as Error).message === 'Unauthorized'
        ? { allow: false, statusCode: 401, body: UNAUTHORIZED_BODY }
        : { allow: false, statusCode: AUTHORIZER_FAILURE_STATUS, body: AUTHORIZER_FAILURE_BODY };
    }
    // API Gateway caches policies, and "Unauthorized" answers, for the TTL; not failures.
    if (ttlSeconds > 0 && (outcome.allow || outcome.statusCode !== AUTHORIZER_FAILURE_STATUS)) cache.set(key, { until: Date.now() + ttlSeconds * 1000, outcome });
    return outcome;
  };
}

/** IAM-style evaluation: an explicit Deny wins, then an Allow, else an implicit deny. */
function evaluate(result: APIGatewayAuthorizerResult, methodArn: string): AuthorizerOutcome {
  const statements = result.policyDocument?.Statement ?? [];
  const applies = (s: (typeof statements)[number]) => {
    const resources = 'Resource' in s ? [s.Resource].flat() : [];
    return resources.some((r) => arnMatches(String(r), methodArn));
  };
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return { allow: false, statusCode: 403, body: accessDeniedBody(result.context ?? undefined) };
  if (statements.some((s) => s.Effect === 'Allow' && applies(s))) {
    return { allow: true, context: { principalId: result.principalId, ...(result.context ?? {}) } as Record<string, string | number | boolean> };
  }
  return { allow: false, statusCode: 403, body: { error: 'forbidden', code: 'FORBIDDEN' } };
}

/** `*` matches any run of characters, as in execute-api resource ARNs. */
const arnMatches = (pattern: string, arn: string) =>
  new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(arn);
