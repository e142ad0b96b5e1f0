import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorize } from '#shared/auth/authorizer';
import { blacklist } from '#shared/auth/blacklist';
import { count, flushMetrics } from '#shared/kernel/metrics';
import { newRequestContext, runWithContext } from '#shared/kernel/request-context';

/**
 * The Lambda REQUEST authorizer of every protected route (see shared/auth/authorizer.ts). It runs in
 * the request's correlation context (the caller's X-Correlation-Id, when sent) and counts its decisions.
 */
export const handler = (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const context = newRequestContext(correlationHeader(event), { route: `${event.httpMethod} ${event.resource}` });
  context.service = 'authorizer';
  return runWithContext(context, async () => {
    try {
      const result = await authorize(event, blacklist());
      count(result.policyDocument.Statement.every((s) => s.Effect === 'Allow') ? 'AuthorizerAllows' : 'AuthorizerDenies');
      return result;
    } catch (error) {
      count('AuthorizerDenies'); // 401: no token, or a bad one
      throw error;
    } finally {
      flushMetrics();
    }
  });
};

function correlationHeader(event: APIGatewayRequestAuthorizerEvent): string | undefined {
  for (const [name, value] of Object.entries(event.headers ?? {})) if (name.toLowerCase() === 'x-correlation-id') return value ?? undefined;
  return undefined;
}
