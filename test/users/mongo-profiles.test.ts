import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { mongoDb } from '../../shared/kernel/mongo.ts';
import { CLAIM_GRACE_MS } from '../../shared/users/domain/email-claims.ts';
import { newProfile } from '../../shared/users/domain/profile.ts';
import { MongoProfileRepository, profileKey } from '../../shared/users/infrastructure/mongo-profiles.ts';
import { newUserId } from '../support/tokens.ts';

/** The repository against the run's document store (the embedded server unless MONGODB_URL is set). */

let repo: MongoProfileRepository;
beforeAll(async () => {
  repo = new MongoProfileRepository(await mongoDb());
});

const mail = () => `m-${randomUUID()}@tix.test`;
const profile = (id = newUserId(), email = mail()) => newProfile({ id, email, first_name: '', last_name: '' });
const claimId = (email: string) => new ObjectId(createHash('sha256').update(email.toLowerCase()).digest().subarray(0, 12));

describe('MongoProfileRepository', () => {
  it('keys a profile by its user id (as an ObjectId every server stores) and finds it again', async () => {
    const p = profile();
    expect(await repo.create(p)).toBe('created');
    expect(await repo.find(p.id)).toEqual(p);
    const raw = await (await mongoDb()).collection('users').findOne({ _id: profileKey(p.id) });
    expect(raw).toMatchObject({ id: p.id, email: p.email });
    expect(profileKey(42).toHexString()).toBe('00000000000000000000002a');
  });

  it('a crash after claiming (claim without profile) blocks the e-mail only for the grace period', async () => {
    const db = await mongoDb();
    const email = mail();
    await db.collection('emails').insertOne({ _id: claimId(email), email, user_id: newUserId(), claimed_at: Date.now(), nonce: 'n1' } as never);
    expect(await repo.create(profile(undefined, email))).toBe('email-taken');
    await db.collection('emails').updateOne({ _id: claimId(email) } as never, { $set: { claimed_at: Date.now() - CLAIM_GRACE_MS - 1 } });
    expect(await repo.create(profile(undefined, email))).toBe('created');
  });

  it('a claim backed by its profile is never taken over, however old', async () => {
    const db = await mongoDb();
    const p = profile();
    await repo.create(p);
    await db.collection('emails').updateOne({ _id: claimId(p.email) } as never, { $set: { claimed_at: 0 } });
    expect(await repo.create(profile(undefined, p.email))).toBe('email-taken');
  });

  it('the same user re-creating after a crash between claim and profile succeeds at once', async () => {
    const db = await mongoDb();
    const p = profile();
    await db.collection('emails').insertOne({ _id: claimId(p.email), email: p.email, user_id: p.id, claimed_at: Date.now(), nonce: 'n' } as never);
    expect(await repo.create(p)).toBe('created');
  });

  it('appendTicket: atomic, idempotent per code, no-profile for a missing profile; removeTicket pulls it', async () => {
    const p = profile();
    await repo.create(p);
    expect(await repo.appendTicket(p.id, { code: 'c1', event_id: 3 }, 10)).toBe('recorded');
    expect(await repo.appendTicket(p.id, { code: 'c1', event_id: 3 }, 10)).toBe('recorded');
    expect(await repo.appendTicket(p.id, { code: 'c2', packet_id: 4 }, 10)).toBe('recorded');
    expect((await repo.find(p.id))!.ticket_list).toEqual([{ code: 'c1', event_id: 3 }, { code: 'c2', packet_id: 4 }]);
    expect(await repo.appendTicket(newUserId(), { code: 'c3', event_id: 3 }, 10)).toBe('no-profile');
    await repo.removeTicket(p.id, 'c1');
    expect((await repo.find(p.id))!.ticket_list).toEqual([{ code: 'c2', packet_id: 4 }]);
    expect((await repo.customersOf({ packet_id: 4 })).map((c) => c.id)).toContain(p.id);
    expect((await repo.customersOf({ event_id: 3 })).map((c) => c.id)).not.toContain(p.id);
  });

  it('appendTicket: at most `limit` tickets per event and per packet, even from 30 concurrent appends', async () => {
    const p = profile();
    await repo.create(p);
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => repo.appendTicket(p.id, { code: `e${i}`, event_id: 7 }, 10)));
    expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'limit-reached')).toHaveLength(20);
    // Other events and packets have their own limits; a retried append of a listed code still counts as recorded.
    expect(await repo.appendTicket(p.id, { code: 'other', event_id: 8 }, 10)).toBe('recorded');
    expect(await repo.appendTicket(p.id, { code: 'pk', packet_id: 7 }, 1)).toBe('recorded');
    expect(await repo.appendTicket(p.id, { code: 'pk2', packet_id: 7 }, 1)).toBe('limit-reached');
    expect(await repo.appendTicket(p.id, { code: 'e0', event_id: 7 }, 10)).not.toBe('limit-reached');
    const list = (await repo.find(p.id))!.ticket_list;
    expect(list.filter((t) => t.event_id === 7)).toHaveLength(10);
    // Cancelling one frees a place.
    await repo.removeTicket(p.id, list.find((t) => t.event_id === 7)!.code);
    expect(await repo.appendTicket(p.id, { code: 'again', event_id: 7 }, 10)).toBe('recorded');
  });

  it('update sets the fields in one write; a missing profile → not-found', async () => {
    const p = profile();
    await repo.create(p);
    expect(await repo.update(p.id, { first_name: 'X' })).toMatchObject({ updated: { email: p.email, first_name: 'X' } });
    expect(await repo.update(p.id, {})).toMatchObject({ updated: { first_name: 'X' } });
    expect(await repo.update(newUserId(), { first_name: 'Y' })).toBe('not-found');
  });
});
