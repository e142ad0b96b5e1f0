import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorize } from '#shared/auth/authorizer';
import { blacklist } from '#shared/auth/blacklist';

/** The Lambda REQUEST authorizer of every protected route (see shared/auth/authorizer.ts). */
export const handler = (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => authorize(event, blacklist());
