-- stamp_subject holds whatever other triggers the table has: a BEFORE trigger that fires after it
-- (triggers fire in name order) cannot move a row to another partition for a non-admin, nor
-- change an owner it stamped or kept. The AFTER twin checks the row as it was stored.
--   alice: 335517149097361411              -> 0119f314-073c-5994-97d8-8033973455b7
--   bob:   auth0|5f7c8ec7c33c6c004bbafe82  -> 9793a3c6-8948-5440-a51c-5207fd3b77ed
SET idconv.subject_namespace = '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a';
SET idconv.owner_admin_role = 'regress_idconv_takeover_admin';
CREATE ROLE regress_idconv_takeover_user NOLOGIN;
CREATE ROLE regress_idconv_takeover_admin NOLOGIN;

-- The reproduction of the review: partitioned by region, region set from country by a trigger
-- whose name sorts after the stamping one, and a permissive policy.
CREATE TABLE tnotes (
  id               int,
  region           text NOT NULL,
  country          text NOT NULL,
  owner_subject_id uuid NOT NULL DEFAULT current_subject_id(),
  body             text,
  PRIMARY KEY (id, region)
) PARTITION BY LIST (region);
CREATE TABLE tnotes_eu PARTITION OF tnotes FOR VALUES IN ('eu');
CREATE TABLE tnotes_us PARTITION OF tnotes FOR VALUES IN ('us');
CREATE TRIGGER tnotes_owner BEFORE INSERT OR UPDATE ON tnotes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER tnotes_owner_check AFTER INSERT OR UPDATE OR DELETE ON tnotes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE FUNCTION tnotes_region() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.region := CASE WHEN NEW.country IN ('us', 'ca') THEN 'us' ELSE 'eu' END;
  RETURN NEW;
END $$;
CREATE TRIGGER tnotes_zregion BEFORE INSERT OR UPDATE ON tnotes
  FOR EACH ROW EXECUTE FUNCTION tnotes_region();
ALTER TABLE tnotes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tnotes_all ON tnotes USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON tnotes TO regress_idconv_takeover_user;

BEGIN;
SET LOCAL ROLE regress_idconv_takeover_user;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS alice_signed_in;
INSERT INTO tnotes (id, region, country, body) VALUES (1, 'eu', 'fr', 'alice''s note');
COMMIT;

BEGIN;
SET LOCAL ROLE regress_idconv_takeover_user;
SELECT set_config('request.jwt.claims', '{"sub":"auth0|5f7c8ec7c33c6c004bbafe82"}', true) IS NOT NULL AS bob_signed_in;
-- Refused by the BEFORE trigger: bob changes the key himself.
SAVEPOINT s;
UPDATE tnotes SET region = 'us' WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
-- An edit that keeps the key is fine.
UPDATE tnotes SET body = 'alice''s note, edited by bob' WHERE id = 1;
COMMIT;
-- The review's takeover: the key is changed by the later trigger, the row moves to tnotes_us, and
-- the INSERT path there would stamp bob. Refused by the AFTER trigger on the old partition.
BEGIN;
SET LOCAL ROLE regress_idconv_takeover_user;
SELECT set_config('request.jwt.claims', '{"sub":"auth0|5f7c8ec7c33c6c004bbafe82"}', true) IS NOT NULL AS bob_signed_in;
UPDATE tnotes SET country = 'us' WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
COMMIT;
SELECT tableoid::regclass AS partition, region, country, owner_subject_id, body FROM tnotes;

-- bob cannot move his own row either: a move is a change of partition key.
BEGIN;
SET LOCAL ROLE regress_idconv_takeover_user;
SELECT set_config('request.jwt.claims', '{"sub":"auth0|5f7c8ec7c33c6c004bbafe82"}', true) IS NOT NULL AS bob_signed_in;
INSERT INTO tnotes (id, region, country, body) VALUES (2, 'eu', 'de', 'bob''s note');
COMMIT;
BEGIN;
SET LOCAL ROLE regress_idconv_takeover_user;
SELECT set_config('request.jwt.claims', '{"sub":"auth0|5f7c8ec7c33c6c004bbafe82"}', true) IS NOT NULL AS bob_signed_in;
UPDATE tnotes SET country = 'ca' WHERE id = 2;
\echo :LAST_ERROR_SQLSTATE
COMMIT;

-- MERGE takes the same path.
BEGIN;
SET LOCAL ROLE regress_idconv_takeover_user;
SELECT set_config('request.jwt.claims', '{"sub":"auth0|5f7c8ec7c33c6c004bbafe82"}', true) IS NOT NULL AS bob_signed_in;
MERGE INTO tnotes t USING (VALUES (1)) AS v(id) ON t.id = v.id
  WHEN MATCHED THEN UPDATE SET country = 'us';
\echo :LAST_ERROR_SQLSTATE
COMMIT;
SELECT tableoid::regclass AS partition, id, owner_subject_id FROM tnotes ORDER BY id;

-- An owner admin may move rows; the owner stays, and the move is logged as an override where
-- the row lands (the admin's subject is not the owner).
-- The partition has no grants of its own, so the client is not shown the row's key (the server
-- log is).
GRANT regress_idconv_takeover_admin TO regress_idconv_takeover_user;
SET client_min_messages = log;
BEGIN;
SET LOCAL ROLE regress_idconv_takeover_user;
UPDATE tnotes SET country = 'us' WHERE id = 1;
COMMIT;
RESET client_min_messages;
REVOKE regress_idconv_takeover_admin FROM regress_idconv_takeover_user;
SELECT tableoid::regclass AS partition, region, country, owner_subject_id, body FROM tnotes ORDER BY id;

-- A later BEFORE trigger that rewrites the owner: on INSERT and on an UPDATE in place.
CREATE TABLE hnotes (
  id               int PRIMARY KEY,
  owner_subject_id uuid,
  claimed_by       uuid,
  body             text
);
CREATE TRIGGER hnotes_owner BEFORE INSERT OR UPDATE ON hnotes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER hnotes_owner_check AFTER INSERT OR UPDATE OR DELETE ON hnotes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE FUNCTION hnotes_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.claimed_by IS NOT NULL THEN NEW.owner_subject_id := NEW.claimed_by; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER hnotes_zclaim BEFORE INSERT OR UPDATE ON hnotes
  FOR EACH ROW EXECUTE FUNCTION hnotes_claim();
GRANT SELECT, INSERT, UPDATE, DELETE ON hnotes TO regress_idconv_takeover_user;
BEGIN;
SET LOCAL ROLE regress_idconv_takeover_user;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS alice_signed_in;
INSERT INTO hnotes (id, body) VALUES (1, 'alice''s');
COMMIT;
BEGIN;
SET LOCAL ROLE regress_idconv_takeover_user;
SELECT set_config('request.jwt.claims', '{"sub":"auth0|5f7c8ec7c33c6c004bbafe82"}', true) IS NOT NULL AS bob_signed_in;
UPDATE hnotes SET claimed_by = current_subject_id() WHERE id = 1;
\echo :LAST_ERROR_SQLSTATE
COMMIT;
-- A row bob inserts for alice.
BEGIN;
SET LOCAL ROLE regress_idconv_takeover_user;
SELECT set_config('request.jwt.claims', '{"sub":"auth0|5f7c8ec7c33c6c004bbafe82"}', true) IS NOT NULL AS bob_signed_in;
INSERT INTO hnotes (id, claimed_by, body) VALUES (2, '0119f314-073c-5994-97d8-8033973455b7', 'planted');
\echo :LAST_ERROR_SQLSTATE
COMMIT;
SELECT id, owner_subject_id, body FROM hnotes ORDER BY id;
-- A plain DELETE passes the AFTER trigger.
DELETE FROM hnotes WHERE id = 1;

-- With no BEFORE trigger firing after it, stamp_subject alone keeps working (tables set up as
-- 0.2.0 documented): nothing can change the row between its check and the store.
CREATE TABLE lone (id int PRIMARY KEY, owner_subject_id uuid, note text);
CREATE TRIGGER lone_owner BEFORE INSERT OR UPDATE ON lone
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
-- A BEFORE trigger that fires first (by name) changes nothing for it.
CREATE FUNCTION lone_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.note := 'touched'; RETURN NEW; END $$;
CREATE TRIGGER lone_a_first BEFORE INSERT OR UPDATE ON lone FOR EACH ROW EXECUTE FUNCTION lone_touch();
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS alice_signed_in;
INSERT INTO lone (id) VALUES (1) RETURNING id, owner_subject_id, note;
ROLLBACK;
-- Once a BEFORE trigger fires after it, stamp_subject refuses to run without its AFTER twin,
-- whether that trigger is enabled or not (it may be enabled later).
CREATE TRIGGER lone_zlater BEFORE INSERT OR UPDATE ON lone FOR EACH ROW EXECUTE FUNCTION lone_touch();
ALTER TABLE lone DISABLE TRIGGER lone_zlater;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS alice_signed_in;
INSERT INTO lone (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- A twin that cannot see every row does not count: deferred, or with a WHEN clause.
CREATE CONSTRAINT TRIGGER lone_owner_check AFTER INSERT OR UPDATE OR DELETE ON lone
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS alice_signed_in;
INSERT INTO lone (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
DROP TRIGGER lone_owner_check ON lone;
CREATE TRIGGER lone_owner_check AFTER INSERT OR UPDATE OR DELETE ON lone
  FOR EACH ROW WHEN (true) EXECUTE FUNCTION stamp_subject('owner_subject_id');
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS alice_signed_in;
INSERT INTO lone (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
DROP TRIGGER lone_owner_check ON lone;
-- The twin declared without DELETE would miss moves.
CREATE TRIGGER lone_owner_check AFTER INSERT OR UPDATE ON lone
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS alice_signed_in;
INSERT INTO lone (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
DROP TABLE lone;
DROP FUNCTION lone_touch();

-- A WHEN clause on the BEFORE trigger would let the rows it skips keep an owner the client chose:
-- refused when it fires, and by the twin on every row.
CREATE TABLE wnotes (id int PRIMARY KEY, owner_subject_id uuid, body text);
CREATE TRIGGER wnotes_owner BEFORE INSERT OR UPDATE ON wnotes
  FOR EACH ROW WHEN (NEW.owner_subject_id IS NULL) EXECUTE FUNCTION stamp_subject('owner_subject_id');
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"auth0|5f7c8ec7c33c6c004bbafe82"}', true) IS NOT NULL AS bob_signed_in;
INSERT INTO wnotes (id, body) VALUES (1, 'bob''s');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
CREATE TRIGGER wnotes_owner_check AFTER INSERT OR UPDATE OR DELETE ON wnotes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"auth0|5f7c8ec7c33c6c004bbafe82"}', true) IS NOT NULL AS bob_signed_in;
INSERT INTO wnotes (id, owner_subject_id, body) VALUES (2, '0119f314-073c-5994-97d8-8033973455b7', 'planted for alice');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT count(*) AS stored FROM wnotes;
DROP TABLE wnotes;

-- An owner column of a domain with a CHECK: the stamped value is checked against the domain.
CREATE DOMAIN derived_subject AS uuid CHECK (uuid_version(VALUE) = 4);
CREATE TABLE dnotes (id int PRIMARY KEY, owner_subject_id derived_subject);
CREATE TRIGGER dnotes_owner BEFORE INSERT OR UPDATE ON dnotes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER dnotes_owner_check AFTER INSERT OR UPDATE OR DELETE ON dnotes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS alice_signed_in;
INSERT INTO dnotes (id) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
COMMIT;
-- A subject that is a v4 UUID fits the domain.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"6a0e2a4b-3c1d-4e5f-8a7b-9c0d1e2f3a4b"}', true) IS NOT NULL AS v4_signed_in;
INSERT INTO dnotes (id) VALUES (2) RETURNING id, owner_subject_id;
COMMIT;
SELECT count(*) AS stored FROM dnotes WHERE uuid_version(owner_subject_id) <> 4;

-- An owner column that is GENERATED is computed from columns the client sends, after BEFORE
-- triggers: refused like the other misconfigurations.
CREATE TABLE gnotes (
  id int PRIMARY KEY,
  claimed text,
  owner_subject_id uuid GENERATED ALWAYS AS (claimed::uuid) STORED
);
CREATE TRIGGER gnotes_owner BEFORE INSERT OR UPDATE ON gnotes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER gnotes_owner_check AFTER INSERT OR UPDATE OR DELETE ON gnotes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS alice_signed_in;
INSERT INTO gnotes (id, claimed) VALUES (1, '9793a3c6-8948-5440-a51c-5207fd3b77ed');
\echo :LAST_ERROR_SQLSTATE
COMMIT;
SELECT count(*) AS stored FROM gnotes;

-- The README's upgrade query (0.2.0 -> 0.3.0) adds the missing twin, once.
CREATE TABLE legacy (id int PRIMARY KEY, owner_subject_id uuid);
CREATE TRIGGER legacy_owner BEFORE INSERT OR UPDATE ON legacy
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
SELECT format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION stamp_subject(%L)',
              t.tgname || '_check', t.tgrelid::regclass, regexp_replace(encode(t.tgargs, 'escape'), '\\000$', ''))
FROM pg_trigger t
WHERE t.tgfoid = 'stamp_subject()'::regprocedure AND t.tgparentid = 0 AND t.tgtype & 2 = 2
  AND NOT EXISTS (SELECT 1 FROM pg_trigger a WHERE a.tgrelid = t.tgrelid AND a.tgfoid = t.tgfoid
                  AND a.tgtype & 2 = 0 AND a.tgargs = t.tgargs) \gexec
SELECT tgrelid::regclass AS table_name, tgname FROM pg_trigger
WHERE tgfoid = 'stamp_subject()'::regprocedure AND tgrelid = 'legacy'::regclass ORDER BY tgname;
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411"}', true) IS NOT NULL AS alice_signed_in;
INSERT INTO legacy (id) VALUES (1) RETURNING owner_subject_id;
COMMIT;
DROP TABLE legacy;

DROP TABLE tnotes, hnotes, dnotes, gnotes;
DROP FUNCTION tnotes_region(), hnotes_claim();
DROP DOMAIN derived_subject;
DROP ROLE regress_idconv_takeover_user, regress_idconv_takeover_admin;
RESET ALL;
