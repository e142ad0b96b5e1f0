import { createServer } from 'node:http';
import pg from 'pg';
import { PgEventsStore } from '../shared/events/infrastructure/pg-store.ts';

/**
 * The read path's baseline: a bare node:http server that runs the identical SQL (the event
 * manager's own store) and serialises the rows. No gateway, middleware, validation or links.
 * Prints its port once listening. Usage: EVENTS_DATABASE_URL=… node --import tsx bench/read-baseline-server.ts
 */
const pool = new pg.Pool({ connectionString: process.env.EVENTS_DATABASE_URL, max: Number(process.env.PG_POOL_MAX ?? 20) });
const store = new PgEventsStore(async () => pool);

const server = createServer(async (req, res) => {
  const query = new URL(req.url ?? '/', 'http://x').searchParams;
  const page = await store.listEvents({
    page: 1,
    perPage: Number(query.get('per_page') ?? 10),
    ...(query.get('name') ? { name: query.get('name')! } : {}),
  });
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ events: page.items, total: page.total }));
});
server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as { port: number }).port}`));
