import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisClient, RedisError } from '../../shared/kernel/redis.ts';
import { redisAvailable, redisSkipReason, testRedisUrl } from '../support/redis.ts';

/**
 * The services' Redis client (ioredis underneath) against a scripted server (handshake order, reply
 * types, failover, broken and silent servers), then the commands the services use against real Redis.
 */

interface Scripted {
  url: string;
  /** Raw bytes received, per connection, and the number of connections accepted. */
  received: string[];
  connections: number;
  close(): Promise<void>;
}

/** A server that answers each complete command with `answer(command)` (raw RESP; undefined: silence). */
async function scriptedServer(answer: (command: string[], socket: net.Socket) => string | undefined): Promise<Scripted> {
  const sockets = new Set<net.Socket>();
  const state = { received: [] as string[], connections: 0 };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const index = state.connections++;
    state.received[index] = '';
    let pending = '';
    socket.on('data', (chunk) => {
      state.received[index] += chunk.toString();
      pending += chunk.toString();
      // Requests are arrays of bulk strings; parse whole ones off the front.
      for (;;) {
        const match = /^\*(\d+)\r\n/.exec(pending);
        if (!match) return;
        let pos = match[0].length;
        const args: string[] = [];
        for (let i = 0; i < Number(match[1]); i++) {
          const head = /^\$(\d+)\r\n/.exec(pending.slice(pos));
          if (!head || pending.length < pos + head[0].length + Number(head[1]) + 2) return;
          pos += head[0].length;
          args.push(pending.slice(pos, pos + Number(head[1])));
          pos += Number(head[1]) + 2;
        }
        pending = pending.slice(pos);
        const reply = answer(args, socket);
        if (reply !== undefined) socket.write(reply);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return Object.assign(state, {
    url: `redis://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}

const servers: Scripted[] = [];
const clients: RedisClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.close();
});

async function setup(answer: Parameters<typeof scriptedServer>[0], url?: (base: string) => string, options = {}) {
  const server = await scriptedServer(answer);
  servers.push(server);
  const client = new RedisClient(url ? url(server.url) : server.url, { commandTimeoutMs: 300, connectTimeoutMs: 300, backoffMs: () => 100, ...options });
  clients.push(client);
  return { server, client };
}

/** What a real server answers to the handshake ioredis sends before it is ready (INFO: the ready check). */
const handshake = (command: string | undefined): string | undefined => {
  const name = command?.toUpperCase();
  return name === 'INFO' ? '$19\r\n# Server\r\nloading:0\r\n' : name === 'AUTH' || name === 'SELECT' || name === 'CLIENT' ? '+OK\r\n' : undefined;
};
const names = (raw: string) => [...raw.matchAll(/^\*\d+\r\n\$\d+\r\n([A-Za-z]+)\r\n/gm)].map((m) => m[1]!.toUpperCase());

describe('RedisClient against a scripted server', () => {
  const REPLIES: Record<string, [string, unknown]> = {
    simple: ['+OK\r\n', 'OK'],
    integer: [':-42\r\n', -42],
    bulk: ['$12\r\nhello\r\nworld\r\n', 'hello\r\nworld'],
    empty: ['$0\r\n\r\n', ''],
    utf8: [`$${Buffer.byteLength('zürich €')}\r\nzürich €\r\n`, 'zürich €'],
    nullBulk: ['$-1\r\n', null],
    nested: ['*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n+x\r\n', [1, ['a', null], 'x']],
  };

  it('reads every reply type the services rely on', async () => {
    const { client } = await setup(([command, name]) => handshake(command) ?? REPLIES[name!]![0]);
    for (const [name, [, expected]] of Object.entries(REPLIES)) expect(await client.command('ECHO', name)).toEqual(expected);
  });

  it('auto-pipelines: commands of one turn of the event loop leave together, replies are matched in order', async () => {
    const { client, server } = await setup(([command, n]) => handshake(command) ?? `:${n}\r\n`);
    await client.command('PING', 0); // connected
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => client.command('ECHO', i + 1)));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(names(server.received[0]!).filter((n) => n === 'ECHO')).toHaveLength(50);
  });

  it('an error reply rejects that command only', async () => {
    const { client } = await setup(([name]) => handshake(name) ?? (name === 'BAD' ? '-ERR unknown command\r\n' : '+OK\r\n'));
    const [bad, good] = await Promise.allSettled([client.command('BAD'), client.command('GOOD')]);
    expect(bad).toMatchObject({ status: 'rejected', reason: expect.any(RedisError) });
    expect((bad as PromiseRejectedResult).reason.message).toBe('ERR unknown command');
    expect(good).toEqual({ status: 'fulfilled', value: 'OK' });
  });

  it('authenticates (ACL user) and selects the database of the URL before any command, even a slow SELECT', async () => {
    // The old client sent AUTH, GET, SELECT 3, GET: one command ran against database 0.
    const { client, server } = await setup(
      ([name], socket) => {
        if (name?.toUpperCase() === 'SELECT') return void setTimeout(() => socket.write('+OK\r\n'), 100);
        return handshake(name) ?? '$-1\r\n';
      },
      (base) => base.replace('//', '//app:p%40ss%2Fw@') + '/3',
    );
    await Promise.all([client.command('GET', 'a'), client.command('GET', 'b')]);
    const sent = names(server.received[0]!);
    expect(sent.filter((n) => n !== 'INFO' && n !== 'CLIENT')).toEqual(['AUTH', 'SELECT', 'GET', 'GET']);
    expect(server.received[0]).toContain('$3\r\napp\r\n$6\r\np@ss/w\r\n');
  });

  it('a refused AUTH fails the command', async () => {
    const { client } = await setup(([name]) => (name?.toUpperCase() === 'AUTH' ? '-WRONGPASS invalid password\r\n' : handshake(name) ?? '+OK\r\n'), (base) => base.replace('//', '//:nope@'));
    await expect(client.command('PING')).rejects.toThrow(/WRONGPASS|Connection is closed|Reached the max retries/);
  });

  it('after a failover (READONLY), reconnects and sends the write again', async () => {
    const { client, server } = await setup(([name]) => {
      if (name === 'SET') return server.connections === 1 ? "-READONLY You can't write against a read only replica.\r\n" : '+OK\r\n';
      return handshake(name) ?? '+OK\r\n';
    });
    expect(await client.command('SET', 'k', 'v')).toBe('OK');
    expect(server.connections).toBe(2);
  });

  it('a silent server: the command times out', async () => {
    const { client } = await setup(([name]) => handshake(name));
    await expect(client.command('PING')).rejects.toThrow(/timed out/i);
  });

  it('nothing listening: fails quickly', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const client = new RedisClient(`redis://127.0.0.1:${port}`, { backoffMs: () => 150, commandTimeoutMs: 300 });
    clients.push(client);
    const started = Date.now();
    await expect(client.command('PING')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('after close(), commands fail without connecting', async () => {
    const { client, server } = await setup(() => '+OK\r\n');
    client.close();
    await expect(client.command('PING')).rejects.toThrow('closed');
    expect(server.connections).toBe(0);
  });

  it('refuses URLs of other schemes', () => {
    expect(() => new RedisClient('http://127.0.0.1:6379')).toThrow('redis://');
  });
});

describe.skipIf(!redisAvailable)(`RedisClient against real Redis${redisSkipReason}`, () => {
  const client = new RedisClient(testRedisUrl);

  it('the commands the services use: SET EX, EXISTS, TTL, GET, PTTL, EVAL, DEL', async () => {
    const key = `test:redis-client:${randomUUID()}`;
    expect(await client.command('GET', key)).toBeNull();
    expect(await client.command('SET', key, 'va\r\nlue', 'EX', 60)).toBe('OK');
    expect(await client.command('EXISTS', key)).toBe(1);
    expect(await client.command('GET', key)).toBe('va\r\nlue');
    expect(Number(await client.command('TTL', key))).toBeGreaterThan(55);
    expect(await client.command('EVAL', "return {KEYS[1], tonumber(ARGV[1]) + 1, redis.call('EXISTS', KEYS[1])}", 1, key, 41)).toEqual([key, 42, 1]);
    expect(await client.command('DEL', key)).toBe(1);
    expect(await client.command('PTTL', key)).toBe(-2);
    await expect(client.command('INCR', 'x', 'y')).rejects.toThrow(RedisError);
  });

  it('a thousand concurrent commands each get their own reply', async () => {
    const key = `test:redis-client:${randomUUID()}`;
    const replies = await Promise.all(Array.from({ length: 1_000 }, () => client.command('INCR', key)));
    expect([...replies].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    await client.command('DEL', key);
    client.close();
  });
});
