-- Ownership stamped from the request's subject, and row-level security on it, with claims set the
-- way PostgREST sets them: inside a transaction, SET LOCAL ROLE and a transaction-local
-- request.jwt.claims.
--   subject A: Zitadel 335517149097361411        -> 0119f314-073c-5994-97d8-8033973455b7
--   subject B: Auth0 auth0|5f7c8ec7c33c6c004bbafe82 -> 9793a3c6-8948-5440-a51c-5207fd3b77ed
SET idconv.subject_namespace = '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a';
SET idconv.owner_admin_role = 'regress_idconv_owner_admin';
CREATE ROLE regress_idconv_authenticated NOLOGIN;
CREATE ROLE regress_idconv_owner_admin NOLOGIN;
CREATE ROLE regress_idconv_admin_tool NOLOGIN BYPASSRLS IN ROLE regress_idconv_owner_admin;

CREATE TABLE notes (
  id               text PRIMARY KEY DEFAULT generate_prefixed_id('note') CHECK (is_prefixed_id(id, 'note')),
  owner_subject_id uuid NOT NULL DEFAULT current_subject_id(),
  body             text NOT NULL
);
CREATE TRIGGER notes_stamp_owner BEFORE INSERT OR UPDATE ON notes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER notes_stamp_owner_check AFTER INSERT OR UPDATE OR DELETE ON notes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_select ON notes FOR SELECT USING (owner_subject_id = current_subject_id());
CREATE POLICY notes_insert ON notes FOR INSERT WITH CHECK (owner_subject_id = current_subject_id());
CREATE POLICY notes_update ON notes FOR UPDATE
  USING (owner_subject_id = current_subject_id()) WITH CHECK (owner_subject_id = current_subject_id());
CREATE POLICY notes_delete ON notes FOR DELETE USING (owner_subject_id = current_subject_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON notes TO regress_idconv_authenticated, regress_idconv_owner_admin;

-- A writes two notes, and tries to write one as B: the owner comes from A's token, not the client.
BEGIN;
SET LOCAL ROLE regress_idconv_authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411","role":"authenticated"}', true) IS NOT NULL AS a_signed_in;
INSERT INTO notes (body) VALUES ('a1'), ('a2');
INSERT INTO notes (body, owner_subject_id) VALUES ('a3, sent with B as owner', '9793a3c6-8948-5440-a51c-5207fd3b77ed');
SELECT body, owner_subject_id FROM notes ORDER BY body;
COMMIT;

-- B sees only B's rows, and cannot update, delete or re-own A's.
BEGIN;
SET LOCAL ROLE regress_idconv_authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"auth0|5f7c8ec7c33c6c004bbafe82","role":"authenticated"}', true) IS NOT NULL AS b_signed_in;
INSERT INTO notes (body) VALUES ('b1');
SELECT body, owner_subject_id FROM notes ORDER BY body;
UPDATE notes SET body = 'defaced' WHERE body LIKE 'a%' RETURNING body;
UPDATE notes SET owner_subject_id = current_subject_id() WHERE body LIKE 'a%' RETURNING body;
DELETE FROM notes WHERE body LIKE 'a%' RETURNING body;
COMMIT;
-- As the table owner (no RLS): A's rows are untouched.
SELECT body, owner_subject_id FROM notes ORDER BY body;

-- A cannot hand a row to B: the trigger refuses a change of owner.
BEGIN;
SET LOCAL ROLE regress_idconv_authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411","role":"authenticated"}', true) IS NOT NULL AS a_signed_in;
UPDATE notes SET owner_subject_id = '9793a3c6-8948-5440-a51c-5207fd3b77ed' WHERE body = 'a1';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- ...but may edit the body of A's own rows; the owner stays.
BEGIN;
SET LOCAL ROLE regress_idconv_authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411","role":"authenticated"}', true) IS NOT NULL AS a_signed_in;
UPDATE notes SET body = 'a1, edited' WHERE body = 'a1';
SELECT body, owner_subject_id FROM notes ORDER BY body;
COMMIT;

-- Without a subject (an anonymous request, or after PostgREST's transaction ended) nothing is
-- visible and nothing can be inserted.
BEGIN;
SET LOCAL ROLE regress_idconv_authenticated;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true) IS NOT NULL AS anonymous;
SELECT count(*) AS visible FROM notes;
INSERT INTO notes (body) VALUES ('anonymous');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT current_subject_id() IS NULL AS no_subject_outside_the_transaction;

-- current_subject_id() is PARALLEL SAFE: parallel workers see the transaction's claims. If they
-- did not, the workers' share of the matching rows would be missing from the count.
CREATE TABLE many_notes AS
SELECT g, CASE WHEN g % 3 = 0 THEN '0119f314-073c-5994-97d8-8033973455b7'::uuid ELSE gen_random_uuid() END AS owner
FROM generate_series(1, 60000) g;
ANALYZE many_notes;
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS a_signed_in;
EXPLAIN (COSTS OFF) SELECT count(*) FROM many_notes WHERE owner = current_subject_id();
SELECT count(*) AS a_rows FROM many_notes WHERE owner = current_subject_id();
COMMIT;
DROP TABLE many_notes;

-- Policies on their own refuse the same things, for tables without the trigger.
CREATE TABLE plain_notes (
  id               text PRIMARY KEY DEFAULT generate_prefixed_id('note'),
  owner_subject_id uuid NOT NULL DEFAULT current_subject_id(),
  body             text NOT NULL
);
ALTER TABLE plain_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY plain_all ON plain_notes USING (owner_subject_id = current_subject_id())
  WITH CHECK (owner_subject_id = current_subject_id());
GRANT SELECT, INSERT, UPDATE ON plain_notes TO regress_idconv_authenticated;
BEGIN;
SET LOCAL ROLE regress_idconv_authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS a_signed_in;
INSERT INTO plain_notes (body) VALUES ('a1');
SAVEPOINT s;
INSERT INTO plain_notes (body, owner_subject_id) VALUES ('as B', '9793a3c6-8948-5440-a51c-5207fd3b77ed');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
UPDATE plain_notes SET owner_subject_id = '9793a3c6-8948-5440-a51c-5207fd3b77ed';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- The privileged path: members of idconv.owner_admin_role set and change owners, and each such
-- override is logged with the table, the row key, the old and new owner and the role.
SET client_min_messages = log;
BEGIN;
SET LOCAL ROLE regress_idconv_admin_tool;
INSERT INTO notes (id, owner_subject_id, body)
  VALUES ('note_ght4k2jxm7pqbv01', '0119f314-073c-5994-97d8-8033973455b7', 'imported for A');
UPDATE notes SET owner_subject_id = '9793a3c6-8948-5440-a51c-5207fd3b77ed' WHERE id = 'note_ght4k2jxm7pqbv01';
-- An admin without a subject who gives no owner gets the usual error.
SAVEPOINT s;
INSERT INTO notes (body, owner_subject_id) VALUES ('no owner', NULL);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
COMMIT;
-- An admin with a subject who writes a row for themselves is not an override: nothing is logged.
BEGIN;
SET LOCAL ROLE regress_idconv_admin_tool;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS admin_is_a;
INSERT INTO notes (id, body) VALUES ('note_hkt4k2jxm7pqbv02', 'admin A for A');
COMMIT;
RESET client_min_messages;
SELECT id, owner_subject_id, body FROM notes
WHERE id IN ('note_ght4k2jxm7pqbv01', 'note_hkt4k2jxm7pqbv02') ORDER BY id;
-- With idconv.owner_admin_role unset, membership of the old admin role grants nothing.
RESET idconv.owner_admin_role;
BEGIN;
SET LOCAL ROLE regress_idconv_admin_tool;
UPDATE notes SET owner_subject_id = '0119f314-073c-5994-97d8-8033973455b7' WHERE id = 'note_ght4k2jxm7pqbv01';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SET idconv.owner_admin_role = 'regress_idconv_owner_admin';

-- A trigger set up wrongly is a clear error when it fires.
CREATE TABLE misconfigured (id int PRIMARY KEY, owner text, owner_uuid uuid);
CREATE TRIGGER t BEFORE INSERT OR UPDATE ON misconfigured FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
INSERT INTO misconfigured (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t BEFORE INSERT OR UPDATE ON misconfigured FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner');
INSERT INTO misconfigured (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t BEFORE INSERT OR UPDATE ON misconfigured FOR EACH ROW EXECUTE FUNCTION stamp_subject();
INSERT INTO misconfigured (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t AFTER INSERT OR UPDATE ON misconfigured FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_uuid');
INSERT INTO misconfigured (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t BEFORE INSERT OR UPDATE ON misconfigured FOR EACH STATEMENT EXECUTE FUNCTION stamp_subject('owner_uuid');
INSERT INTO misconfigured (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
-- Declared for INSERT only, or for UPDATE OF some columns, an UPDATE of the owner would go
-- unchecked: refused when it fires.
CREATE TRIGGER t BEFORE INSERT ON misconfigured FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_uuid');
INSERT INTO misconfigured (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
CREATE TRIGGER t BEFORE INSERT OR UPDATE OF owner ON misconfigured FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_uuid');
INSERT INTO misconfigured (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON misconfigured;
-- A domain over uuid is a uuid column.
CREATE DOMAIN subject_id AS uuid;
ALTER TABLE misconfigured ADD COLUMN owner_subject_id subject_id;
CREATE TRIGGER t BEFORE INSERT OR UPDATE ON misconfigured FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER t_check AFTER INSERT OR UPDATE OR DELETE ON misconfigured FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS a_signed_in;
INSERT INTO misconfigured (id) VALUES (2) RETURNING id, owner_subject_id;
COMMIT;

-- Moving a row to another partition inserts it there; the INSERT path would stamp the mover as the
-- owner, so changing a partition key takes an owner admin.
CREATE TABLE regional_notes (
  id               int,
  region           text NOT NULL,
  owner_subject_id uuid NOT NULL DEFAULT current_subject_id(),
  body             text,
  PRIMARY KEY (id, region)
) PARTITION BY LIST (region);
CREATE TABLE regional_notes_eu PARTITION OF regional_notes FOR VALUES IN ('eu');
CREATE TABLE regional_notes_us PARTITION OF regional_notes FOR VALUES IN ('us');
CREATE TRIGGER regional_notes_owner BEFORE INSERT OR UPDATE ON regional_notes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER regional_notes_owner_check AFTER INSERT OR UPDATE OR DELETE ON regional_notes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS a_signed_in;
INSERT INTO regional_notes (id, region, body) VALUES (1, 'eu', 'from A');
COMMIT;
RESET idconv.owner_admin_role;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"auth0|5f7c8ec7c33c6c004bbafe82"}', true) IS NOT NULL AS b_signed_in;
UPDATE regional_notes SET body = 'edited by B' WHERE id = 1;
UPDATE regional_notes SET region = 'us' WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SET idconv.owner_admin_role = 'regress_idconv_owner_admin';
SELECT region, owner_subject_id, body FROM regional_notes;
DROP TABLE regional_notes;

DROP TABLE notes, plain_notes, misconfigured;
DROP DOMAIN subject_id;
DROP ROLE regress_idconv_admin_tool, regress_idconv_owner_admin, regress_idconv_authenticated;
RESET ALL;
