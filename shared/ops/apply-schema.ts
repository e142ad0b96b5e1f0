import { SERVICE_ROLE } from '../auth/roles.ts';
import { seedAccount } from '../idm/seed.ts';
import { adminAccount, type Database, databaseName, databaseServerUrl, databaseUrl, serviceAccount } from '../kernel/config.ts';
import { ensureDatabase, migrate } from '../kernel/migrations.ts';
import { mongoDb } from '../kernel/mongo.ts';
import { MongoProfileRepository } from '../users/infrastructure/mongo-profiles.ts';
import { seedProfile } from '../users/seed.ts';

/**
 * Brings the stores to the shape the code expects, idempotently: both service databases exist
 * and are migrated, the accounts that come from configuration (service account, admin) are
 * seeded, and so is the admin's profile (the service account has none: it buys nothing). Run by
 * the local runtime on start and, in the cloud, by the migration custom resource on every deploy.
 */
export async function applySchema(): Promise<{ migrated: Record<Database, string[]> }> {
  const migrated = {} as Record<Database, string[]>;
  for (const db of ['idm', 'events'] as const) {
    if (!process.env[`${db.toUpperCase()}_DATABASE_URL`]) await ensureDatabase(await databaseServerUrl(), databaseName(db));
    migrated[db] = await migrate(db, await databaseUrl(db));
  }
  const service = await serviceAccount();
  await seedAccount(service.email, service.password, SERVICE_ROLE);
  const admin = await adminAccount();
  const adminId = await seedAccount(admin.email, admin.password, 'admin');
  await seedProfile(new MongoProfileRepository(await mongoDb()), { id: adminId, email: admin.email });
  return { migrated };
}
