-- The documentation's patterns for tables that already hold data, run as written there.

-- docs/recipes.md, "Enforcing the rule before the old rows are clean". A CHECK ... NOT VALID is not
-- "new rows only": PostgreSQL checks it on every inserted and every updated row, so the first
-- status update of a legacy row fails, though it leaves the id alone.
CREATE TABLE legacy_orders (
    id          int PRIMARY KEY,
    customer_id text,
    status      text NOT NULL DEFAULT 'open'
);
INSERT INTO legacy_orders (id, customer_id) VALUES
    (1, 'u-dev-001'), (2, 'u000'), (3, 'usr_ght4k2jxm7pqbv01'), (4, NULL);
ALTER TABLE legacy_orders ADD CONSTRAINT legacy_orders_customer_id_check
    CHECK (is_prefixed_id(customer_id, 'usr')) NOT VALID;
UPDATE legacy_orders SET status = 'shipped' WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE legacy_orders DROP CONSTRAINT legacy_orders_customer_id_check;

-- The documented pattern: a flag exempts the rows the audit found, and the CHECK says so.
ALTER TABLE legacy_orders ADD COLUMN customer_id_legacy boolean NOT NULL DEFAULT false;
UPDATE legacy_orders SET customer_id_legacy = true WHERE NOT is_prefixed_id(customer_id, 'usr');
ALTER TABLE legacy_orders ADD CONSTRAINT legacy_orders_customer_id_check
    CHECK (customer_id_legacy OR is_prefixed_id(customer_id, 'usr')) NOT VALID;
ALTER TABLE legacy_orders VALIDATE CONSTRAINT legacy_orders_customer_id_check;
-- The same update of a legacy row now works...
UPDATE legacy_orders SET status = 'shipped' WHERE id = 1;
-- ...and a new row must follow the rule.
INSERT INTO legacy_orders (id, customer_id) VALUES (5, 'u-dev-002');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO legacy_orders (id, customer_id) VALUES (5, 'usr_hkt4k2jxm7pqbv02');
-- Cleaning: a legacy row fixed with its flag cleared passes; its flag cleared alone does not.
UPDATE legacy_orders SET customer_id_legacy = false WHERE id = 2;
\echo :LAST_ERROR_SQLSTATE
UPDATE legacy_orders SET customer_id = 'usr_jmt4k2jxm7pqbv03', customer_id_legacy = false WHERE id = 2;
DELETE FROM legacy_orders WHERE id = 1;
SELECT count(*) AS legacy_left FROM legacy_orders WHERE customer_id_legacy;
-- None left: the plain rule, and the flag goes.
ALTER TABLE legacy_orders DROP CONSTRAINT legacy_orders_customer_id_check,
    ADD CONSTRAINT legacy_orders_customer_id_check CHECK (is_prefixed_id(customer_id, 'usr')) NOT VALID;
ALTER TABLE legacy_orders VALIDATE CONSTRAINT legacy_orders_customer_id_check;
ALTER TABLE legacy_orders DROP COLUMN customer_id_legacy;
SELECT id, customer_id, status FROM legacy_orders ORDER BY id;

-- The cut-off variant: a creation time that clients cannot set exempts the older rows.
CREATE TABLE legacy_notes (
    id         text PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    body       text
);
INSERT INTO legacy_notes VALUES ('n-001', '2025-01-01 00:00+00', 'old');
ALTER TABLE legacy_notes ADD CONSTRAINT legacy_notes_id_check
    CHECK (is_prefixed_id(id, 'note') OR created_at < '2026-12-07 00:00+00') NOT VALID;
ALTER TABLE legacy_notes VALIDATE CONSTRAINT legacy_notes_id_check;
UPDATE legacy_notes SET body = 'edited' WHERE id = 'n-001';
\set VERBOSITY terse
INSERT INTO legacy_notes (id, body) VALUES ('n-002', 'new');   -- its row holds now(): no DETAIL
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
INSERT INTO legacy_notes (id, body) VALUES ('note_ght4k2jxm7pqbv01', 'new');
SELECT id, body FROM legacy_notes ORDER BY id;

DROP TABLE legacy_orders, legacy_notes;

-- docs/guarantees.md, "Not against the table's owner": stamp_subject keeps owners against the
-- roles that write rows, not against DDL by the table's owner, nor a superuser's replica mode.
SET idconv.subject_namespace = '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a';
CREATE TABLE owned_notes (id int PRIMARY KEY, owner_subject_id uuid NOT NULL, body text);
CREATE TRIGGER owned_notes_stamp BEFORE INSERT OR UPDATE ON owned_notes
    FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER owned_notes_stamp_check AFTER INSERT OR UPDATE OR DELETE ON owned_notes
    FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', false) IS NOT NULL AS signed_in;
INSERT INTO owned_notes (id, body) VALUES (1, 'mine');
\set VERBOSITY terse
UPDATE owned_notes SET owner_subject_id = '00000000-0000-4000-8000-000000000001';   -- DML: refused
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
ALTER TABLE owned_notes DISABLE TRIGGER owned_notes_stamp, DISABLE TRIGGER owned_notes_stamp_check;
UPDATE owned_notes SET owner_subject_id = '00000000-0000-4000-8000-000000000001';   -- DDL first: done
ALTER TABLE owned_notes ENABLE TRIGGER owned_notes_stamp, ENABLE TRIGGER owned_notes_stamp_check;
SET session_replication_role = replica;
UPDATE owned_notes SET owner_subject_id = '00000000-0000-4000-8000-000000000002';   -- no trigger fires
RESET session_replication_role;
SELECT id, owner_subject_id FROM owned_notes;
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS signed_out;
RESET idconv.subject_namespace;
DROP TABLE owned_notes;
