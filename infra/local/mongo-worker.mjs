// The embedded MongoDB-compatible server on a thread of its own, started by startEmbeddedMongo
// (embedded.ts). Plain JavaScript: Node starts a worker itself, without its parent's TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { CongoServer, ObjectId, QueryEngine } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';

/**
 * The server tests every document of a collection against every filter (mingo, comparing ObjectIds
 * as hex strings): with 2 000 profiles that was half the CPU of a purchase. A filter with an
 * ObjectId `_id` — every profile read and write — can match one document only, so the others are
 * dropped by comparing bytes before the original matcher runs. Results are unchanged.
 */
const match = QueryEngine.filter.bind(QueryEngine);
QueryEngine.filter = (documents, filter) => {
  const id = filter?._id;
  return match(id instanceof ObjectId ? documents.filter((d) => id.equals(d._id)) : documents, filter);
};

const server = new CongoServer(workerData.options);
try {
  await server.start();
  parentPort.postMessage({ kind: 'started' });
} catch (error) {
  parentPort.postMessage({ kind: 'failed', error: String(error) });
}

parentPort.on('message', async (message) => {
  if (message !== 'stop') return;
  try {
    await server.stop(); // writes the last snapshot when persisting
  } finally {
    parentPort.postMessage({ kind: 'stopped' });
  }
});
