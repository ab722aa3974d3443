-- stamp_subject and foreign-key actions. PostgreSQL runs a referential action's query as the
-- referencing table's owner (here a superuser, a member of every role): that owner must not count
-- as an owner admin, and no subject may use an action to take or give rows. A cascade that renames
-- the key the owner column references keeps each row with the same, renamed, owner, and is logged
-- as a cascade.
--   alice: 335517149097361411              -> 0119f314-073c-5994-97d8-8033973455b7
--   bob:   auth0|5f7c8ec7c33c6c004bbafe82  -> 9793a3c6-8948-5440-a51c-5207fd3b77ed
SET idconv.subject_namespace = '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a';
-- The errors raised inside an action carry the action's query as context; the editions word the
-- rest of the context differently.
\set SHOW_CONTEXT never
CREATE ROLE regress_idconv_fk_user NOLOGIN;
CREATE ROLE regress_idconv_fk_admin NOLOGIN;
-- A transaction of the client role, signed in as alice or bob.
\set as_alice 'SET LOCAL ROLE regress_idconv_fk_user; SELECT set_config(''request.jwt.claims'', ''{"sub":"335517149097361411"}'', true) IS NOT NULL AS alice_signed_in;'
\set as_bob 'SET LOCAL ROLE regress_idconv_fk_user; SELECT set_config(''request.jwt.claims'', ''{"sub":"auth0|5f7c8ec7c33c6c004bbafe82"}'', true) IS NOT NULL AS bob_signed_in;'

-- 1. A move to another partition inside a cascade on another column: notes are partitioned by
-- region, which a trigger that fires after the stamping one sets from the project. Bob renames
-- alice's project into another region; the cascade moves her note, and the INSERT path would
-- make bob its owner.
CREATE TABLE fk_projects (id text PRIMARY KEY, region text NOT NULL);
CREATE TABLE fk_notes (
  id               int,
  project          text NOT NULL REFERENCES fk_projects ON UPDATE CASCADE,
  region           text NOT NULL,
  owner_subject_id uuid NOT NULL DEFAULT current_subject_id(),
  body             text,
  PRIMARY KEY (id, region)
) PARTITION BY LIST (region);
CREATE TABLE fk_notes_eu PARTITION OF fk_notes FOR VALUES IN ('eu');
CREATE TABLE fk_notes_us PARTITION OF fk_notes FOR VALUES IN ('us');
CREATE TRIGGER fk_notes_owner BEFORE INSERT OR UPDATE ON fk_notes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER fk_notes_owner_check AFTER INSERT OR UPDATE OR DELETE ON fk_notes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE FUNCTION fk_notes_region() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.region := (SELECT p.region FROM fk_projects p WHERE p.id = NEW.project);
  RETURN NEW;
END $$;
CREATE TRIGGER fk_notes_zregion BEFORE INSERT OR UPDATE ON fk_notes
  FOR EACH ROW EXECUTE FUNCTION fk_notes_region();
GRANT SELECT, INSERT, UPDATE, DELETE ON fk_projects, fk_notes TO regress_idconv_fk_user;
INSERT INTO fk_projects VALUES ('p1', 'eu');
BEGIN;
:as_alice
INSERT INTO fk_notes (id, project, region, body) VALUES (1, 'p1', 'eu', 'alice''s note');
COMMIT;
BEGIN;
:as_bob
UPDATE fk_projects SET id = 'p1-us', region = 'us' WHERE id = 'p1';
\echo :LAST_ERROR_SQLSTATE
COMMIT;
-- The same with an owner admin role set: the superuser that owns the table does not make the
-- action an admin's (and nothing is logged).
SET idconv.owner_admin_role = 'regress_idconv_fk_admin';
SET client_min_messages = log;
BEGIN;
:as_bob
UPDATE fk_projects SET id = 'p1-us', region = 'us' WHERE id = 'p1';
\echo :LAST_ERROR_SQLSTATE
COMMIT;
RESET client_min_messages;
SELECT tableoid::regclass AS partition, project, owner_subject_id, body FROM fk_notes;
-- A rename that keeps the region is an update in place: fine.
BEGIN;
:as_bob
UPDATE fk_projects SET id = 'p1-renamed' WHERE id = 'p1';
COMMIT;
SELECT tableoid::regclass AS partition, project, owner_subject_id, body FROM fk_notes;

-- 2. The owner column references the profiles, ON UPDATE CASCADE: a rename of a profile's key
-- follows into the owner column, logged as a cascade (here by bob, who may update profiles).
CREATE TABLE fk_profiles (id uuid PRIMARY KEY, name text);
CREATE TABLE fk_docs (
  id               int PRIMARY KEY,
  owner_subject_id uuid NOT NULL DEFAULT current_subject_id() REFERENCES fk_profiles ON UPDATE CASCADE,
  body             text
);
CREATE TRIGGER fk_docs_owner BEFORE INSERT OR UPDATE ON fk_docs
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER fk_docs_owner_check AFTER INSERT OR UPDATE OR DELETE ON fk_docs
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
-- The same on a partitioned table: each partition has its copy of the foreign key.
CREATE TABLE fk_pdocs (
  id               int,
  kind             text,
  owner_subject_id uuid NOT NULL DEFAULT current_subject_id() REFERENCES fk_profiles ON UPDATE CASCADE,
  PRIMARY KEY (id, kind)
) PARTITION BY LIST (kind);
CREATE TABLE fk_pdocs_memo PARTITION OF fk_pdocs FOR VALUES IN ('memo');
CREATE TRIGGER fk_pdocs_owner BEFORE INSERT OR UPDATE ON fk_pdocs
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER fk_pdocs_owner_check AFTER INSERT OR UPDATE OR DELETE ON fk_pdocs
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
GRANT SELECT, INSERT, UPDATE, DELETE ON fk_profiles, fk_docs, fk_pdocs TO regress_idconv_fk_user;
INSERT INTO fk_profiles VALUES ('0119f314-073c-5994-97d8-8033973455b7', 'alice'),
                               ('00000000-0000-4000-8000-00000000000c', 'carol');
BEGIN;
:as_alice
INSERT INTO fk_docs (id, body) VALUES (1, 'alice''s doc'), (2, 'alice''s other doc');
INSERT INTO fk_pdocs (id, kind) VALUES (1, 'memo');
COMMIT;
SET client_min_messages = log;
BEGIN;
:as_bob
UPDATE fk_profiles SET id = '00000000-0000-4000-8000-0000000000a2' WHERE name = 'alice';
COMMIT;
RESET client_min_messages;
SELECT d.id, d.owner_subject_id, p.name FROM fk_docs d JOIN fk_profiles p ON p.id = d.owner_subject_id ORDER BY d.id;
SELECT d.tableoid::regclass AS partition, d.owner_subject_id, p.name FROM fk_pdocs d JOIN fk_profiles p ON p.id = d.owner_subject_id;
-- No subject renames a key onto its own id (taking the rows) or off it (giving them away).
BEGIN;
:as_bob
UPDATE fk_profiles SET id = '9793a3c6-8948-5440-a51c-5207fd3b77ed' WHERE name = 'alice';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
UPDATE fk_profiles SET id = '0119f314-073c-5994-97d8-8033973455b7' WHERE name = 'alice';
BEGIN;
:as_alice
UPDATE fk_profiles SET id = '00000000-0000-4000-8000-0000000000a3' WHERE name = 'alice';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
INSERT INTO fk_docs (id, owner_subject_id, body) VALUES (3, '00000000-0000-4000-8000-00000000000c', 'carol''s doc');
-- An owner admin's rename is a cascade too, logged as one.
GRANT regress_idconv_fk_admin TO regress_idconv_fk_user;
SET client_min_messages = log;
BEGIN;
SET LOCAL ROLE regress_idconv_fk_user;
UPDATE fk_profiles SET id = '00000000-0000-4000-8000-0000000000c2' WHERE name = 'carol';
COMMIT;
RESET client_min_messages;
REVOKE regress_idconv_fk_admin FROM regress_idconv_fk_user;
SELECT id, owner_subject_id, body FROM fk_docs ORDER BY id;
-- Without an AFTER twin (no later BEFORE trigger), the BEFORE trigger alone follows the rename.
DROP TRIGGER fk_docs_owner_check ON fk_docs;
SET client_min_messages = log;
BEGIN;
:as_bob
UPDATE fk_profiles SET id = '00000000-0000-4000-8000-0000000000c3' WHERE name = 'carol';
COMMIT;
RESET client_min_messages;
SELECT id, owner_subject_id, body FROM fk_docs ORDER BY id;

-- 3. Other actions on the owner column change owners: SET NULL and SET DEFAULT are refused to a
-- subject that is not an owner admin, with the BEFORE trigger alone too, and nothing is logged.
CREATE TABLE fk_cards (
  id               int PRIMARY KEY,
  owner_subject_id uuid DEFAULT '0119f314-073c-5994-97d8-8033973455b7'
                   REFERENCES fk_profiles ON DELETE SET NULL ON UPDATE SET DEFAULT,
  body             text
);
CREATE TRIGGER fk_cards_owner BEFORE INSERT OR UPDATE ON fk_cards
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
GRANT SELECT, INSERT, UPDATE, DELETE ON fk_cards TO regress_idconv_fk_user;
INSERT INTO fk_cards VALUES (1, '00000000-0000-4000-8000-0000000000c3', 'carol''s card');
SET client_min_messages = log;
BEGIN;
:as_bob
SAVEPOINT s;
DELETE FROM fk_docs WHERE id = 3;
DELETE FROM fk_profiles WHERE name = 'carol';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO SAVEPOINT s;
UPDATE fk_profiles SET id = '00000000-0000-4000-8000-0000000000c4' WHERE name = 'carol';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
RESET client_min_messages;
SELECT id, owner_subject_id, body FROM fk_cards;
-- An owner admin's SET NULL is an override, logged with the admin's role (not the table owner's).
GRANT regress_idconv_fk_admin TO regress_idconv_fk_user;
SET client_min_messages = log;
BEGIN;
SET LOCAL ROLE regress_idconv_fk_user;
DELETE FROM fk_docs WHERE id = 3;
DELETE FROM fk_profiles WHERE name = 'carol';
COMMIT;
RESET client_min_messages;
REVOKE regress_idconv_fk_admin FROM regress_idconv_fk_user;
SELECT id, owner_subject_id, body FROM fk_cards;

-- 4. A cascade on another column, and a later trigger that rewrites the owner from it: refused
-- by the AFTER twin, and nothing is logged.
CREATE TABLE fk_leads (id text PRIMARY KEY, lead uuid);
CREATE TABLE fk_tasks (
  id               int PRIMARY KEY,
  project          text REFERENCES fk_leads ON UPDATE CASCADE,
  owner_subject_id uuid,
  body             text
);
CREATE TRIGGER fk_tasks_owner BEFORE INSERT OR UPDATE ON fk_tasks
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER fk_tasks_owner_check AFTER INSERT OR UPDATE OR DELETE ON fk_tasks
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE FUNCTION fk_tasks_lead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    NEW.owner_subject_id := coalesce((SELECT l.lead FROM fk_leads l WHERE l.id = NEW.project), NEW.owner_subject_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER fk_tasks_zlead BEFORE INSERT OR UPDATE ON fk_tasks
  FOR EACH ROW EXECUTE FUNCTION fk_tasks_lead();
GRANT SELECT, INSERT, UPDATE, DELETE ON fk_leads, fk_tasks TO regress_idconv_fk_user;
INSERT INTO fk_leads VALUES ('t1', NULL);
BEGIN;
:as_alice
INSERT INTO fk_tasks (id, project, body) VALUES (1, 't1', 'alice''s task');
COMMIT;
SET client_min_messages = log;
BEGIN;
:as_bob
UPDATE fk_leads SET id = 't1-bob', lead = current_subject_id() WHERE id = 't1';
\echo :LAST_ERROR_SQLSTATE
COMMIT;
RESET client_min_messages;
SELECT id, project, owner_subject_id FROM fk_tasks;

DROP TABLE fk_notes, fk_projects, fk_docs, fk_pdocs, fk_cards, fk_tasks, fk_leads, fk_profiles;
DROP FUNCTION fk_notes_region(), fk_tasks_lead();
DROP ROLE regress_idconv_fk_user, regress_idconv_fk_admin;
RESET ALL;
