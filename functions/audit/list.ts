import { endpoint, ok } from '#shared/http/endpoint';
import { auditDeps } from '#shared/audit/deps';
import { AuditQuery, auditPageJson, toAuditFilter } from '#shared/audit/http';

/** `GET /api/audit` (admins): the audit trail of every service, filtered and paged. */
export const handler = endpoint({ query: AuditQuery }, async (req) => {
  const filter = toAuditFilter(req.query);
  return ok(auditPageJson(filter, await (await auditDeps()).list(filter)));
});
