-- The audits read a table as its owner, in a security-restricted operation with a safe
-- search_path, as VACUUM and ANALYZE do: code the table's owner controls (a cast to text, a
-- view's functions) never runs as the role that audits.
CREATE ROLE regress_idconv_mallory NOLOGIN;
CREATE ROLE regress_idconv_reader NOLOGIN;
CREATE SCHEMA mallory AUTHORIZATION regress_idconv_mallory;
GRANT USAGE ON SCHEMA mallory TO regress_idconv_reader;

SET ROLE regress_idconv_mallory;
-- Whoever runs it, and where: a superuser running it makes mallory a superuser.
CREATE FUNCTION mallory.escalate() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    EXECUTE 'ALTER ROLE regress_idconv_mallory SUPERUSER';
  END IF;
  RETURN current_user || ' ' || pg_catalog.current_setting('search_path');
END $$;
CREATE TYPE mallory.ptype AS (a int);
CREATE FUNCTION mallory.ptype_text(mallory.ptype) RETURNS text LANGUAGE sql
  AS 'SELECT mallory.escalate()';
CREATE CAST (mallory.ptype AS text) WITH FUNCTION mallory.ptype_text(mallory.ptype);
CREATE TABLE mallory.things (id int PRIMARY KEY, p mallory.ptype);
INSERT INTO mallory.things VALUES (1, ROW(1)), (2, ROW(2));
-- A column of a domain over a domain over the type: PostgreSQL looks a cast up on the last base
-- type, so mallory's cast reads it too.
CREATE DOMAIN mallory.pdomain AS mallory.ptype;
CREATE DOMAIN mallory.pdomain2 AS mallory.pdomain;
CREATE TABLE mallory.nested (id int PRIMARY KEY, p mallory.pdomain2);
INSERT INTO mallory.nested VALUES (1, ROW(1));
CREATE VIEW mallory.v AS SELECT mallory.escalate() AS id;
-- Code that a security-restricted operation refuses.
CREATE FUNCTION mallory.set_role() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  SET ROLE NONE;
  RETURN 'ran';
END $$;
CREATE VIEW mallory.w AS SELECT mallory.set_role() AS id;
GRANT SELECT ON mallory.things, mallory.nested, mallory.v TO regress_idconv_reader;
RESET ROLE;

-- A superuser audits the column of the composite type: the cast runs as mallory.
SELECT * FROM audit_id_column('mallory.things', 'p');
SELECT rolsuper AS mallory_is_superuser FROM pg_roles WHERE rolname = 'regress_idconv_mallory';
-- ... behind any number of domains too.
SELECT * FROM audit_id_column('mallory.nested', 'p');
SELECT rolsuper AS mallory_is_superuser FROM pg_roles WHERE rolname = 'regress_idconv_mallory';
-- ... and the view: its function runs as mallory too.
SELECT * FROM audit_id_column('mallory.v', 'id');
SELECT rolsuper AS mallory_is_superuser FROM pg_roles WHERE rolname = 'regress_idconv_mallory';
-- What a security-restricted operation forbids stays forbidden.
SELECT * FROM audit_id_column('mallory.w', 'id');
\echo :LAST_ERROR_SQLSTATE

-- A role with SELECT on the table audits it the same way, as mallory.
SET ROLE regress_idconv_reader;
SELECT * FROM audit_id_column('mallory.things', 'p');
SELECT * FROM audit_id_column('mallory.nested', 'p');
SELECT * FROM audit_id_column('mallory.things', 'id');
-- A view is read as its owner, so only roles with the owner's privileges may audit one: its rows
-- may depend on who reads them (current_user in its body).
SELECT * FROM audit_id_column('mallory.v', 'id');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
-- Without SELECT on the column, nothing.
REVOKE SELECT ON mallory.things FROM regress_idconv_reader;
GRANT SELECT (id) ON mallory.things TO regress_idconv_reader;
SET ROLE regress_idconv_reader;
SELECT * FROM audit_id_column('mallory.things', 'id');
SELECT * FROM audit_id_column('mallory.things', 'p');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
-- Row-level security that applies to the caller: the owner's reading would show rows the caller
-- cannot see, so the audit refuses.
GRANT SELECT ON mallory.things TO regress_idconv_reader;
ALTER TABLE mallory.things ENABLE ROW LEVEL SECURITY;
CREATE POLICY things_one ON mallory.things USING (id = 1);
SET ROLE regress_idconv_reader;
SELECT * FROM audit_id_column('mallory.things', 'id');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
-- A superuser bypasses it, and the owner is not subject to it: both audit every row.
SELECT * FROM audit_id_column('mallory.things', 'id');
SET ROLE regress_idconv_mallory;
SELECT * FROM audit_id_column('mallory.things', 'id');
RESET ROLE;

-- audit_subject_references reads only the catalogs: a user-reference column of mallory's type
-- is reported without its cast (or anything else of mallory's) running.
SET ROLE regress_idconv_mallory;
CREATE TABLE mallory.refs (id int PRIMARY KEY, owner_subject_id mallory.ptype);
CREATE VIEW mallory.refs_view AS SELECT id, mallory.escalate() AS subject_id FROM mallory.refs;
RESET ROLE;
SELECT * FROM audit_subject_references('mallory');
SELECT rolsuper AS mallory_is_superuser FROM pg_roles WHERE rolname = 'regress_idconv_mallory';

-- The owner needs no privilege on the extension's schema (public here): without USAGE on it for
-- PUBLIC, as after REVOKE ALL ON SCHEMA public FROM PUBLIC, a superuser and a role granted USAGE
-- audit mallory's table all the same. The counts, the order (rows, then kind, NULL last) and the
-- examples (the smallest value in byte order) are those of GROUP BY, ORDER BY and COLLATE "C".
SET ROLE regress_idconv_mallory;
CREATE TABLE mallory.mixed (id text);
INSERT INTO mallory.mixed VALUES ('a x'), ('B x'), ('x y z'), ('x y'), (NULL), ('42'), ('u-dev-001'), (NULL),
                                 ('a-b'), ('7');
GRANT SELECT ON mallory.mixed TO regress_idconv_reader;
RESET ROLE;
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO regress_idconv_reader;
SELECT has_schema_privilege('regress_idconv_mallory', 'public', 'USAGE') AS mallory_has_usage;
SELECT * FROM audit_id_column('mallory.mixed', 'id');
SET ROLE regress_idconv_reader;
SELECT * FROM audit_id_column('mallory.mixed', 'id');
RESET ROLE;
REVOKE USAGE ON SCHEMA public FROM regress_idconv_reader;
GRANT USAGE ON SCHEMA public TO PUBLIC;

SET client_min_messages = warning;
DROP SCHEMA mallory CASCADE;
RESET client_min_messages;
DROP ROLE regress_idconv_mallory, regress_idconv_reader;
