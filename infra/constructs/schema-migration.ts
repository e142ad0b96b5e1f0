import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { CustomResource, Duration } from 'aws-cdk-lib';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { DataStores } from '../stacks/data-stack.ts';
import { acknowledgeCdkFunction } from '../nag.ts';
import { repoPath } from './paths.ts';
import { TicketingFunction } from './ticketing-function.ts';

const DATABASES = ['idm', 'events'] as const;
/** What applySchema seeds; change it with the seeding, so that every stack seeds again. */
const SEEDED = 'service account, admin, admin profile';

/**
 * Runs functions/ops/migrate.ts on every deploy that changes a migration (CloudFormation custom
 * resource): creates the service databases, applies the SQL migrations that travel beside the
 * bundle, and seeds the service account, the admin and the admin's profile (DocumentDB). The API's functions depend on it, so they
 * never run against an older schema.
 */
export class SchemaMigration extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, stores: DataStores) {
    super(scope, id);
    const fn = new TicketingFunction(this, 'Function', {
      module: 'ops/migrate',
      serviceName: 'tix-migrate',
      timeout: Duration.minutes(5),
      environment: { MIGRATIONS_DIR: '/var/task/migrations' },
      // Direct to the instance as the master user (never through RDS Proxy), the role secrets it
      // creates the roles with, the token key secrets it creates the first key pair in, and the
      // document store (the admin's profile).
      bindings: [stores.migration, stores.serviceAccount, stores.admin, stores.mongodb],
      network: stores.network,
      bundling: {
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) =>
            DATABASES.flatMap((db) => [`mkdir -p "${outputDir}/migrations/${db}"`, `cp "${inputDir}/shared/${db}/migrations/"*.sql "${outputDir}/migrations/${db}/"`]),
        },
      },
    });

    const provider = new Provider(this, 'Provider', { onEventHandler: fn });
    acknowledgeCdkFunction(provider, 'AwsSolutions-IAM5[Resource::<SchemaMigrationFunction471B3CD6.Arn>:*]');
    this.resource = new CustomResource(this, 'Schema', {
      serviceToken: provider.serviceToken,
      // A new value re-runs the migration: the content of every migration file, and what is seeded
      // (a deployed stack gets the admin's profile on its next deploy, migrations changed or not).
      properties: { migrations: migrationsHash(), seeded: SEEDED },
    });
  }
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const db of DATABASES) {
    const dir = repoPath('shared', db, 'migrations');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) hash.update(`${db}/${file}\n`).update(readFileSync(`${dir}/${file}`));
  }
  return hash.digest('hex').slice(0, 16);
}
