-- A trusted extension: a database owner who is not a superuser installs it; a role without grants
-- cannot write the registry; no function runs as anyone but its caller; and nothing a user creates
-- in public redirects a function of the extension.
SELECT current_database() AS regress_db \gset
-- That it is trusted shows below: a database owner who is not a superuser creates it. (Not from
-- pg_available_extension_versions: Debian's build-time test, pg_buildext installcheck, loads the
-- extension from the package's build folder through extension_destdir, which that view does not
-- read.)
-- No SECURITY DEFINER function, and every function not written in C pins its search_path.
SELECT count(*) AS functions, count(*) FILTER (WHERE p.prosecdef) AS security_definer,
       count(*) FILTER (WHERE l.lanname <> 'c') AS not_c,
       count(*) FILTER (WHERE l.lanname <> 'c'
                        AND 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig)) AS not_c_pinned
FROM pg_proc p
JOIN pg_language l ON l.oid = p.prolang
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'idconv';
-- The routines without that SET clause: the adoption procedures, which commit and so cannot have
-- one, and the helpers they call. Each procedure pins search_path as its first statement (and after
-- every COMMIT); resolve_key's SQL-standard body binds its table when it is made.
SELECT p.oid::regprocedure AS routine, p.prokind AS kind
FROM pg_proc p
JOIN pg_language l ON l.oid = p.prolang
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'idconv'
WHERE l.lanname <> 'c' AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)
ORDER BY p.proname COLLATE "C";
-- Every public adoption procedure pins search_path before anything else it runs.
SELECT p.proname AS procedure_pins_first
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'idconv'
WHERE p.prokind = 'p' AND p.proname !~ '^_'
  AND p.prosrc ~ '\mBEGIN\s+(--[^\n]*\n\s*)*PERFORM pg_catalog\.set_config\(''search_path'''
ORDER BY 1;

CREATE ROLE regress_idconv_dbowner NOLOGIN;
CREATE ROLE regress_idconv_app NOLOGIN;
CREATE ROLE regress_idconv_nobody NOLOGIN;
CREATE ROLE regress_idconv_mallory NOLOGIN;
CREATE DATABASE regress_idconv_trusted OWNER regress_idconv_dbowner;
\c regress_idconv_trusted
GRANT CREATE ON SCHEMA public TO regress_idconv_mallory;

-- The owner of the database installs it, into a schema of its own.
SET ROLE regress_idconv_dbowner;
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;
CREATE SCHEMA ids;
CREATE EXTENSION idconv SCHEMA ids;
SELECT e.extversion, pg_get_userbyid(e.extowner) AS extension_owner,
       c.relowner = 10 AS registry_owned_by_bootstrap_superuser
FROM pg_extension e, pg_class c
WHERE e.extname = 'idconv' AND c.oid = 'ids.id_prefixes'::regclass;
SELECT ids.register_prefix('user', 'usr', 'registered by the database owner') AS registered;
SELECT ids.generate_id_for('user') ~ '^usr_[a-z][0-9a-z]{15}$' AS generates;
-- The owner passes the right to register prefixes to its application's role.
GRANT INSERT ON ids.id_prefixes TO regress_idconv_app;
GRANT USAGE ON SCHEMA ids TO PUBLIC;

-- A role without grants reads the registry and generates ids, but cannot change it.
SET ROLE regress_idconv_nobody;
SELECT entity, prefix FROM ids.id_prefixes;
SELECT ids.entity_of(ids.generate_id_for('user')) AS entity;
SELECT ids.register_prefix('invoice', 'inv');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO ids.id_prefixes (entity, prefix) VALUES ('invoice', 'inv');
\echo :LAST_ERROR_SQLSTATE
UPDATE ids.id_prefixes SET prefix = 'own' WHERE entity = 'user';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM ids.id_prefixes;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE ids.id_prefixes;
\echo :LAST_ERROR_SQLSTATE
-- The application's role can, as its grant says; register_prefix writes as its caller.
SET ROLE regress_idconv_app;
SELECT ids.register_prefix('invoice', 'inv') AS registered_by_app;
DELETE FROM ids.id_prefixes WHERE entity = 'invoice';
\echo :LAST_ERROR_SQLSTATE

-- Mallory plants look-alikes in public, which comes first on the victims' search_path below.
SET ROLE regress_idconv_mallory;
CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'hijacked: public.lower(text)'; END $$;
CREATE FUNCTION public.upper(text) RETURNS text LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'hijacked: public.upper(text)'; END $$;
CREATE FUNCTION public.length(text) RETURNS int LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'hijacked: public.length(text)'; END $$;
CREATE FUNCTION public.quote_ident(text) RETURNS text LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'hijacked: public.quote_ident(text)'; END $$;
CREATE FUNCTION public.format_type(oid, int) RETURNS text LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'hijacked: public.format_type(oid, int)'; END $$;
CREATE FUNCTION public.id_kind(text) RETURNS text LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'hijacked: public.id_kind(text)'; END $$;
CREATE FUNCTION public.hijack_name_eq(name, name) RETURNS bool LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'hijacked: public.=(name, name)'; END $$;
CREATE OPERATOR public.= (LEFTARG = name, RIGHTARG = name, FUNCTION = public.hijack_name_eq);
CREATE FUNCTION public.hijack_name_like(name, text) RETURNS bool LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'hijacked: public.~~(name, text)'; END $$;
CREATE OPERATOR public.~~ (LEFTARG = name, RIGHTARG = text, FUNCTION = public.hijack_name_like);
CREATE FUNCTION public.hijack_text_eq(text, text) RETURNS bool LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'hijacked: public.=(text, text)'; END $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.hijack_text_eq);
-- An unpinned function of Mallory's own, as the control: the look-alikes do capture such code.
CREATE FUNCTION public.unpinned_probe() RETURNS bool LANGUAGE sql AS $$ SELECT 'a'::name = 'a'::name $$;

-- The database owner works with public first on its search_path.
SET ROLE regress_idconv_dbowner;
SET search_path = public, pg_catalog, ids;
SELECT lower('X');
SELECT public.unpinned_probe();
CREATE TABLE accounts (id text, user_id text, owner_id uuid);
INSERT INTO accounts VALUES (ids.generate_id_for('user'), 'u-dev-001', NULL), ('u000', NULL, NULL),
  ('550e8400-e29b-41d4-a716-446655440000', NULL, NULL);
SELECT kind, rows FROM ids.audit_id_column('accounts', 'id') ORDER BY kind;
SELECT table_name, column_name, data_type, problem FROM ids.audit_subject_references('public');
SELECT ids.register_prefix('organization', 'org') AS registered;
SELECT ids.entity_of(ids.generate_id_for('organization')) AS entity;
SELECT ids.id_kind('usr_ght4k2jxm7pqbv01') AS kind, ids.slugify('Crème Brûlée') AS slug;
RESET search_path;

-- The subject settings decide whose rows a session may claim: only a superuser sets them, or a
-- role a superuser lets (PostgreSQL 15: GRANT SET ON PARAMETER).
SET idconv.subject_namespace = '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a';
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT SET ON PARAMETER idconv.subject_namespace TO regress_idconv_dbowner;
SET ROLE regress_idconv_dbowner;
SET idconv.subject_namespace = '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a';
SELECT ids.normalize_subject('335517149097361411') AS zitadel_subject;
RESET idconv.subject_namespace;
RESET ROLE;
REVOKE SET ON PARAMETER idconv.subject_namespace FROM regress_idconv_dbowner;

\c :regress_db
DROP DATABASE regress_idconv_trusted;
DROP ROLE regress_idconv_dbowner, regress_idconv_app, regress_idconv_nobody, regress_idconv_mallory;
