import { type Db, MongoClient, type MongoClientOptions } from 'mongodb';
import { mongoConfig, once } from './config.ts';
import { isFault, openSpan, type Probe, type Span } from './dependency.ts';
import { dependencyError } from './metrics.ts';

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
  const client = traced(new MongoClient(url, { ...mongoClientOptions(), monitorCommands: true }));
  await client.connect();
  clients.push(client);
  return client.db(database);
});

const clients: MongoClient[] = [];

/** Each command a trace subsegment; each failure of the store (not a duplicate key) a dependency error. */
function traced(client: MongoClient): MongoClient {
  const spans = new Map<number, Span>();
  client.on('commandStarted', (event) => {
    const span = openSpan(`## mongodb ${event.commandName}`);
    if (span) spans.set(event.requestId, span);
  });
  client.on('commandSucceeded', (event) => {
    spans.get(event.requestId)?.close();
    spans.delete(event.requestId);
  });
  client.on('commandFailed', (event) => {
    if (isFault(event.failure)) dependencyError('mongodb');
    spans.get(event.requestId)?.close(event.failure);
    spans.delete(event.requestId);
  });
  return client;
}

export async function closeMongo(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.close()));
}

/** Readiness: the document store answers. */
export const mongoProbe: Probe = async () => {
  await (await mongoDb()).command({ ping: 1 });
};
