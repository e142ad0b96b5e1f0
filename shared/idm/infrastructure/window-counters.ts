import { log } from '../../kernel/request-context.ts';
import type { RedisClient } from '../../kernel/redis.ts';
import type { CounterSpec, WindowCounters } from '../application/ports.ts';

/** Milliseconds → the whole seconds a client is told to wait (at least 1). */
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Per-process counters. `take` has no `await` between looking and counting, so it is atomic however
 * many requests run at once. Holds at most `capacity` counters (expired first, then the oldest).
 */
export class MemoryWindowCounters implements WindowCounters {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(options: { capacity?: number; now?: () => number } = {}) {
    this.capacity = options.capacity ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  async take(counters: readonly CounterSpec[]): Promise<number> {
    const wait = this.waitNow(counters); // no await before counting: that keeps take atomic
    if (wait > 0) return wait;
    for (const { key, windowSeconds } of counters) {
      const live = this.live(key);
      if (live) live.count++;
      else {
        this.makeRoom();
        this.counters.set(key, { count: 1, resetAt: this.now() + windowSeconds * 1000 });
      }
    }
    return 0;
  }

  async wait(counters: readonly CounterSpec[]): Promise<number> {
    return this.waitNow(counters);
  }

  private waitNow(counters: readonly CounterSpec[]): number {
    let waitMs = 0;
    for (const { key, max } of counters) {
      const live = this.live(key);
      if (live && live.count >= max) waitMs = Math.max(waitMs, live.resetAt - this.now());
    }
    return waitMs > 0 ? seconds(waitMs) : 0;
  }

  async giveBack(key: string): Promise<void> {
    const live = this.live(key);
    if (live && live.count > 0) live.count--;
  }

  async reset(key: string): Promise<void> {
    this.counters.delete(key);
  }

  get size(): number {
    return this.counters.size;
  }

  private live(key: string) {
    const entry = this.counters.get(key);
    if (entry && entry.resetAt > this.now()) return entry;
    if (entry) this.counters.delete(key);
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

export const COUNTER_PREFIX = 'limit:';

/**
 * `take` as one Lua script, so that Redis runs it atomically: look at every counter, then count in
 * every one (or in none). KEYS = counters, ARGV = max₁, window₁, max₂, window₂, … A counter without
 * TTL (it could only block forever) is treated as a fresh window.
 */
const TAKE = `local wait = 0
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[2 * i - 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then redis.call('DEL', key) elseif ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 or redis.call('PTTL', key) < 0 then redis.call('EXPIRE', key, ARGV[2 * i]) end
end
return 0`;

/** The first half of TAKE: the wait, counting nothing. */
const WAIT = `local wait = 0
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i]) then
    local ttl = redis.call('PTTL', key)
    if ttl > wait then wait = ttl end
  end
end
return wait`;

const GIVE_BACK = `if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/**
 * Counters shared by every function instance. The only Redis this needs: EVAL of three scripts and a
 * DEL (with ioredis: `redis.eval(script, keys.length, ...keys, ...args)` and `redis.del(key)`).
 */
export class RedisWindowCounters implements WindowCounters {
  constructor(private readonly redis: RedisClient) {}

  async take(counters: readonly CounterSpec[]): Promise<number> {
    const keys = counters.map((c) => COUNTER_PREFIX + c.key);
    const args = counters.flatMap((c) => [c.max, c.windowSeconds]);
    const waitMs = Number(await this.redis.command('EVAL', TAKE, keys.length, ...keys, ...args));
    return waitMs > 0 ? seconds(waitMs) : 0;
  }

  async wait(counters: readonly CounterSpec[]): Promise<number> {
    const keys = counters.map((c) => COUNTER_PREFIX + c.key);
    const waitMs = Number(await this.redis.command('EVAL', WAIT, keys.length, ...keys, ...counters.map((c) => c.max)));
    return waitMs > 0 ? seconds(waitMs) : 0;
  }

  async giveBack(key: string): Promise<void> {
    await this.redis.command('EVAL', GIVE_BACK, 1, COUNTER_PREFIX + key);
  }

  async reset(key: string): Promise<void> {
    await this.redis.command('DEL', COUNTER_PREFIX + key);
  }
}

/**
 * Redis first, memory always (as the token blacklist): everything is also counted in memory, and
 * when Redis fails the memory counters decide and the failure is logged — limits never silently stop.
 */
export class FallbackWindowCounters implements WindowCounters {
  constructor(
    private readonly primary: WindowCounters,
    private readonly memory: WindowCounters = new MemoryWindowCounters(),
  ) {}

  async take(counters: readonly CounterSpec[]): Promise<number> {
    const fromMemory = await this.memory.take(counters);
    try {
      return await this.primary.take(counters);
    } catch (error) {
      log().error('rate limit store failed; answering from memory', { error: String(error) });
      return fromMemory;
    }
  }

  async wait(counters: readonly CounterSpec[]): Promise<number> {
    try {
      return await this.primary.wait(counters);
    } catch (error) {
      log().error('rate limit store failed; answering from memory', { error: String(error) });
      return this.memory.wait(counters);
    }
  }

  async giveBack(key: string): Promise<void> {
    await this.memory.giveBack(key);
    await this.primary.giveBack(key).catch((error: unknown) => log().error('rate limit store failed; give-back in memory only', { error: String(error) }));
  }

  async reset(key: string): Promise<void> {
    await this.memory.reset(key);
    await this.primary.reset(key).catch((error: unknown) => log().error('rate limit store failed; reset in memory only', { error: String(error) }));
  }
}
