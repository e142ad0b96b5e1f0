-- Up Migration
-- The update triggers of events and packets fire only for UPDATEs that name a recorded column
-- (`UPDATE OF`, decided once per statement from its SET list) instead of testing every updated row
-- with a WHEN that turns OLD and NEW into jsonb: a sale or a cancellation only moves a seat counter,
-- and now pays nothing for the audit of the row it updates while holding that row's lock. A column
-- added to either table must be added here (test/audit/audit-store.test.ts checks the lists).
DROP TRIGGER events_audit_update ON events;
CREATE TRIGGER events_audit_update AFTER UPDATE OF id, id_owner, name, location, description, seats ON events
  FOR EACH ROW EXECUTE FUNCTION audit_change('event', 'created', 'updated', 'deleted', 'id', 'direct_sold,packet_allocated');
DROP TRIGGER packets_audit_update ON "eventsPacket";
CREATE TRIGGER packets_audit_update AFTER UPDATE OF id, id_owner, name, location, description, allocated_seats ON "eventsPacket"
  FOR EACH ROW EXECUTE FUNCTION audit_change('packet', 'created', 'updated', 'deleted', 'id', 'sold');

-- Down Migration
DROP TRIGGER packets_audit_update ON "eventsPacket";
CREATE TRIGGER packets_audit_update AFTER UPDATE ON "eventsPacket" FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'sold') IS DISTINCT FROM (to_jsonb(NEW) - 'sold'))
  EXECUTE FUNCTION audit_change('packet', 'created', 'updated', 'deleted', 'id', 'sold');
DROP TRIGGER events_audit_update ON events;
CREATE TRIGGER events_audit_update AFTER UPDATE ON events FOR EACH ROW
  WHEN ((to_jsonb(OLD) - '{direct_sold,packet_allocated}'::text[]) IS DISTINCT FROM (to_jsonb(NEW) - '{direct_sold,packet_allocated}'::text[]))
  EXECUTE FUNCTION audit_change('event', 'created', 'updated', 'deleted', 'id', 'direct_sold,packet_allocated');
