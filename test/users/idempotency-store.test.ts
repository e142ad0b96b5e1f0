import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoIdempotencyStore,
  dynamoDocumentClient,
  ensureIdempotencyTable,
  LEASE_MS,
  RECORD_TTL_SECONDS,
} from '../../shared/users/infrastructure/dynamo-idempotency.ts';

/** The idempotency records against dynalite (a real DynamoDB API), with a controllable clock. */

const table = `idem_${randomUUID().slice(0, 8)}`;
let clock = Date.now();
const store = () => new DynamoIdempotencyStore(dynamoDocumentClient(), table, () => clock);

beforeAll(async () => {
  await ensureIdempotencyTable({ endpoint: process.env.DYNAMODB_ENDPOINT!, table });
  await ensureIdempotencyTable({ endpoint: process.env.DYNAMODB_ENDPOINT!, table }); // idempotent
});

const key = () => randomUUID();

describe('DynamoIdempotencyStore', () => {
  it('first use runs with the new code; a repeat while running is in progress; after completion it replays', async () => {
    const s = store();
    const k = key();
    const first = await s.start('7', k, 'fp', 'code-1');
    expect(first).toMatchObject({ kind: 'run', code: 'code-1' });
    expect(await s.start('7', k, 'fp', 'code-2')).toEqual({ kind: 'in-progress' });
    if (first.kind !== 'run') throw new Error('unreachable');
    await first.lease.complete({ status: 201, body: { ticket_code: 'code-1' } });
    expect(await s.start('7', k, 'fp', 'code-3')).toEqual({ kind: 'replay', response: { status: 201, body: { ticket_code: 'code-1' } } });
  });

  it('the same key with another fingerprint is a mismatch; keys are scoped per user', async () => {
    const s = store();
    const k = key();
    await s.start('7', k, 'fp-a', 'c1');
    expect(await s.start('7', k, 'fp-b', 'c2')).toEqual({ kind: 'mismatch' });
    expect(await s.start('8', k, 'fp-b', 'c3')).toMatchObject({ kind: 'run', code: 'c3' });
  });

  it('after a failure a retry runs again with the SAME ticket code', async () => {
    const s = store();
    const k = key();
    const first = await s.start('7', k, 'fp', 'original');
    if (first.kind !== 'run') throw new Error('expected run');
    await first.lease.fail();
    expect(await s.start('7', k, 'fp', 'another')).toMatchObject({ kind: 'run', code: 'original' });
  });

  it('a run that died (lease over) is taken over with its code; the dead run cannot settle it any more', async () => {
    const s = store();
    const k = key();
    const dead = await s.start('7', k, 'fp', 'kept');
    if (dead.kind !== 'run') throw new Error('expected run');
    clock += LEASE_MS + 1;
    const takeover = await s.start('7', k, 'fp', 'new');
    expect(takeover).toMatchObject({ kind: 'run', code: 'kept' });
    await dead.lease.complete({ status: 201, body: { ticket_code: 'stale' } }); // fenced off: ignored
    expect(await s.start('7', k, 'fp', 'x')).toEqual({ kind: 'in-progress' });
    if (takeover.kind !== 'run') throw new Error('expected run');
    await takeover.lease.complete({ status: 201, body: { ticket_code: 'kept' } });
    expect(await s.start('7', k, 'fp', 'x')).toMatchObject({ kind: 'replay', response: { body: { ticket_code: 'kept' } } });
  });

  it('records expire after 24 h even without TTL support: the key can be used afresh', async () => {
    const s = store();
    const k = key();
    const first = await s.start('7', k, 'fp', 'old');
    if (first.kind !== 'run') throw new Error('expected run');
    await first.lease.complete({ status: 201, body: {} });
    clock += (RECORD_TTL_SECONDS + 1) * 1000;
    expect(await s.start('7', k, 'other-fp', 'fresh')).toMatchObject({ kind: 'run', code: 'fresh' });
  });

  it('20 concurrent starts of one key: exactly one runs', async () => {
    const s = store();
    const k = key();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.start('7', k, 'fp', `c${i}`)));
    expect(results.filter((r) => r.kind === 'run')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in-progress')).toHaveLength(19);
  });
});
