import type { Db, Filter, ObjectId } from 'mongodb';
import { auditStamp, type AuditStamp } from '../kernel/audit-context.ts';
import { type AuditEntry, type AuditRecord, type AuditSource, type Changes, withoutSecrets } from './model.ts';

/**
 * The user manager's audit trail: the collection `audit` beside the profiles. The document store has
 * no multi-document transactions we may rely on (CONVENTIONS), so a record is appended right after
 * the single-document write it describes succeeded — never for a write that did not happen; a crash
 * between the two loses the record (docs/OPERATIONS.md). Nothing here updates or deletes a record;
 * in DocumentDB the service's user holds only find and insert on `audit`.
 */

interface AuditDocument extends AuditStamp {
  _id?: ObjectId;
  at: Date;
  action: string;
  resource_type: string;
  resource_id: string;
  changes: Changes;
}

export const AUDIT_COLLECTION = 'audit';

export class MongoAuditTrail implements AuditSource {
  constructor(private readonly db: Db) {}

  private get records() {
    return this.db.collection<AuditDocument>(AUDIT_COLLECTION);
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.records.insertOne({
      ...auditStamp(),
      ...entry.actor,
      at: new Date(),
      action: entry.action,
      resource_type: entry.resourceType,
      resource_id: String(entry.resourceId),
      changes: withoutSecrets(entry.changes ?? {}),
    });
  }

  async find(filter: Parameters<AuditSource['find']>[0], limit: number) {
    const query: Filter<AuditDocument> = {};
    if (filter.actor !== undefined) query.$or = [{ actor_id: filter.actor }, { on_behalf_of: filter.actor }];
    if (filter.resourceType !== undefined) query.resource_type = filter.resourceType;
    if (filter.resourceId !== undefined) query.resource_id = filter.resourceId;
    if (filter.action !== undefined) query.action = filter.action;
    if (filter.correlationId !== undefined) query.correlation_id = filter.correlationId;
    if (filter.from !== undefined || filter.to !== undefined) {
      query.at = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lte: filter.to }) };
    }
    const [total, docs] = await Promise.all([
      this.records.countDocuments(query),
      this.records.find(query).sort({ at: -1, _id: -1 }).limit(limit).toArray(),
    ]);
    return {
      total,
      items: docs.map(({ _id, at, ...rest }): AuditRecord => ({ ...rest, id: `users:${_id!.toHexString()}`, at: at.toISOString() })),
    };
  }
}
