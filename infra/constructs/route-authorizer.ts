import { Duration } from 'aws-cdk-lib';
import { IdentitySource, type IAuthorizer, RequestAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import type { Construct } from 'constructs';
import type { Profile } from '../profile.ts';
import type { DataStores } from '../stacks/data-stack.ts';
import { TicketingFunction } from './ticketing-function.ts';

/**
 * The Lambda REQUEST authorizer of every protected route (functions/authorizer.ts). It needs the JWT
 * key and the blacklist (Redis), nothing else.
 *
 * Identity sources = the cache key: the Authorization header, the HTTP method and the resource path,
 * so a cached decision serves one token on one route and never leaks to another route or token. A
 * request without the header is refused by API Gateway before the function runs. The TTL bounds
 * how long a logged-out token keeps working on a route it was already used on.
 */
export function routeAuthorizer(profile: Profile) {
  return (scope: Construct, stores: DataStores): ((id: string) => IAuthorizer) => {
    const fn = new TicketingFunction(scope, 'Authorizer', {
      module: 'authorizer',
      serviceName: 'tix-authorizer',
      memorySize: 256,
      timeout: Duration.seconds(5),
      bindings: [stores.jwt, stores.redis, stores.revocations],
      network: stores.network,
    });
    // One function; one authorizer per API it guards (an authorizer belongs to one REST API).
    return (id) => new RequestAuthorizer(scope, id, {
      handler: fn,
      identitySources: [IdentitySource.header('Authorization'), IdentitySource.context('httpMethod'), IdentitySource.context('resourcePath')],
      resultsCacheTtl: Duration.seconds(profile.authorizerTtlSeconds),
    });
  };
}
