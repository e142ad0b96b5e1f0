import type { AuditFilter, AuditRecord, AuditSource } from './model.ts';

/**
 * `GET /api/audit`: the records of every store (IDM, event manager, user manager), newest first.
 * Each store yields its newest page × per_page matching records; merged and cut, that is exactly
 * the requested page (an admin's query, so deep pages may cost a little more).
 */
export function listAudit(sources: readonly AuditSource[]) {
  return async (filter: AuditFilter): Promise<{ total: number; items: AuditRecord[] }> => {
    const limit = filter.page * filter.perPage;
    const found = await Promise.all(sources.map((source) => source.find(filter, limit)));
    const items = found
      .flatMap((f) => f.items)
      .sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id, 'en', { numeric: true }));
    return {
      total: found.reduce((sum, f) => sum + f.total, 0),
      items: items.slice((filter.page - 1) * filter.perPage, limit),
    };
  };
}
