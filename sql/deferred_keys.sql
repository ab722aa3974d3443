-- require_filled_at_commit: what its message shows, and how exempt values compare.

-- The row's key is shown as PostgreSQL shows keys in its own messages: in the key's order, and
-- only to a role that may read it (SELECT on the table or on every key column, and no row-level
-- security that applies to it).
CREATE ROLE regress_idconv_clerk NOLOGIN;
CREATE TABLE ledger (b int, a text, c text, PRIMARY KEY (a, b));
CREATE CONSTRAINT TRIGGER ledger_c_filled AFTER INSERT OR UPDATE ON ledger
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('c');
INSERT INTO ledger VALUES (42, 'secret-key-value', 'x');
GRANT UPDATE (c) ON ledger TO regress_idconv_clerk;
-- Only UPDATE (c): no values.
SET ROLE regress_idconv_clerk;
UPDATE ledger SET c = NULL;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
-- SELECT on every key column: the key, in its order (a, b).
GRANT SELECT (a, b) ON ledger TO regress_idconv_clerk;
SET ROLE regress_idconv_clerk;
UPDATE ledger SET c = NULL;
RESET ROLE;
-- SELECT on one key column is not enough.
REVOKE SELECT (b) ON ledger FROM regress_idconv_clerk;
SET ROLE regress_idconv_clerk;
UPDATE ledger SET c = NULL;
RESET ROLE;
-- SELECT on the table.
GRANT SELECT ON ledger TO regress_idconv_clerk;
SET ROLE regress_idconv_clerk;
UPDATE ledger SET c = NULL;
RESET ROLE;
-- Row-level security that applies to the role: no values, whatever it may select.
ALTER TABLE ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_all ON ledger USING (true);
SET ROLE regress_idconv_clerk;
UPDATE ledger SET c = NULL;
RESET ROLE;
-- The table's owner (here a superuser) sees the key.
UPDATE ledger SET c = NULL;
DROP TABLE ledger;
DROP ROLE regress_idconv_clerk;

-- Exempt values are values of the exemption column's type, compared with its equality operator:
-- the session's output settings (extra_float_digits, DateStyle, TimeZone) change nothing.
CREATE TABLE exempt_float (id int PRIMARY KEY, f float8, x text);
CREATE CONSTRAINT TRIGGER exempt_float_x AFTER INSERT OR UPDATE ON exempt_float
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('x', 'f', '1', '2.5');
BEGIN;
SET LOCAL extra_float_digits = 0;
INSERT INTO exempt_float VALUES (1, 1.0000000000000002, NULL);
COMMIT;
\echo :LAST_ERROR_SQLSTATE
BEGIN;
SET LOCAL extra_float_digits = 0;
INSERT INTO exempt_float VALUES (2, 1, NULL), (3, 2.50, NULL);
COMMIT;
SELECT id, f FROM exempt_float ORDER BY id;

CREATE TABLE exempt_ts (id int PRIMARY KEY, t timestamptz, x text);
CREATE CONSTRAINT TRIGGER exempt_ts_x AFTER INSERT OR UPDATE ON exempt_ts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('x', 't', '2024-01-01 00:00:00+00');
BEGIN;
SET LOCAL TimeZone = 'America/New_York';
SET LOCAL DateStyle = 'SQL, DMY';
INSERT INTO exempt_ts VALUES (1, '2024-01-01 00:00:00+00', NULL);
COMMIT;
BEGIN;
SET LOCAL TimeZone = 'Asia/Tokyo';
SET LOCAL DateStyle = 'German';
INSERT INTO exempt_ts VALUES (2, '2024-01-01 09:00:00+09', NULL);
COMMIT;
-- Another instant is not exempt.
BEGIN;
SET LOCAL TimeZone = 'UTC';
INSERT INTO exempt_ts VALUES (3, '2024-01-01 00:00:00+01', NULL);
COMMIT;
\echo :LAST_ERROR_SQLSTATE
SELECT id FROM exempt_ts ORDER BY id;

CREATE TABLE exempt_num (id int PRIMARY KEY, n numeric, x text);
CREATE CONSTRAINT TRIGGER exempt_num_x AFTER INSERT OR UPDATE ON exempt_num
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('x', 'n', '1.0');
INSERT INTO exempt_num VALUES (1, 1.00, NULL), (2, 1, NULL);
INSERT INTO exempt_num VALUES (3, 1.000001, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT id, n FROM exempt_num ORDER BY id;

-- An exempt value the type cannot read is a clear error, naming the trigger.
CREATE CONSTRAINT TRIGGER exempt_num_bad AFTER INSERT OR UPDATE ON exempt_num
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('x', 'n', 'one');
INSERT INTO exempt_num VALUES (4, 1, NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER exempt_num_bad ON exempt_num;
-- A type without an equality operator cannot be an exemption column.
CREATE TABLE exempt_json (id int PRIMARY KEY, j json, x text);
CREATE CONSTRAINT TRIGGER exempt_json_x AFTER INSERT OR UPDATE ON exempt_json
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('x', 'j', '{}');
INSERT INTO exempt_json VALUES (1, '{}', NULL);
\echo :LAST_ERROR_SQLSTATE

DROP TABLE exempt_float, exempt_ts, exempt_num, exempt_json;
