import type { AuditStamp } from '../kernel/audit-context.ts';

/**
 * The audit trail (CONTRACT §3): one record per state change — who (actor, or the service account
 * and the user it acts for), what (action, resource, the changed fields before and after), when, and
 * the correlation id of the request. Records are only ever appended (docs/OPERATIONS.md).
 */

export interface Changes {
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/** A record to append; the stamp (who, correlation id) comes from the request unless given. */
export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string | number;
  changes?: Changes;
  actor?: Partial<Pick<AuditStamp, 'actor_id' | 'actor_role'>>;
}

/** A stored record, as `GET /api/audit` shows it. `id` is unique across the stores (`<store>:<n>`). */
export interface AuditRecord extends AuditStamp {
  id: string;
  at: string;
  action: string;
  resource_type: string;
  resource_id: string;
  changes: Changes;
}

export interface AuditFilter {
  /** The acting user: the caller, or the user the service account acted for. */
  actor?: number;
  resourceType?: string;
  resourceId?: string;
  action?: string;
  /** All records of one request (and of the service calls it made). */
  correlationId?: string;
  from?: Date;
  to?: Date;
  page: number;
  perPage: number;
}

/** One store's records: the newest `limit` matching ones (newest first) and how many match. */
export interface AuditSource {
  find(filter: AuditFilter, limit: number): Promise<{ total: number; items: AuditRecord[] }>;
}

/** Field names that can hold a secret: never recorded, whatever a caller sends. */
const SECRET = /pass|parola|hash|token|secret|jwt|authorization|cookie/i;

export function withoutSecrets(changes: Changes): Changes {
  const clean = (fields?: Record<string, unknown>) =>
    fields && Object.fromEntries(Object.entries(fields).filter(([name]) => !SECRET.test(name)));
  const out: Changes = {};
  if (changes.before) out.before = clean(changes.before);
  if (changes.after) out.after = clean(changes.after);
  return out;
}

/** The fields of `after` that differ from `before`, with both values; undefined when none differ. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Changes | undefined {
  const changed = Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  if (changed.length === 0) return undefined;
  return {
    before: Object.fromEntries(changed.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(changed.map((key) => [key, after[key]])),
  };
}
