// Temporary measurement (not committed): purchases/s on a fresh event vs one with 40 000 sold.
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { ensureDatabase, migrate, dropDatabase } from './shared/kernel/migrations.ts';

const server = 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `tix_embench_${process.pid}`;
process.env.EVENTS_DATABASE_URL = await ensureDatabase(server, name);
process.env.PG_POOL_MAX = '20';
process.env.LOG_LEVEL = 'SILENT';
await migrate('events', process.env.EVENTS_DATABASE_URL);
const { eventsDeps } = await import('./shared/events/deps.ts');
const { closePools } = await import('./shared/kernel/postgres.ts');
const admin = new pg.Pool({ connectionString: process.env.EVENTS_DATABASE_URL, max: 2 });
const mk = async (sold: number) => {
  const { rows } = await admin.query(`INSERT INTO events (id_owner, name, seats, direct_sold) VALUES (1, $1, 1000000, $2) RETURNING id`, [randomUUID(), sold]);
  const id = Number(rows[0].id);
  if (sold) await admin.query(`INSERT INTO tickets (code, event_id) SELECT 'pre-' || $1 || '-' || g, $1 FROM generate_series(1, $2) g`, [id, sold]);
  return id;
};
const { tickets } = eventsDeps();
async function rate(eventId: number, n = 3000, concurrency = 20) {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < n) await tickets.put(randomUUID(), { event_id: eventId });
  }));
  return Math.round(n / ((performance.now() - started) / 1000));
}
const fresh = await mk(0);
const busy = await mk(40_000);
await admin.query('VACUUM ANALYZE');
await rate(fresh, 500); // warm-up
for (const round of [1, 2]) console.log(`round ${round}: 0 sold → ${await rate(fresh)}/s; 40 000 sold → ${await rate(busy)}/s`);
await admin.end();
await closePools();
await dropDatabase(server, name);
