-- audit_id_column and foreign tables under a table: a partition or an inheritance child that is a
-- foreign table is read through a user mapping, so its rows, and the remote code that makes them,
-- depend on who reads. A table with one anywhere under it is refused as a foreign table is.
CREATE ROLE regress_idconv_mallory NOLOGIN;
CREATE ROLE regress_idconv_reader NOLOGIN;
CREATE SCHEMA mallory AUTHORIZATION regress_idconv_mallory;
GRANT USAGE ON SCHEMA mallory TO regress_idconv_reader;
CREATE EXTENSION postgres_fdw;
DO $$ BEGIN
  EXECUTE format('CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname %L, port %L, host %L)',
                 current_database(), current_setting('port'),
                 split_part(current_setting('unix_socket_directories'), ',', 1));
  -- The loopback can only log in as the bootstrap superuser (peer authentication in pg_virtualenv),
  -- so mallory's mapping connects as it: what mallory's foreign tables read stays harmless below.
  EXECUTE format('CREATE USER MAPPING FOR regress_idconv_mallory SERVER loopback OPTIONS (user %L, password_required %L)',
                 current_user, 'false');
END $$;
GRANT USAGE ON FOREIGN SERVER loopback TO regress_idconv_mallory;

SET ROLE regress_idconv_mallory;
-- Mallory's code on the remote side notes who ran it; run by a superuser, it could do anything.
CREATE TABLE mallory.ran (by_superuser boolean);
CREATE FUNCTION mallory.remote_id() RETURNS text LANGUAGE sql AS $$
  INSERT INTO mallory.ran SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user;
  SELECT 'ran';
$$;
-- An inheritance parent with a foreign child; the remote table holds a row only mallory's mapping
-- reaches.
CREATE TABLE mallory.feed (id text);
INSERT INTO mallory.feed VALUES ('u-dev-001');
CREATE TABLE mallory.feed_src (id text);
INSERT INTO mallory.feed_src VALUES ('usr_ght4k2jxm7pqbv01');
CREATE FOREIGN TABLE mallory.feed_remote () INHERITS (mallory.feed)
  SERVER loopback OPTIONS (schema_name 'mallory', table_name 'feed_src');
-- A partitioned table whose foreign partition is two levels down; the remote side is a view that
-- calls mallory's function, run by whichever remote role the reader's mapping names.
CREATE TABLE mallory.events (k int, id text) PARTITION BY LIST (k);
CREATE TABLE mallory.events_old PARTITION OF mallory.events FOR VALUES IN (2025);
INSERT INTO mallory.events VALUES (2025, 'u-dev-002');
CREATE TABLE mallory.events_new PARTITION OF mallory.events FOR VALUES IN (2026) PARTITION BY LIST (k);
CREATE VIEW mallory.events_src AS SELECT 2026 AS k, mallory.remote_id() AS id;
CREATE FOREIGN TABLE mallory.events_remote PARTITION OF mallory.events_new FOR VALUES IN (2026)
  SERVER loopback OPTIONS (schema_name 'mallory', table_name 'events_src');
GRANT SELECT ON mallory.feed, mallory.events TO regress_idconv_reader;
RESET ROLE;

-- A role with SELECT on the parent and no user mapping of its own: its own SELECT cannot reach the
-- remote row, and the audit must not show it either.
SET ROLE regress_idconv_reader;
SELECT * FROM audit_id_column('mallory.feed', 'id');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
-- With a mapping of its own (to a remote superuser, as an ETL role might have), the remote view
-- would run mallory's function as that superuser: refused before anything is read, at any depth.
DO $$ BEGIN
  EXECUTE format('CREATE USER MAPPING FOR regress_idconv_reader SERVER loopback OPTIONS (user %L, password_required %L)',
                 current_user, 'false');
END $$;
SET ROLE regress_idconv_reader;
SELECT * FROM audit_id_column('mallory.events', 'id');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT count(*) AS remote_code_ran FROM mallory.ran;
-- The tables underneath stay auditable.
GRANT SELECT ON mallory.events_old TO regress_idconv_reader;
SET ROLE regress_idconv_reader;
SELECT * FROM audit_id_column('mallory.events_old', 'id');
RESET ROLE;

-- Mallory audits its own parent, through its own mapping.
SET ROLE regress_idconv_mallory;
SELECT * FROM audit_id_column('mallory.feed', 'id');
RESET ROLE;
-- A superuser: the extension reads as mallory, through mallory's mapping; the portable edition
-- reads as the caller, and refuses.
SELECT * FROM audit_id_column('mallory.feed', 'id');

SELECT postgres_fdw_disconnect_all() AS disconnected;
SET client_min_messages = warning;
DROP SCHEMA mallory CASCADE;
DROP EXTENSION postgres_fdw CASCADE;
RESET client_min_messages;
DROP ROLE regress_idconv_mallory, regress_idconv_reader;
