import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoConfig, once } from '../kernel/config.ts';
import { serviceUnavailable } from '../kernel/errors.ts';
import { type RedisClient, redisClient } from '../kernel/redis.ts';
import { log } from '../kernel/request-context.ts';

/**
 * Revoked tokens, keyed by the token's `jti`, kept until the token would have expired anyway
 * (CONTRACT F14). Only real logouts are recorded: garbage tokens never reach it.
 */
export interface Blacklist {
  /** Record `jti` as revoked until `expiresAt` (unix seconds). */
  revoke(jti: string, expiresAt: number): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Per-process blacklist: honours TTLs and holds at most `capacity` entries (oldest expiry evicted). */
export class MemoryBlacklist implements Blacklist {
  private readonly entries = new Map<string, number>();
  constructor(private readonly capacity = 100_000) {}

  async revoke(jti: string, expiresAt: number): Promise<void> {
    if (expiresAt <= nowSeconds()) return;
    if (this.entries.size >= this.capacity && !this.entries.has(jti)) this.evict();
    this.entries.set(jti, expiresAt);
  }

  async isRevoked(jti: string): Promise<boolean> {
    return this.has(jti);
  }

  /** `isRevoked` without a promise, for the check in front of the shared stores (every request). */
  has(jti: string): boolean {
    const expiresAt = this.entries.get(jti);
    if (expiresAt === undefined) return false;
    if (expiresAt > nowSeconds()) return true;
    this.entries.delete(jti);
    return false;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    const now = nowSeconds();
    for (const [jti, exp] of this.entries) if (exp <= now) this.entries.delete(jti);
    if (this.entries.size < this.capacity) return;
    // Still full of live entries: drop the one that expires first (it matters the shortest).
    let first: [string, number] | undefined;
    for (const entry of this.entries) if (!first || entry[1] < first[1]) first = entry;
    if (first) this.entries.delete(first[0]);
  }
}

export const REVOKED_PREFIX = 'token:revoked:';

export class RedisBlacklist implements Blacklist {
  constructor(private readonly redis: RedisClient) {}

  async revoke(jti: string, expiresAt: number): Promise<void> {
    const ttl = expiresAt - nowSeconds();
    if (ttl > 0) await this.redis.command('SET', REVOKED_PREFIX + jti, '1', 'EX', ttl);
  }

  async isRevoked(jti: string): Promise<boolean> {
    return (await this.redis.command('EXISTS', REVOKED_PREFIX + jti)) === 1;
  }
}

/**
 * The shared durable copy of the revocations (CONTRACT F14): one DynamoDB item per `jti`
 * (`REVOCATIONS_TABLE`, key `jti`, TTL attribute `expires_at`), read with strong consistency.
 * DynamoDB's TTL deletes late, so an item past its `expires_at` counts as gone.
 */
export class DynamoBlacklist implements Blacklist {
  constructor(
    private readonly client: () => Promise<DynamoDBClient>,
    private readonly table: string,
  ) {}

  async revoke(jti: string, expiresAt: number): Promise<void> {
    if (expiresAt <= nowSeconds()) return;
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    await (await this.client()).send(
      new PutItemCommand({ TableName: this.table, Item: { jti: { S: jti }, expires_at: { N: String(expiresAt) } } }),
    );
  }

  async isRevoked(jti: string): Promise<boolean> {
    const { GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const out = await (await this.client()).send(
      new GetItemCommand({ TableName: this.table, Key: { jti: { S: jti } }, ConsistentRead: true, ProjectionExpression: 'expires_at' }),
    );
    return out.Item !== undefined && Number(out.Item.expires_at?.N) > nowSeconds();
  }
}

export const REVOCATION_UNAVAILABLE = 'REVOCATION_UNAVAILABLE';
const unavailable = (what: string) => serviceUnavailable(`token revocation cannot be ${what} right now; try again shortly`, REVOCATION_UNAVAILABLE);

/**
 * Many containers, one truth: a logout is written to Redis (fast, checked on every request) and to
 * the durable store (the answer when Redis fails); it succeeds only when both took it, so neither
 * can later answer "not revoked" for it. A check reads Redis, then the durable store when Redis
 * fails (slow, paused, down), and refuses with 503 REVOCATION_UNAVAILABLE when neither answers:
 * it never fails open. This container's own revocations are also kept in memory.
 */
export class DurableBlacklist implements Blacklist {
  constructor(
    /** Redis; undefined: none configured, the durable store answers every check. */
    private readonly fast: Blacklist | undefined,
    private readonly durable: Blacklist,
    private readonly memory = new MemoryBlacklist(),
  ) {}

  async revoke(jti: string, expiresAt: number): Promise<void> {
    await this.memory.revoke(jti, expiresAt);
    const [fast, durable] = await Promise.allSettled([this.fast?.revoke(jti, expiresAt), this.durable.revoke(jti, expiresAt)]);
    if (fast.status === 'fulfilled' && durable.status === 'fulfilled') return;
    log().error('a revocation store failed; the logout is refused so that the client retries', {
      redis: fast.status === 'rejected' ? String(fast.reason) : 'ok',
      durable: durable.status === 'rejected' ? String(durable.reason) : 'ok',
    });
    throw unavailable('recorded');
  }

  async isRevoked(jti: string): Promise<boolean> {
    if (this.memory.has(jti)) return true;
    if (this.fast) {
      try {
        return await this.fast.isRevoked(jti);
      } catch (error) {
        log().warn('blacklist lookup in Redis failed; asking the durable store', { error: String(error) });
      }
    }
    try {
      return await this.durable.isRevoked(jti);
    } catch (error) {
      log().error('blacklist lookup failed in Redis and in the durable store; refusing', { error: String(error) });
      throw unavailable('checked');
    }
  }
}

/**
 * The one-process local runtime without a durable store: Redis first, memory always. Every
 * revocation is also kept in memory, and when Redis fails the memory answer is used and the failure
 * is logged — valid only where this process is the only one that checks tokens.
 */
export class FallbackBlacklist implements Blacklist {
  constructor(
    private readonly primary: Blacklist,
    private readonly memory = new MemoryBlacklist(),
  ) {}

  async revoke(jti: string, expiresAt: number): Promise<void> {
    await this.memory.revoke(jti, expiresAt);
    try {
      await this.primary.revoke(jti, expiresAt);
    } catch (error) {
      log().error('blacklist store failed; revocation kept in memory only', { error: String(error) });
    }
  }

  async isRevoked(jti: string): Promise<boolean> {
    if (this.memory.has(jti)) return true;
    try {
      return await this.primary.isRevoked(jti);
    } catch (error) {
      log().error('blacklist lookup failed; answering from memory', { error: String(error) });
      return false;
    }
  }
}

/** DynamoDB for the revocations (dynalite locally, the SDK's default endpoint in the cloud). */
export const revocationsDynamo = once(async (): Promise<DynamoDBClient> => {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { endpoint, region } = dynamoConfig();
  return new DynamoDBClient({
    region,
    endpoint,
    ...(endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 2,
  });
});

/**
 * The container's blacklist: with `REVOCATIONS_TABLE` (the cloud, and the local runtime), Redis and
 * the durable store, failing closed; without it, Redis with memory fallback, or memory alone without
 * REDIS_URL (a single process).
 */
export const blacklist = once((): Blacklist => {
  const redis = redisClient();
  const table = dynamoConfig().revocationsTable;
  if (table) {
    const durable = new DynamoBlacklist(revocationsDynamo, table);
    return new DurableBlacklist(redis && new RedisBlacklist(redis), durable);
  }
  return redis ? new FallbackBlacklist(new RedisBlacklist(redis)) : new MemoryBlacklist();
});
