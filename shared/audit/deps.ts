import { once } from '../kernel/config.ts';
import { mongoDb } from '../kernel/mongo.ts';
import { pgPool } from '../kernel/postgres.ts';
import { listAudit } from './list.ts';
import { MongoAuditTrail } from './mongo-audit.ts';
import { pgAuditSource } from './pg-audit.ts';

/** The audit reader: the trails of the three stores, read-only. */
export const auditDeps = once(async () => ({
  list: listAudit([
    pgAuditSource('idm', () => pgPool('idm', 'audit')),
    pgAuditSource('events', () => pgPool('events', 'audit')),
    new MongoAuditTrail(await mongoDb()),
  ]),
}));
