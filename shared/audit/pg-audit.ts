import type pg from 'pg';
import { auditStamp } from '../kernel/audit-context.ts';
import { type AuditEntry, type AuditFilter, type AuditRecord, type AuditSource, withoutSecrets } from './model.ts';

/**
 * The audit trail in a service's PostgreSQL database (table `audit_log`, migrations/0002_audit.sql
 * of idm and events). Row changes are recorded by triggers in the change's own transaction;
 * `appendAudit` is for changes made elsewhere (Redis: lockouts, logouts), recorded right after them.
 */

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export async function appendAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  const stamp = { ...auditStamp(), ...entry.actor };
  await db.query(
    `INSERT INTO audit_log (actor_id, actor_role, on_behalf_of, action, resource_type, resource_id, changes, correlation_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [stamp.actor_id, stamp.actor_role, stamp.on_behalf_of, entry.action, entry.resourceType, String(entry.resourceId),
      JSON.stringify(withoutSecrets(entry.changes ?? {})), stamp.correlation_id],
  );
}

export function pgAuditSource(store: string, pool: () => Promise<Queryable>): AuditSource {
  return {
    async find(filter, limit) {
      const values: unknown[] = [];
      const where: string[] = [];
      const add = (condition: (p: string) => string, value: unknown) => {
        values.push(value);
        where.push(condition(`$${values.length}`));
      };
      if (filter.actor !== undefined) add((p) => `(actor_id = ${p} OR on_behalf_of = ${p})`, filter.actor);
      if (filter.resourceType !== undefined) add((p) => `resource_type = ${p}`, filter.resourceType);
      if (filter.resourceId !== undefined) add((p) => `resource_id = ${p}`, filter.resourceId);
      if (filter.action !== undefined) add((p) => `action = ${p}`, filter.action);
      if (filter.correlationId !== undefined) add((p) => `correlation_id = ${p}`, filter.correlationId);
      if (filter.from !== undefined) add((p) => `at >= ${p}`, filter.from);
      if (filter.to !== undefined) add((p) => `at <= ${p}`, filter.to);
      const condition = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const { rows } = await (await pool()).query(
        `SELECT c.total, t.* FROM (SELECT count(*) AS total FROM audit_log ${condition}) c
         LEFT JOIN LATERAL (SELECT * FROM audit_log ${condition} ORDER BY at DESC, id DESC LIMIT $${values.length + 1}) t ON true`,
        [...values, limit],
      );
      return {
        total: Number(rows[0].total),
        items: rows.filter((r) => r.id !== null).map((r): AuditRecord => ({
          id: `${store}:${r.id}`,
          at: (r.at as Date).toISOString(),
          actor_id: r.actor_id === null ? null : Number(r.actor_id),
          actor_role: r.actor_role,
          on_behalf_of: r.on_behalf_of === null ? null : Number(r.on_behalf_of),
          action: r.action,
          resource_type: r.resource_type,
          resource_id: r.resource_id,
          changes: r.changes,
          correlation_id: r.correlation_id,
        })),
      };
    },
  };
}
