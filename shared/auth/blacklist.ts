import { once } from '../kernel/config.ts';
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
 * Redis first, memory always: every revocation is also kept in memory, and when Redis fails the
 * memory answer is used and the failure is logged. It never fails open silently.
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
    if (await this.memory.isRevoked(jti)) return true;
    try {
      return await this.primary.isRevoked(jti);
    } catch (error) {
      log().error('blacklist lookup failed; answering from memory', { error: String(error) });
      return false;
    }
  }
}

/** The container's blacklist: Redis with memory fallback, or memory alone without REDIS_URL. */
export const blacklist = once((): Blacklist => {
  const redis = redisClient();
  return redis ? new FallbackBlacklist(new RedisBlacklist(redis)) : new MemoryBlacklist();
});
