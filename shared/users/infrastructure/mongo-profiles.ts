import { createHash, randomUUID } from 'node:crypto';
import { type Collection, type Db, MongoServerError, ObjectId } from 'mongodb';
import { type EmailClaim, mayTakeOver } from '../domain/email-claims.ts';
import { emailIdentity, type Profile, type ProfileChanges, type TicketEntry, type TicketTarget } from '../domain/profile.ts';
import type { AppendOutcome, CreateOutcome, ProfileRepository, UpdateOutcome } from '../application/ports.ts';
import { diff } from '../../audit/model.ts';
import { MongoAuditTrail } from '../../audit/mongo-audit.ts';

/**
 * Profiles in MongoDB / DocumentDB / the embedded server, written so that correctness rests only on
 * what all three guarantee: `_id` uniqueness and single-document atomic updates.
 *
 * `_id` is the identity's user id, encoded as an ObjectId (hex, zero-padded: user 42 →
 * 00000000000000000000002a). The embedded server stores every `_id` as an ObjectId and turns other
 * values (numbers, strings) into fresh random ones, which would break both lookups and uniqueness;
 * the encoding is reversible and also native on DocumentDB. The plain `id` field is kept for humans.
 *
 * E-mails are claimed in the `emails` collection (see domain/email-claims.ts), `_id` derived from
 * the normalised e-mail (first 96 bits of its SHA-256).
 */

interface ProfileDocument extends Omit<Profile, 'social_media_links'> {
  _id: ObjectId;
  social_media_links?: string;
  /** The account is being deleted: no ticket may be appended any more. */
  closing?: boolean;
}

interface ClaimDocument extends EmailClaim {
  _id: ObjectId;
  /** Changes on every (re)claim: releases are conditional on it, so a stale release never frees a new claim. */
  nonce: string;
}

export const profileKey = (userId: number) => ObjectId.createFromHexString(userId.toString(16).padStart(24, '0'));
const emailKey = (email: string) => new ObjectId(createHash('sha256').update(emailIdentity(email)).digest().subarray(0, 12));

const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === 11000;

function toProfile(doc: ProfileDocument): Profile {
  const profile: Profile = {
    id: doc.id,
    email: doc.email,
    first_name: doc.first_name ?? '',
    last_name: doc.last_name ?? '',
    first_name_private: doc.first_name_private === true,
    last_name_private: doc.last_name_private === true,
    ticket_list: (doc.ticket_list ?? []).map((t) =>
      t.event_id != null ? { code: t.code, event_id: t.event_id } : { code: t.code, packet_id: t.packet_id! },
    ),
  };
  if (doc.social_media_links != null) profile.social_media_links = doc.social_media_links;
  return profile;
}

export class MongoProfileRepository implements ProfileRepository {
  private readonly profiles: Collection<ProfileDocument>;
  private readonly emails: Collection<ClaimDocument>;
  /** Each profile write is followed by its record (shared/audit/mongo-audit.ts). */
  private readonly audit: MongoAuditTrail;

  constructor(db: Db, private readonly now = () => Date.now()) {
    this.profiles = db.collection<ProfileDocument>('users');
    this.emails = db.collection<ClaimDocument>('emails');
    this.audit = new MongoAuditTrail(db);
  }

  async create(profile: Profile): Promise<CreateOutcome> {
    if (!(await this.claim(profile.email, profile.id))) return 'email-taken';
    try {
      await this.profiles.insertOne({ _id: profileKey(profile.id), ...profile });
      await this.audit.append({ action: 'profile.created', resourceType: 'profile', resourceId: profile.id, changes: { after: { ...profile } } });
      return 'created';
    } catch (error) {
      // The claim stays: releasing it could free an e-mail the existing profile uses; an unused
      // claim is abandoned after the grace period.
      if (isDuplicateKey(error)) return 'id-taken';
      throw error;
    }
  }

  async find(id: number): Promise<Profile | undefined> {
    const doc = await this.profiles.findOne({ _id: profileKey(id) });
    return doc ? toProfile(doc) : undefined;
  }

  /** One atomic `$set`; the e-mail never changes after creation (it is the identity's). */
  async update(id: number, changes: ProfileChanges): Promise<UpdateOutcome> {
    if (Object.keys(changes).length === 0) {
      const current = await this.profiles.findOne({ _id: profileKey(id) });
      return current ? { updated: toProfile(current) } : 'not-found';
    }
    const before = await this.profiles.findOneAndUpdate({ _id: profileKey(id) }, { $set: changes }, { returnDocument: 'before' });
    if (!before) return 'not-found';
    const updated = toProfile({ ...before, ...changes } as ProfileDocument);
    const changed = diff({ ...toProfile(before) }, { ...updated });
    if (changed) await this.audit.append({ action: 'profile.updated', resourceType: 'profile', resourceId: id, changes: changed });
    return { updated };
  }

  async remove(id: number): Promise<Profile | undefined> {
    const deleted = await this.profiles.findOneAndDelete({ _id: profileKey(id) });
    if (!deleted) return undefined;
    await this.emails.deleteOne({ _id: emailKey(deleted.email), user_id: id });
    await this.audit.append({ action: 'profile.deleted', resourceType: 'profile', resourceId: id, changes: { before: { ...toProfile(deleted) } } });
    return toProfile(deleted);
  }

  async close(id: number): Promise<Profile | undefined> {
    const doc = await this.profiles.findOneAndUpdate({ _id: profileKey(id) }, { $set: { closing: true } }, { returnDocument: 'after' });
    return doc ? toProfile(doc) : undefined;
  }

  async reopen(id: number): Promise<void> {
    await this.profiles.updateOne({ _id: profileKey(id) }, { $unset: { closing: '' } });
  }

  async appendTicket(id: number, entry: TicketEntry, limit: number): Promise<AppendOutcome> {
    // One atomic write: the filter makes a retried append of the same code a no-op, refuses a
    // profile that already holds `limit` tickets for the same event (resp. packet), and a closing
    // profile (its account being deleted) takes no new tickets.
    const open = { _id: profileKey(id), closing: { $ne: true } };
    const field = entry.event_id !== undefined ? 'event_id' : 'packet_id';
    const held = { $size: { $filter: { input: { $ifNull: ['$ticket_list', []] }, cond: { $eq: [`$$this.${field}`, entry[field]] } } } };
    const result = await this.profiles.updateOne(
      { ...open, 'ticket_list.code': { $ne: entry.code }, $expr: { $lt: [held, limit] } },
      { $push: { ticket_list: entry } },
    );
    if (result.matchedCount === 1) return 'recorded';
    const current = await this.profiles.findOne(open, { projection: { ticket_list: 1 } });
    if (!current) return 'no-profile';
    return current.ticket_list?.some((t) => t.code === entry.code) ? 'recorded' : 'limit-reached';
  }

  async removeTicket(id: number, code: string): Promise<void> {
    await this.profiles.updateOne({ _id: profileKey(id) }, { $pull: { ticket_list: { code } } });
  }

  async customersOf(target: TicketTarget): Promise<Profile[]> {
    const filter = target.event_id !== undefined ? { 'ticket_list.event_id': target.event_id } : { 'ticket_list.packet_id': target.packet_id };
    const docs = await this.profiles.find(filter).sort({ _id: 1 }).toArray();
    return docs.map(toProfile);
  }

  /**
   * Claims `email` for `userId`: a new claim document, or the take-over of one the rules allow
   * (compare-and-set on its nonce). False when somebody else holds it.
   */
  private async claim(email: string, userId: number): Promise<boolean> {
    const identity = emailIdentity(email);
    const _id = emailKey(email);
    for (let attempt = 0; attempt < 3; attempt++) {
      const fresh: ClaimDocument = { _id, email: identity, user_id: userId, claimed_at: this.now(), nonce: randomUUID() };
      try {
        await this.emails.insertOne(fresh);
        return true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const existing = await this.emails.findOne({ _id });
      if (!existing) continue; // released meanwhile
      if (existing.email !== identity) return false; // a 96-bit hash collision: never share
      const holder =
        existing.user_id === userId ? undefined : await this.profiles.findOne({ _id: profileKey(existing.user_id) }, { projection: { email: 1 } });
      if (!mayTakeOver(existing, userId, holder?.email, this.now())) return false;
      const replaced = await this.emails.replaceOne({ _id, nonce: existing.nonce }, fresh);
      if (replaced.matchedCount === 1) return true;
    }
    return false;
  }
}
