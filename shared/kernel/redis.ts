import type { Socket } from 'node:net';
import { once, redisUrl } from './config.ts';
import type { Probe } from './health.ts';
import { dependency } from './dependency.ts';

/**
 * A small Redis client: RESP2 over one connection (TLS for `rediss://`, as ElastiCache with
 * in-transit encryption wants), any command, replies in order; the commands of one turn of the
 * event loop leave in one write (under load, one write per turn instead of one per request: write
 * syscalls were the largest cost of a purchase in the local runtime). It is all the token blacklist
 * and the login throttle need, and it keeps a general-purpose client (ioredis: 130 KB, 70 % of the
 * authorizer's bundle) out of every function.
 *
 * Failures are quick, and the callers fall back to memory: a command waits at most
 * `commandTimeoutMs`; a connection that fails, or leaves a command unanswered that long, is dropped
 * with everything in flight, and the next command opens a new one — no sooner than a back-off after
 * a failed attempt, so an outage costs one refused connection per back-off, not one per request.
 */
export type RedisReply = string | number | null | RedisError | RedisReply[];

/** An error reply of the server (`-ERR …`): a command's promise rejects with it (inside an array it is an element). */
export class RedisError extends Error {
  override name = 'RedisError';
}

export interface RedisOptions {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** Wait after the n-th consecutive failed connection attempt. */
  backoffMs: (failures: number) => number;
}

const DEFAULTS: RedisOptions = {
  connectTimeoutMs: 1_000,
  commandTimeoutMs: 500,
  backoffMs: (failures) => Math.min(failures * 200, 2_000),
};

interface Pending {
  resolve(reply: RedisReply): void;
  reject(error: Error): void;
}

export class RedisClient {
  private readonly options: RedisOptions;
  private readonly target: { host: string; port: number; secure: boolean; handshake: Array<Array<string | number>> };
  private socket?: Socket;
  private opening?: Promise<Socket>;
  /** Replies owed on the current connection, oldest first. */
  private waiting: Pending[] = [];
  private received: Buffer = Buffer.alloc(0);
  private corked = false;
  private failures = 0;
  private retryAt = 0;
  private closed = false;

  constructor(url: string, options: Partial<RedisOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    const parsed = new URL(url);
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error(`not a redis:// or rediss:// URL`);
    const handshake: Array<Array<string | number>> = [];
    const password = decodeURIComponent(parsed.password);
    if (password) handshake.push(parsed.username ? ['AUTH', decodeURIComponent(parsed.username), password] : ['AUTH', password]);
    const db = parsed.pathname.slice(1);
    if (db && db !== '0') handshake.push(['SELECT', db]);
    this.target = { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port || 6379), secure: parsed.protocol === 'rediss:', handshake };
  }

  async command(...args: Array<string | number>): Promise<RedisReply> {
    return dependency('redis', String(args[0]), async () => this.send(await this.connection(), args));
  }

  /** Drops the connection for good (shutdown, tests). */
  close(): void {
    this.closed = true;
    this.drop(new Error('redis client closed'));
  }

  private connection(): Promise<Socket> {
    if (this.closed) return Promise.reject(new Error('redis client closed'));
    if (this.socket) return Promise.resolve(this.socket);
    if (this.opening) return this.opening;
    const wait = this.retryAt - Date.now();
    if (wait > 0) return Promise.reject(new Error(`redis unavailable; next connection attempt in ${wait} ms`));
    this.opening = this.open().then(
      (socket) => {
        this.failures = 0;
        return socket;
      },
      (error: Error) => {
        this.failures++;
        this.retryAt = Date.now() + this.options.backoffMs(this.failures);
        throw error;
      },
    );
    this.opening.catch(() => {}).finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async open(): Promise<Socket> {
    const { host, port, secure, handshake } = this.target;
    // Loaded on the first connection, not at start-up (a cold start compiles every built-in it
    // imports; these two cost the authorizer ~2 ms), and never where Redis is not configured.
    const net = await import('node:net');
    const socket = secure
      ? (await import('node:tls')).connect({ host, port, servername: net.isIP(host) ? undefined : host })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => socket.destroy(new Error(`redis connect timed out after ${this.options.connectTimeoutMs} ms`)), this.options.connectTimeoutMs);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    this.received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('error', (error) => this.drop(error, socket));
    socket.on('close', () => this.drop(new Error('redis connection closed'), socket));
    this.socket = socket;
    try {
      for (const args of handshake) await this.send(socket, args);
    } catch (error) {
      this.drop(error as Error, socket);
      throw error;
    }
    return socket;
  }

  private send(socket: Socket, args: Array<string | number>): Promise<RedisReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.drop(new Error(`redis command timed out after ${this.options.commandTimeoutMs} ms`), socket),
        this.options.commandTimeoutMs,
      );
      this.waiting.push({
        resolve: (reply) => (clearTimeout(timer), resolve(reply)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      if (!this.corked) {
        this.corked = true;
        socket.cork();
        // After this turn's I/O callbacks (check phase): the other requests' commands join this write.
        setImmediate(() => {
          this.corked = false;
          socket.uncork();
        });
      }
      socket.write(encode(args));
    });
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    this.received = this.received.length ? Buffer.concat([this.received, chunk]) : chunk;
    try {
      for (let reply = parse(this.received, 0); reply; reply = parse(this.received, 0)) {
        this.received = this.received.subarray(reply.end);
        const pending = this.waiting.shift();
        if (!pending) throw new Error('redis sent a reply nobody asked for');
        if (reply.value instanceof RedisError) pending.reject(reply.value);
        else pending.resolve(reply.value);
      }
    } catch (error) {
      this.drop(error as Error, socket);
    }
  }

  /** Fails everything in flight on `socket` (the current one by default) and forgets it. */
  private drop(error: Error, socket = this.socket): void {
    socket?.destroy();
    if (!socket || socket !== this.socket) return;
    this.socket = undefined;
    for (const pending of this.waiting.splice(0)) pending.reject(error);
  }
}

function encode(args: Array<string | number>): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) {
    const text = String(arg);
    parts.push(`$${Buffer.byteLength(text)}\r\n${text}\r\n`);
  }
  return Buffer.from(parts.join(''));
}

/** One complete reply at `pos`, or undefined while more bytes are needed. */
function parse(data: Buffer, pos: number): { value: RedisReply | RedisError; end: number } | undefined {
  const lineEnd = data.indexOf('\r\n', pos);
  if (lineEnd < 0) return undefined;
  const line = data.toString('utf8', pos + 1, lineEnd);
  const end = lineEnd + 2;
  switch (data[pos]) {
    case 0x2b: // +simple string
      return { value: line, end };
    case 0x2d: // -error
      return { value: new RedisError(line), end };
    case 0x3a: // :integer
      return { value: Number(line), end };
    case 0x24: {
      // $bulk string ($-1: null)
      const length = Number(line);
      if (length < 0) return { value: null, end };
      if (data.length < end + length + 2) return undefined;
      return { value: data.toString('utf8', end, end + length), end: end + length + 2 };
    }
    case 0x2a: {
      // *array (*-1: null)
      const count = Number(line);
      if (count < 0) return { value: null, end };
      const items: RedisReply[] = [];
      let next = end;
      for (let i = 0; i < count; i++) {
        const item = parse(data, next);
        if (!item) return undefined;
        items.push(item.value);
        next = item.end;
      }
      return { value: items, end: next };
    }
    default:
      throw new Error(`redis protocol error: unexpected reply type ${JSON.stringify(String.fromCharCode(data[pos]!))}`);
  }
}

/** One Redis client per container, or undefined when REDIS_URL is unset (callers then use their in-memory fallback). */
export const redisClient = once((): RedisClient | undefined => {
  const url = redisUrl();
  return url ? new RedisClient(url) : undefined;
});

/** Readiness: Redis answers, or the in-memory fallback is in use (always ready). */
export const redisProbe: Probe = async () => {
  const redis = redisClient();
  if (!redis) return 'in-memory fallback (REDIS_URL not set)';
  await redis.command('PING');
};
