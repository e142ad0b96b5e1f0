import { internalBaseUrl, dynamoConfig, once, serviceAccount } from '../kernel/config.ts';
import { mongoDb } from '../kernel/mongo.ts';
import { accountUseCases } from './application/accounts.ts';
import { profileUseCases } from './application/profiles.ts';
import { ticketUseCases } from './application/tickets.ts';
import { DynamoIdempotencyStore, dynamoDocumentClient } from './infrastructure/dynamo-idempotency.ts';
import { HttpEventManagerClient } from './infrastructure/event-manager-client.ts';
import { HttpIdentityClient } from './infrastructure/identity-client.ts';
import { MongoProfileRepository } from './infrastructure/mongo-profiles.ts';
import { CachingTokenProvider, identityServiceLogin } from './infrastructure/service-token.ts';

/** Composition root of the User service: adapters wired into use cases, once per container. */
export const profilesRepository = once(async () => new MongoProfileRepository(await mongoDb()));

/** The service account's token, shared by every request of this container. */
export const serviceTokens = once(
  () => new CachingTokenProvider(identityServiceLogin({ baseUrl: internalBaseUrl(), credentials: serviceAccount })),
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
    ...ticketUseCases({ profiles, eventManager: eventManagerClient(), idempotency: idempotencyStore() }),
  };
});
