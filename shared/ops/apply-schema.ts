import { SERVICE_ROLE } from '../auth/roles.ts';
import { seedAccount } from '../idm/seed.ts';
import { adminAccount, auditRole, type Database, databaseAdminUrlOf, serviceAccount, serviceRole } from '../kernel/config.ts';
import { grantAuditReader, grantServiceRole, migrate } from '../kernel/migrations.ts';
import { mongoDb } from '../kernel/mongo.ts';
import { MongoProfileRepository } from '../users/infrastructure/mongo-profiles.ts';
import { seedProfile } from '../users/seed.ts';

/**
 * Brings the stores to the shape the code expects, idempotently: both service databases exist
 * and are migrated (on the direct admin connection), each service's role exists with rights on its
 * own database only (the audit reader's role: reading `audit_log` of both), the accounts that come from configuration (service account, admin) are
 * seeded, and so is the admin's profile (the service account has none: it buys nothing). Run by
 * the local runtime on start and, in the cloud, by the migration custom resource on every deploy.
 */
export async function applySchema(): Promise<{ migrated: Record<Database, string[]> }> {
  const migrated = {} as Record<Database, string[]>;
  for (const db of ['idm', 'events'] as const) {
    // On the direct admin connection (migrate creates the database when it is missing).
    const adminUrl = await databaseAdminUrlOf(db);
    migrated[db] = await migrate(db, adminUrl);
    const role = await serviceRole(db);
    if (role) await grantServiceRole(adminUrl, role);
    const reader = await auditRole();
    if (reader) await grantAuditReader(adminUrl, reader);
  }
  const service = await serviceAccount();
  await seedAccount(service.email, service.password, SERVICE_ROLE);
  const admin = await adminAccount();
  const adminId = await seedAccount(admin.email, admin.password, 'admin');
  await seedProfile(new MongoProfileRepository(await mongoDb()), { id: adminId, email: admin.email });
  return { migrated };
}
