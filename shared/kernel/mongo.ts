import { type Db, MongoClient, type MongoClientOptions } from 'mongodb';
import { mongoConfig, once } from './config.ts';
import type { Probe } from './health.ts';

export const mongoClientOptions = (): MongoClientOptions => ({
  maxPoolSize: Number(process.env.MONGO_POOL_MAX ?? 5),
  serverSelectionTimeoutMS: 3_000,
  // DocumentDB does not support retryable writes.
  retryWrites: false,
  // Heartbeats poll, as the driver does on Lambda anyway. Streaming ones are answered only once by
  // the embedded server; the driver then clears the pool, failing every operation waiting for it.
  serverMonitoringMode: 'poll',
});

/** One MongoDB / DocumentDB client per container, created on first use and reused. */
export const mongoDb = once(async (): Promise<Db> => {
  const { url, database } = await mongoConfig();
  const client = new MongoClient(url, mongoClientOptions());
  await client.connect();
  clients.push(client);
  return client.db(database);
});

const clients: MongoClient[] = [];

export async function closeMongo(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.close()));
}

/** Readiness: the document store answers. */
export const mongoProbe: Probe = async () => {
  await (await mongoDb()).command({ ping: 1 });
};
