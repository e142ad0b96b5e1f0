import { SERVICE_TOKEN_ISSUER } from '../auth/service-token-issuer.ts';
import { internalBaseUrl, dynamoConfig, maxTicketsPerBuyer, once, serviceAccount, serviceTokenFunction } from '../kernel/config.ts';
import { invokeFunction } from '../kernel/invoke.ts';
import { mongoDb } from '../kernel/mongo.ts';
import { accountUseCases } from './application/accounts.ts';
import { profileUseCases } from './application/profiles.ts';
import { ticketUseCases } from './application/tickets.ts';
import { DynamoIdempotencyStore, dynamoDocumentClient } from './infrastructure/dynamo-idempotency.ts';
import { HttpEventManagerClient } from './infrastructure/event-manager-client.ts';
import { HttpIdentityClient } from './infrastructure/identity-client.ts';
import { MongoProfileRepository } from './infrastructure/mongo-profiles.ts';
import { CachingTokenProvider, serviceTokenIssuer } from './infrastructure/service-token.ts';

/** Composition root of the User service: adapters wired into use cases, once per container. */
export const profilesRepository = once(async () => new MongoProfileRepository(await mongoDb()));

/** The service account's token, shared by every request of this container, from the IDM's internal issuer. */
export const serviceTokens = once(
  () =>
    new CachingTokenProvider(
      serviceTokenIssuer({
        invoke: (request) => invokeFunction({ module: SERVICE_TOKEN_ISSUER, functionName: serviceTokenFunction() }, request),
        credentials: serviceAccount,
      }),
    ),
);

/** One client, hence one circuit breaker, per container. */
export const eventManagerClient = once(() => new HttpEventManagerClient(internalBaseUrl(), serviceTokens()));

export const identityClient = once(() => new HttpIdentityClient(internalBaseUrl(), serviceTokens()));

export const idempotencyStore = once(() => new DynamoIdempotencyStore(dynamoDocumentClient(), dynamoConfig().idempotencyTable));

export const usersDeps = once(async () => {
  const profiles = await profilesRepository();
  return {
    ...profileUseCases(profiles),
    ...accountUseCases({ profiles, eventManager: eventManagerClient(), identities: identityClient() }),
    ...ticketUseCases({ profiles, eventManager: eventManagerClient(), idempotency: idempotencyStore(), maxTicketsPerBuyer: maxTicketsPerBuyer() }),
  };
});
