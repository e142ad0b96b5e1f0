import net from 'node:net';

/**
 * Which Redis the Redis adapter tests use: REDIS_URL when set, else Redis at its default local
 * address when it answers (decided once, in global-setup.ts). Without one those tests are skipped,
 * and their names say why.
 */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export const redisAvailable = Boolean(process.env.TEST_REDIS_URL);

/** Always a URL, so that a skipped suite can still build its (lazily connecting) client. */
export const testRedisUrl: string = process.env.TEST_REDIS_URL || DEFAULT_REDIS_URL;

/** A suffix for the title of a suite that needs Redis: the reason it is skipped, when it is. */
export const redisSkipReason = redisAvailable ? '' : ` — skipped: ${process.env.TEST_REDIS_SKIP_REASON ?? 'no Redis'}`;

/** Whether a Redis server answers PING at `url` within `timeoutMs`. */
export function redisAnswers(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG') || data.toString().startsWith('-NOAUTH')));
  });
}
