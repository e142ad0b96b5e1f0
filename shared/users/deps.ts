import { once } from '../kernel/config.ts';
import { mongoDb } from '../kernel/mongo.ts';
import { profileUseCases } from './application/profiles.ts';
import { MongoProfileRepository } from './infrastructure/mongo-profiles.ts';

/** Composition root of the User service: adapters wired into use cases, once per container. */
export const profilesRepository = once(async () => new MongoProfileRepository(await mongoDb()));

export const usersDeps = once(async () => {
  const profiles = await profilesRepository();
  return { ...profileUseCases(profiles) };
});
