import type { Redis, RedisOptions as IoRedisOptions } from 'ioredis';
import { once, redisAuth, redisUrl } from './config.ts';
import { dependency, type Probe } from './dependency.ts';

/**
 * Redis for the token blacklist and the login throttle, through ioredis: TLS for `rediss://`
 * (ElastiCache in-transit encryption), an ACL user and password from the URL
 * (`rediss://user:password@host:port/db`) or from a secret (`REDIS_AUTH_SECRET_ARN`), AUTH and SELECT finished before any command is sent,
 * reconnection with back-off, a reconnect (and the command sent again) when a failover left this
 * connection on a replica that answers READONLY, and auto-pipelining: the commands of one turn of
 * the event loop leave in one write.
 *
 * Failures are quick, and the callers decide what a failure means (the blacklist falls back to its
 * durable store, the throttle to memory): a command waits at most `commandTimeoutMs`, whether the
 * server is slow, paused or unreachable.
 *
 * ioredis is loaded on the first command, not at start-up: a cold start that never talks to Redis
 * (most functions, most of the time) never compiles it, nor `node:net` / `node:tls`.
 */
export type RedisReply = string | number | null | RedisReply[];

/** An error reply of the server (`-ERR …`, `-WRONGPASS …`). */
export class RedisError extends Error {
  override name = 'RedisError';
}

export interface RedisOptions {
  /** The ACL user and password when they are not in the URL (a secret: ElastiCache RBAC). */
  auth?: () => Promise<{ username: string; password: string } | undefined>;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** Wait before the n-th consecutive reconnection attempt. */
  backoffMs: (failures: number) => number;
}

const DEFAULTS: RedisOptions = {
  connectTimeoutMs: 1_000,
  commandTimeoutMs: 500,
  backoffMs: (failures) => Math.min(failures * 200, 2_000),
};

export class RedisClient {
  private readonly options: RedisOptions;
  private client?: Promise<Redis>;
  private connected?: Redis;
  private closed = false;

  constructor(
    private readonly url: string,
    options: Partial<RedisOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    const { protocol } = new URL(url);
    if (protocol !== 'redis:' && protocol !== 'rediss:') throw new Error('not a redis:// or rediss:// URL');
  }

  command(...args: Array<string | number>): Promise<RedisReply> {
    return dependency('redis', String(args[0]), () => this.send(args));
  }

  private async send([name, ...rest]: Array<string | number>): Promise<RedisReply> {
    // Once connected, the connection is at hand: awaiting its settled promise would cost every command a turn.
    const redis = this.connected && !this.closed ? this.connected : await this.connection();
    try {
      return (await redis.call(String(name), ...rest)) as RedisReply;
    } catch (error) {
      throw (error as Error).name === 'ReplyError' ? new RedisError((error as Error).message) : error;
    }
  }

  /** Drops the connection for good (shutdown, tests). */
  close(): void {
    this.closed = true;
    void this.client?.then((redis) => redis.disconnect());
  }

  private connection(): Promise<Redis> {
    if (this.closed) return Promise.reject(new Error('redis client closed'));
    if (!this.client) {
      const opening = this.open();
      opening.then(
        (redis) => this.client === opening && (this.connected = redis),
        () => this.client === opening && (this.client = undefined), // a failed secret fetch is retried
      );
      this.client = opening;
    }
    return this.client;
  }

  private async open(): Promise<Redis> {
    const { Redis } = await import('ioredis');
    const { connectTimeoutMs, commandTimeoutMs, backoffMs, auth } = this.options;
    const options: IoRedisOptions = {
      ...(await auth?.()),
      lazyConnect: false,
      connectTimeout: connectTimeoutMs,
      commandTimeout: commandTimeoutMs,
      enableAutoPipelining: true,
      // While (re)connecting, a command waits for the handshake (AUTH, SELECT), never longer than
      // commandTimeout; it is sent again on a new connection once at most (after READONLY).
      enableOfflineQueue: true,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => backoffMs(times),
      // A failover promoted the replica and this connection now talks to a read-only node.
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    };
    const redis = new Redis(this.url, options);
    // Errors reach the commands that fail; the connection-level event only needs a listener.
    redis.on('error', () => {});
    return redis;
  }
}

/** One Redis client per container, or undefined when REDIS_URL is unset (callers then use their fallback). */
export const redisClient = once((): RedisClient | undefined => {
  const url = redisUrl();
  return url ? new RedisClient(url, { auth: redisAuth }) : undefined;
});

/** Readiness: Redis answers, or the in-memory fallback is in use (always ready). */
export const redisProbe: Probe = async () => {
  const redis = redisClient();
  if (!redis) return 'in-memory fallback (REDIS_URL not set)';
  await redis.command('PING');
};
