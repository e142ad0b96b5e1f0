-- Up Migration
-- The audit trail (CONTRACT §3, docs/OPERATIONS.md): one row per state change. Triggers on the
-- audited tables write it inside the transaction of the change itself, so a change never commits
-- without its record and a rolled-back change leaves none, whichever code path made it. Who acts
-- comes from the transaction-local setting `tix.audit` (shared/kernel/postgres.ts); columns named
-- in a trigger's last argument (password hashes, seat counters) are never recorded.
-- Append-only: UPDATE, DELETE and TRUNCATE are refused by triggers, and revoked.
CREATE TABLE audit_log (
  id             bigserial   PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_id       bigint,
  actor_role     text        NOT NULL,
  on_behalf_of   bigint,
  action         text        NOT NULL,
  resource_type  text        NOT NULL,
  resource_id    text        NOT NULL,
  changes        jsonb       NOT NULL DEFAULT '{}',
  correlation_id text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_resource_idx ON audit_log (resource_type, resource_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);
CREATE INDEX audit_log_correlation_idx ON audit_log (correlation_id);

CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

-- audit_change(resource type, action on INSERT, on UPDATE, on DELETE, id columns, columns never recorded)
-- (lists comma-separated). An UPDATE that changes only unrecorded columns writes nothing.
CREATE FUNCTION audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stamp   jsonb := coalesce(nullif(current_setting('tix.audit', true), ''), '{}')::jsonb;
  hidden  text[] := string_to_array(TG_ARGV[5], ',');
  old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
  new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
  subject jsonb := coalesce(new_row, old_row);
  before  jsonb := '{}';
  after   jsonb := '{}';
  col     text;
BEGIN
  old_row := old_row - hidden;
  new_row := new_row - hidden;
  IF TG_OP = 'UPDATE' THEN
    FOR col IN SELECT jsonb_object_keys(new_row) LOOP
      IF new_row -> col IS DISTINCT FROM old_row -> col THEN
        before := before || jsonb_build_object(col, old_row -> col);
        after := after || jsonb_build_object(col, new_row -> col);
      END IF;
    END LOOP;
    IF after = '{}' THEN RETURN NULL; END IF;
  END IF;
  INSERT INTO audit_log (actor_id, actor_role, on_behalf_of, action, resource_type, resource_id, changes, correlation_id)
  VALUES (
    (stamp ->> 'actor_id')::bigint,
    coalesce(stamp ->> 'actor_role', 'system'),
    (stamp ->> 'on_behalf_of')::bigint,
    TG_ARGV[0] || '.' || CASE TG_OP WHEN 'INSERT' THEN TG_ARGV[1] WHEN 'UPDATE' THEN TG_ARGV[2] ELSE TG_ARGV[3] END,
    TG_ARGV[0],
    array_to_string(ARRAY(SELECT subject ->> c FROM unnest(string_to_array(TG_ARGV[4], ',')) AS c), '/'),
    CASE TG_OP WHEN 'INSERT' THEN jsonb_build_object('after', new_row)
               WHEN 'DELETE' THEN jsonb_build_object('before', old_row)
               ELSE jsonb_build_object('before', before, 'after', after) END,
    stamp ->> 'correlation_id'
  );
  RETURN NULL;
END $$;

CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION audit_change('user', 'registered', 'updated', 'deleted', 'id', 'parola');

-- Down Migration
DROP TRIGGER users_audit ON users;
DROP TABLE audit_log;
DROP FUNCTION audit_change();
DROP FUNCTION audit_log_refuse();
