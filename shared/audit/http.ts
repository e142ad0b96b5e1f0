import * as z from 'zod';
import { paging } from '../http/paging.ts';
import { queryInt } from '../kernel/validation.ts';
import { DEFAULT_PAGE, DEFAULT_PER_PAGE, MAX_PER_PAGE } from '../events/domain/listing.ts';
import type { AuditFilter, AuditRecord } from './model.ts';

const name = z.string().min(1).max(100);
const time = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

/** The filters of `GET /api/audit` (all optional; `from`/`to` are ISO 8601 instants, inclusive). */
export const AuditQuery = z.strictObject({
  actor: queryInt(1).optional(),
  resource_type: name.optional(),
  resource_id: name.optional(),
  action: name.optional(),
  correlation_id: name.optional(),
  from: time.optional(),
  to: time.optional(),
  page: queryInt(1).optional(),
  per_page: queryInt(1, MAX_PER_PAGE).optional(),
});

export const toAuditFilter = (q: z.output<typeof AuditQuery>): AuditFilter => ({
  actor: q.actor,
  resourceType: q.resource_type,
  resourceId: q.resource_id,
  action: q.action,
  correlationId: q.correlation_id,
  from: q.from,
  to: q.to,
  page: q.page ?? DEFAULT_PAGE,
  perPage: q.per_page ?? DEFAULT_PER_PAGE,
});

/** A page of records with pagination links (the filters kept) and `_metadata`, like the other lists. */
export function auditPageJson(filter: AuditFilter, page: { total: number; items: AuditRecord[] }) {
  const query = {
    actor: filter.actor,
    resource_type: filter.resourceType,
    resource_id: filter.resourceId,
    action: filter.action,
    correlation_id: filter.correlationId,
    from: filter.from?.toISOString(),
    to: filter.to?.toISOString(),
    per_page: filter.perPage,
  };
  const { links, metadata } = paging('audit/list', { ...filter, total: page.total }, (number) => ({ ...query, page: number }));
  return { audit: page.items, _links: links, _metadata: metadata };
}
