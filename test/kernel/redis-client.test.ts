import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisClient, RedisError } from '../../shared/kernel/redis.ts';
import { redisAvailable, redisSkipReason, testRedisUrl } from '../support/redis.ts';

/**
 * The services' small Redis client: the protocol against a scripted server (every reply type, any
 * chunking, broken and silent servers), then the commands the services use against real Redis.
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

describe('RedisClient against a scripted server', () => {
  const REPLIES: Record<string, [string, unknown]> = {
    simple: ['+OK\r\n', 'OK'],
    integer: [':-42\r\n', -42],
    bulk: ['$12\r\nhello\r\nworld\r\n', 'hello\r\nworld'],
    empty: ['$0\r\n\r\n', ''],
    utf8: [`$${Buffer.byteLength('zürich €')}\r\nzürich €\r\n`, 'zürich €'],
    nullBulk: ['$-1\r\n', null],
    nullArray: ['*-1\r\n', null],
    nested: ['*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n+x\r\n', [1, ['a', null], 'x']],
  };

  it('reads every reply type, however the bytes are split', async () => {
    const { client } = await setup(([, name], socket) => {
      // Byte by byte, so that every reply arrives in fragments.
      const bytes = Buffer.from(REPLIES[name!]![0]);
      bytes.forEach((byte, i) => setTimeout(() => socket.write(Buffer.from([byte])), i));
      return undefined;
    });
    for (const [name, [, expected]] of Object.entries(REPLIES)) expect(await client.command('ECHO', name)).toEqual(expected);
  });

  it('pipelines: commands of one turn of the event loop leave together, replies are matched in order', async () => {
    const { client, server } = await setup(([, n]) => `:${n}\r\n`);
    await client.command('PING', 0); // connected
    const before = server.received[0]!.length;
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => client.command('ECHO', i + 1)));
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(server.received[0]!.slice(before).match(/\*2\r\n/g)).toHaveLength(50);
  });

  it('an error reply rejects that command only', async () => {
    const { client } = await setup(([name]) => (name === 'BAD' ? '-ERR unknown command\r\n' : '+OK\r\n'));
    const [bad, good] = await Promise.allSettled([client.command('BAD'), client.command('GOOD')]);
    expect(bad).toMatchObject({ status: 'rejected', reason: expect.any(RedisError) });
    expect((bad as PromiseRejectedResult).reason.message).toBe('ERR unknown command');
    expect(good).toEqual({ status: 'fulfilled', value: 'OK' });
  });

  it('authenticates and selects the database of the URL before the first command', async () => {
    const { client, server } = await setup(() => '+OK\r\n', (base) => base.replace('//', '//app:p%40ss%2Fw@') + '/3');
    await client.command('PING');
    expect(server.received[0]).toBe('*3\r\n$4\r\nAUTH\r\n$3\r\napp\r\n$6\r\np@ss/w\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*1\r\n$4\r\nPING\r\n');
  });

  it('a refused AUTH fails the command', async () => {
    const { client } = await setup(([name]) => (name === 'AUTH' ? '-WRONGPASS invalid password\r\n' : '+OK\r\n'), (base) => base.replace('//', '//:nope@'));
    await expect(client.command('PING')).rejects.toThrow('WRONGPASS');
  });

  it('a silent server: the command times out, the connection is dropped and the next command opens a new one', async () => {
    let silent = true;
    const { client, server } = await setup(() => (silent ? undefined : '+PONG\r\n'));
    await expect(client.command('PING')).rejects.toThrow('timed out after 300 ms');
    silent = false;
    expect(await client.command('PING')).toBe('PONG');
    expect(server.connections).toBe(2);
  });

  it('a connection lost mid-flight fails what was in flight; the next command reconnects', async () => {
    const { client, server } = await setup(([name], socket) => (name === 'DIE' ? void socket.destroy() : '+OK\r\n'));
    await expect(client.command('DIE')).rejects.toThrow(/closed/);
    expect(await client.command('PING')).toBe('OK');
    expect(server.connections).toBe(2);
  });

  it('a protocol violation drops the connection instead of mismatching replies', async () => {
    const { client, server } = await setup(([name]) => (name === 'GARBLE' ? '?what\r\n' : '+OK\r\n'));
    await expect(client.command('GARBLE')).rejects.toThrow('protocol error');
    expect(await client.command('PING')).toBe('OK');
    expect(server.connections).toBe(2);
  });

  it('nothing listening: fails at once, then waits out the back-off before trying again', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const client = new RedisClient(`redis://127.0.0.1:${port}`, { backoffMs: () => 150 });
    clients.push(client);
    await expect(client.command('PING')).rejects.toThrow('ECONNREFUSED');
    await expect(client.command('PING')).rejects.toThrow(/next connection attempt in \d+ ms/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(client.command('PING')).rejects.toThrow('ECONNREFUSED');
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
