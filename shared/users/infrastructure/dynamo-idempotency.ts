import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoConfig, once } from '../../kernel/config.ts';
import { log } from '../../kernel/request-context.ts';
import type { IdempotencyLease, IdempotencyStart, IdempotencyStore, StoredResponse } from '../application/ports.ts';
import { countAwsFaults } from '../../kernel/dependency.ts';
import { tracedAwsClient } from '../../kernel/tracing.ts';

/**
 * Idempotency records of purchases in DynamoDB (dynalite locally). One item per (user, key):
 *
 *   id           "<scope>#<Idempotency-Key>"
 *   fingerprint  hash of the request body: the same key with another body is refused
 *   code         the ticket code of this purchase, chosen before the first attempt and reused by
 *                every re-run, so that no re-run can sell a second seat
 *   status       IN_PROGRESS | COMPLETED | FAILED
 *   owner        the run holding the lease; every state change is conditional on it (fencing)
 *   lease_until  ms: an IN_PROGRESS record older than this belongs to a run that died; it may be taken over
 *   response     the answer to replay (COMPLETED)
 *   expiration   epoch seconds: the table's TTL attribute; also checked on read (dynalite has no TTL)
 *
 * Why not Powertools' idempotency utility: it cannot keep a value chosen before the run (the code)
 * for re-runs after a failure, answers concurrent duplicates with an error instead of waiting for
 * the first result, and deletes the record on failure. The protocol below needs only conditional
 * PutItem / UpdateItem, which dynalite and DynamoDB both have.
 */

export const RECORD_TTL_SECONDS = 24 * 60 * 60;
/** Longer than a request may run (API Gateway: 29 s). */
export const LEASE_MS = 35_000;

type Status = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

interface IdempotencyItem {
  id: string;
  fingerprint: string;
  code: string;
  status: Status;
  owner: string;
  lease_until: number;
  expiration: number;
  response?: StoredResponse;
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(dynamoClient(), { marshallOptions: { removeUndefinedValues: true } });
}

/** One client per container. */
const dynamoClient = once((): DynamoDBClient => {
  const { endpoint, region } = dynamoConfig();
  return tracedAwsClient(countAwsFaults(new DynamoDBClient({
    region,
    endpoint,
    // dynalite accepts any credentials; the cloud uses the function's role.
    ...(endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 3,
  }), 'dynamodb'));
});

/** Readiness: the idempotency table answers. */
export async function idempotencyTableProbe(): Promise<void> {
  await dynamoClient().send(new DescribeTableCommand({ TableName: dynamoConfig().idempotencyTable }));
}

/**
 * Creates the table where it does not exist: the local runtime and tests (CDK creates it in the
 * cloud). Its own short-lived client, so that the container's memoised one is not configured early.
 */
export const ensureIdempotencyTable = (options: { endpoint: string; table: string; region?: string }) => ensureTable(options, 'id');

/** The durable copy of token revocations (shared/auth/blacklist.ts), keyed by the token's `jti`. */
export const ensureRevocationsTable = (options: { endpoint: string; table: string; region?: string }) => ensureTable(options, 'jti');

async function ensureTable(options: { endpoint: string; table: string; region?: string }, key: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: options.table,
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
}

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now = () => Date.now(),
  ) {}

  async start(scope: string, key: string, fingerprint: string, newCode: string): Promise<IdempotencyStart> {
    const id = `${scope}#${key}`;
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.now();
      const owner = randomUUID();
      const item: IdempotencyItem = {
        id,
        fingerprint,
        code: newCode,
        status: 'IN_PROGRESS',
        owner,
        lease_until: now + LEASE_MS,
        expiration: Math.floor(now / 1000) + RECORD_TTL_SECONDS,
      };
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: item,
            // New, or an expired record TTL has not removed yet.
            ConditionExpression: 'attribute_not_exists(id) OR expiration < :now',
            ExpressionAttributeValues: { ':now': Math.floor(now / 1000) },
          }),
        );
        return { kind: 'run', code: newCode, lease: this.lease(id, owner) };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }

      const existing = (await this.client.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true })))
        .Item as IdempotencyItem | undefined;
      if (!existing || existing.expiration < Math.floor(now / 1000)) continue;
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.status === 'COMPLETED' && existing.response) return { kind: 'replay', response: existing.response };
      if (existing.status === 'IN_PROGRESS' && existing.lease_until > now) return { kind: 'in-progress' };

      // FAILED, or IN_PROGRESS by a run that died: take it over, keeping its ticket code.
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { id },
            UpdateExpression: 'SET #status = :running, #owner = :owner, lease_until = :lease',
            ConditionExpression: '#owner = :previous',
            ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
            ExpressionAttributeValues: { ':running': 'IN_PROGRESS', ':owner': owner, ':lease': now + LEASE_MS, ':previous': existing.owner },
          }),
        );
        return { kind: 'run', code: existing.code, lease: this.lease(id, owner) };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return { kind: 'in-progress' };
  }

  private lease(id: string, owner: string): IdempotencyLease {
    const settle = async (status: Status, response?: StoredResponse) => {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { id },
            UpdateExpression: response ? 'SET #status = :status, #response = :response' : 'SET #status = :status',
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner', ...(response ? { '#response': 'response' } : {}) },
            ExpressionAttributeValues: { ':status': status, ':owner': owner, ...(response ? { ':response': response } : {}) },
          }),
        );
      } catch (error) {
        // Another run took the record over (this one outlived its lease): that run settles it.
        if (isConditionFailure(error)) log().warn('idempotency lease lost', { record: id, status });
        else throw error;
      }
    };
    return { complete: (response) => settle('COMPLETED', response), fail: () => settle('FAILED') };
  }
}
