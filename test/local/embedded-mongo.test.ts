import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../infra/local/embedded.ts';

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
