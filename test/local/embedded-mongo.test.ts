import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../infra/local/embedded.ts';
import { mongoClientOptions } from '../../shared/kernel/mongo.ts';

const dir = mkdtempSync(join(tmpdir(), 'tix-mongo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded document store as the local runtime runs it (persisted)', () => {
  it('keeps every one of many concurrent writes, across a restart', async () => {
    let server = await startEmbeddedMongo(dir);
    let client = await new MongoClient(server.url).connect();
    const profiles = () => client.db('t').collection<{ n: number; l?: number[] }>('p');
    await Promise.all(Array.from({ length: 100 }, (_, n) => profiles().insertOne({ n })));
    await Promise.all(Array.from({ length: 30 }, (_, i) => profiles().updateOne({ n: 7 }, { $push: { l: i } })));
    expect(await profiles().countDocuments()).toBe(100);
    await client.close();
    await server.stop();

    server = await startEmbeddedMongo(dir);
    client = await new MongoClient(server.url).connect();
    expect(await profiles().countDocuments()).toBe(100);
    expect((await profiles().findOne({ n: 7 }))?.l).toHaveLength(30);
    await client.close();
    await server.stop();
  });
});

describe('the document store client as the services configure it', () => {
  it('fails no operation across heartbeats while requests queue for connections', async () => {
    const server = await startEmbeddedMongo(undefined);
    // Frequent heartbeats and a pool smaller than the load: with streaming heartbeats every one of
    // them cleared the pool and failed the waiting operations (MongoPoolClearedError).
    const client = await new MongoClient(server.url, { ...mongoClientOptions(), heartbeatFrequencyMS: 200, maxPoolSize: 3 }).connect();
    try {
      const docs = client.db('t').collection<{ n: number }>('heartbeats');
      const failures: string[] = [];
      let done = 0;
      const until = Date.now() + 1_500;
      await Promise.all(
        Array.from({ length: 30 }, async (_, n) => {
          while (Date.now() < until) {
            await docs.insertOne({ n }).then(() => done++, (e) => failures.push(String(e)));
          }
        }),
      );
      expect(failures).toEqual([]);
      expect(done).toBeGreaterThan(100);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});

describe('queries by _id on the embedded store (narrowed to the one document before matching)', () => {
  it('give the same answers as a full match: equality alone, with more conditions, operators, misses', async () => {
    const server = await startEmbeddedMongo(undefined);
    const client = await new MongoClient(server.url).connect();
    try {
      const docs = client.db('t').collection<{ _id: ObjectId; n: number; tags: string[] }>('by-id');
      const ids = Array.from({ length: 50 }, () => new ObjectId());
      await docs.insertMany(ids.map((_id, n) => ({ _id, n, tags: n % 2 ? ['odd'] : ['even'] })));
      expect((await docs.findOne({ _id: ids[7] }))?.n).toBe(7);
      expect(await docs.findOne({ _id: new ObjectId() })).toBeNull();
      expect((await docs.findOne({ _id: ids[7], tags: 'odd' }))?.n).toBe(7);
      expect(await docs.findOne({ _id: ids[7], tags: { $ne: 'odd' } })).toBeNull();
      expect((await docs.find({ _id: { $in: [ids[1]!, ids[2]!] } }).toArray()).map((d) => d.n).sort()).toEqual([1, 2]);
      expect((await docs.updateOne({ _id: ids[8], tags: { $ne: 'x' } }, { $push: { tags: 'x' } })).modifiedCount).toBe(1);
      expect((await docs.updateOne({ _id: ids[8], tags: { $ne: 'x' } }, { $push: { tags: 'x' } })).matchedCount).toBe(0);
      expect((await docs.findOne({ _id: ids[8] }))?.tags).toEqual(['even', 'x']);
      expect(await docs.countDocuments({ _id: ids[9] })).toBe(1);
      expect((await docs.deleteOne({ _id: ids[9] })).deletedCount).toBe(1);
      expect(await docs.countDocuments()).toBe(49);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
