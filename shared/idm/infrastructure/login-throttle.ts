import { createHash } from 'node:crypto';
import { log } from '../../kernel/request-context.ts';
import type { RedisClient } from '../../kernel/redis.ts';
import type { LoginThrottle } from '../application/ports.ts';
import {
  type AttemptKeys, type Counter, counterKeys, LOGIN_LIMITS, type Limit, retryAfterSeconds, type ThrottleScope,
} from '../domain/throttle.ts';

type Limits = Readonly<Record<ThrottleScope, Limit>>;

/** Per-process counters: honour their windows and hold at most `capacity` (oldest dropped first). */
export class MemoryLoginThrottle implements LoginThrottle {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();
  private readonly limits: Limits;
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(options: { limits?: Limits; capacity?: number; now?: () => number } = {}) {
    this.limits = options.limits ?? LOGIN_LIMITS;
    this.capacity = options.capacity ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  async retryAfter(attempt: AttemptKeys): Promise<number> {
    const counters: Partial<Record<ThrottleScope, Counter>> = {};
    for (const { scope, id } of counterKeys(attempt)) counters[scope] = this.read(`${scope}:${id}`);
    return retryAfterSeconds(counters, this.limits);
  }

  async recordFailure(attempt: AttemptKeys): Promise<void> {
    for (const { scope, id } of counterKeys(attempt)) {
      const key = `${scope}:${id}`;
      const live = this.read(key);
      if (live) this.counters.get(key)!.count++;
      else {
        this.makeRoom();
        this.counters.set(key, { count: 1, resetAt: this.now() + this.limits[scope].windowSeconds * 1000 });
      }
    }
  }

  async recordSuccess(attempt: AttemptKeys): Promise<void> {
    this.counters.delete(`email:${counterKeys(attempt)[0]!.id}`);
  }

  get size(): number {
    return this.counters.size;
  }

  private read(key: string): Counter | undefined {
    const entry = this.counters.get(key);
    if (!entry) return undefined;
    const left = entry.resetAt - this.now();
    if (left > 0) return { count: entry.count, resetInSeconds: left / 1000 };
    this.counters.delete(key);
    return undefined;
  }

  private makeRoom(): void {
    if (this.counters.size < this.capacity) return;
    const now = this.now();
    for (const [key, entry] of this.counters) if (entry.resetAt <= now) this.counters.delete(key);
    // Still full of live windows: drop the oldest (Map keeps insertion order).
    if (this.counters.size >= this.capacity) this.counters.delete(this.counters.keys().next().value!);
  }
}

export const THROTTLE_PREFIX = 'login:failures:';

/** INCR, and start the window with the first failure (atomic, so concurrent failures count once each). */
const INCREMENT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** Counters shared by every function instance: one key per e-mail (hashed) or address, TTL = window. */
export class RedisLoginThrottle implements LoginThrottle {
  private readonly limits: Limits;

  constructor(
    private readonly redis: RedisClient,
    options: { limits?: Limits } = {},
  ) {
    this.limits = options.limits ?? LOGIN_LIMITS;
  }

  async retryAfter(attempt: AttemptKeys): Promise<number> {
    const keys = counterKeys(attempt);
    // Issued together, they travel in one write (the client pipelines a tick's commands).
    const replies = await Promise.all(keys.flatMap((key) => [this.redis.command('GET', redisKey(key)), this.redis.command('PTTL', redisKey(key))]));
    const counters: Partial<Record<ThrottleScope, Counter>> = {};
    keys.forEach(({ scope }, i) => {
      const count = Number(replies[2 * i] ?? 0);
      const ttl = Number(replies[2 * i + 1]);
      // A counter without TTL (-1) would block forever: treat it as a fresh window.
      if (count > 0 && ttl > 0) counters[scope] = { count, resetInSeconds: ttl / 1000 };
    });
    return retryAfterSeconds(counters, this.limits);
  }

  async recordFailure(attempt: AttemptKeys): Promise<void> {
    await Promise.all(
      counterKeys(attempt).map((key) => this.redis.command('EVAL', INCREMENT, 1, redisKey(key), this.limits[key.scope].windowSeconds)),
    );
  }

  async recordSuccess(attempt: AttemptKeys): Promise<void> {
    await this.redis.command('DEL', redisKey(counterKeys(attempt)[0]!));
  }
}

/** E-mails are hashed: bounded key length, and no addresses lying around in the cache. */
const redisKey = ({ scope, id }: { scope: ThrottleScope; id: string }) =>
  THROTTLE_PREFIX + scope + ':' + (scope === 'email' ? createHash('sha256').update(id).digest('hex') : id);

/**
 * Redis first, memory always (as the token blacklist): failures are also counted in memory, and when
 * Redis fails the memory counters decide and the failure is logged — throttling never silently stops.
 */
export class FallbackLoginThrottle implements LoginThrottle {
  constructor(
    private readonly primary: LoginThrottle,
    private readonly memory: LoginThrottle = new MemoryLoginThrottle(),
  ) {}

  async retryAfter(attempt: AttemptKeys): Promise<number> {
    try {
      return await this.primary.retryAfter(attempt);
    } catch (error) {
      log().error('login throttle store failed; answering from memory', { error: String(error) });
      return this.memory.retryAfter(attempt);
    }
  }

  async recordFailure(attempt: AttemptKeys): Promise<void> {
    await this.memory.recordFailure(attempt);
    await this.primary.recordFailure(attempt).catch((error: unknown) =>
      log().error('login throttle store failed; failure counted in memory only', { error: String(error) }),
    );
  }

  async recordSuccess(attempt: AttemptKeys): Promise<void> {
    await this.memory.recordSuccess(attempt);
    await this.primary.recordSuccess(attempt).catch((error: unknown) =>
      log().error('login throttle store failed; success recorded in memory only', { error: String(error) }),
    );
  }
}
