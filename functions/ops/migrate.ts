import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { applySchema } from '#shared/ops/apply-schema';
import { ensureTokenKeys } from '#shared/ops/token-keys';

/**
 * The migration custom resource (CDK Provider framework): on every create and update of the stack,
 * create the token key pair if there is none yet, create the databases and the services' roles,
 * migrate them and seed the configured accounts. Deleting does nothing (data
 * outlives stacks).
 */
export async function handler(event: CloudFormationCustomResourceEvent) {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  await ensureTokenKeys();
  const { migrated } = await applySchema();
  return {
    PhysicalResourceId: 'tix-schema',
    Data: { idm: migrated.idm.join(',') || 'up to date', events: migrated.events.join(',') || 'up to date' },
  };
}
