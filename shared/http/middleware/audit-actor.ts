import { ON_BEHALF_HEADER, setAuditActor } from '../../kernel/audit-context.ts';
import { type ApiMiddleware, header } from './types.ts';

/** Names the caller (and whom the service account acts for) in the request context, for the audit trail. */
export const auditActor = (): ApiMiddleware => ({
  before: (request) => setAuditActor(request.context.caller, header(request.event, ON_BEHALF_HEADER)),
});
