import { currentContext } from './request-context.ts';

/**
 * Who a request acts as, for the audit trail: the caller's identity, and — when the caller is the
 * service account — the end user it acts for. The user manager names that user in X-On-Behalf-Of
 * when it calls the event manager; the header counts only from the service account (anybody else
 * could claim to act for anyone).
 */

export const ON_BEHALF_HEADER = 'X-On-Behalf-Of';
const SERVICE_ROLE = 'serviciu_clienti';

export interface AuditActor {
  userId: number;
  role: string;
  onBehalfOf?: number;
}

/** What every audit record of the current request carries (snake_case: it is stored as JSON). */
export interface AuditStamp {
  actor_id: number | null;
  actor_role: string;
  on_behalf_of: number | null;
  correlation_id: string | null;
}

/** Records the caller of the current request; `onBehalf` is the raw header value, if any. */
export function setAuditActor(caller: { userId: number; role: string } | undefined, onBehalf: string | undefined): void {
  const context = currentContext();
  if (!context || !caller) return;
  const behalf = Number(onBehalf);
  const trusted = caller.role === SERVICE_ROLE && Number.isSafeInteger(behalf) && behalf > 0;
  context.actor = { userId: caller.userId, role: caller.role, ...(trusted ? { onBehalfOf: behalf } : {}) };
}

/** The stamp of the current request; `anonymous` before anyone is known (registration, login). */
export function auditStamp(): AuditStamp {
  const context = currentContext();
  const actor = context?.actor;
  return {
    actor_id: actor?.userId ?? null,
    actor_role: actor?.role ?? (context ? 'anonymous' : 'system'),
    on_behalf_of: actor?.onBehalfOf ?? null,
    correlation_id: context?.correlationId ?? null,
  };
}

/** Headers a service call carries so the callee's records name the end user (see above). */
export function onBehalfHeaders(userId = currentContext()?.actor?.userId): Record<string, string> {
  return userId === undefined ? {} : { [ON_BEHALF_HEADER]: String(userId) };
}
