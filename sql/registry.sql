-- The prefix registry: register_prefix, generate_id_for, entity_of, and the per-backend cache.
SELECT register_prefix('user', 'usr', 'Better Auth users') AS registered;
SELECT register_prefix('organization', 'org');
SELECT register_prefix('account', 'idn', 'Better Auth accounts, stored in the identity table');
SELECT entity, prefix, description, created_at <= now() AS stamped FROM id_prefixes ORDER BY entity;

-- Errors: a bad prefix (22023), a taken entity or prefix (23505, naming the holder), NULLs.
SELECT register_prefix('session', 'Ses');
\echo :LAST_ERROR_SQLSTATE
SELECT register_prefix('session', 'ses_');
\echo :LAST_ERROR_SQLSTATE
SELECT register_prefix('user', 'use');
\echo :LAST_ERROR_SQLSTATE
SELECT register_prefix('member', 'usr');
\echo :LAST_ERROR_SQLSTATE
SELECT register_prefix('', 'emp');
\echo :LAST_ERROR_SQLSTATE
-- An entity is a name of at most 63 bytes; a longer one is refused before it reaches the index.
SELECT register_prefix(repeat('e', 64), 'lng');
\echo :LAST_ERROR_SQLSTATE
SELECT register_prefix(repeat('e', 100000), 'lng');
\echo :LAST_ERROR_SQLSTATE
SELECT register_prefix(NULL, 'nul');
\echo :LAST_ERROR_SQLSTATE
SELECT register_prefix('nothing', NULL);
\echo :LAST_ERROR_SQLSTATE
-- The table checks its prefixes too, for rows written with plain SQL.
INSERT INTO id_prefixes (entity, prefix, created_at) VALUES ('upload', 'UPL', '2026-01-01 00:00:00+00');
\echo :LAST_ERROR_SQLSTATE

-- generate_id_for: the entity's prefix and a 16-char body.
SELECT count(*) AS ids, count(DISTINCT id) AS distinct_ids, bool_and(is_prefixed_id(id, 'usr')) AS all_usr
FROM (SELECT generate_id_for('user') AS id FROM generate_series(1, 10000)) s;
SELECT generate_id_for('nobody');
\echo :LAST_ERROR_SQLSTATE
SELECT generate_id_for(NULL) IS NULL AS strict;
-- As a column default.
-- entity_of alone is NULL for what is not a prefixed id, and a CHECK lets NULL through, so the
-- check pairs it with is_prefixed_id.
CREATE TABLE accounts (
  id text PRIMARY KEY DEFAULT generate_id_for('account')
     CHECK (is_prefixed_id(id) AND entity_of(id) = 'account'),
  provider text NOT NULL
);
INSERT INTO accounts (provider) VALUES ('github'), ('google');
SELECT count(*) AS accounts, bool_and(id ~ '^idn_[a-z][0-9a-z]{15}$') AS all_idn FROM accounts;
INSERT INTO accounts (id, provider) VALUES ('usr_ght4k2jxm7pqbv01', 'spoofed');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO accounts (id, provider) VALUES ('u-dev-001', 'hardcoded');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO accounts (id, provider) VALUES ('idn_ab', 'short body');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE accounts;

-- entity_of: the entity a prefixed id's prefix is registered to, else NULL.
SELECT left(id, 24) AS id, entity_of(id) AS entity
FROM (VALUES ('usr_ght4k2jxm7pqbv01'), ('org_ght4k2jxm7pqbv01'), ('idn_ab'), ('zzz_ght4k2jxm7pqbv01'),
             ('u-dev-001'), ('usr_'), (''), (repeat('x', 100000))) v(id);

-- Changes through plain SQL reach this backend's cache at once ...
UPDATE id_prefixes SET prefix = 'user' WHERE entity = 'user';
SELECT generate_id_for('user') ~ '^user_[a-z][0-9a-z]{15}$' AS renamed, entity_of('usr_ght4k2jxm7pqbv01') AS old_prefix;
DELETE FROM id_prefixes WHERE entity = 'organization';
SELECT generate_id_for('organization');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO id_prefixes (entity, prefix) VALUES ('organization', 'org');
SELECT generate_id_for('organization') ~ '^org_' AS back;
-- ... and a rolled-back change leaves no trace in it.
BEGIN;
UPDATE id_prefixes SET prefix = 'tmp' WHERE entity = 'organization';
SELECT generate_id_for('organization') ~ '^tmp_' AS inside_the_transaction;
ROLLBACK;
SELECT generate_id_for('organization') ~ '^org_' AS after_rollback;

-- Another session's cache follows committed changes (a second backend through dblink).
CREATE EXTENSION dblink;
SELECT dblink_connect('peer', format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
                                     split_part(current_setting('unix_socket_directories'), ',', 1))) AS connected;
SELECT * FROM dblink('peer', 'SELECT generate_id_for(''organization'') ~ ''^org_''') AS t(peer_caches_org boolean);
SELECT * FROM dblink('peer', 'SELECT pg_backend_pid() <> ' || pg_backend_pid()) AS t(other_backend boolean);
BEGIN;
UPDATE id_prefixes SET prefix = 'orga' WHERE entity = 'organization';
-- Not committed yet: the peer still sees org.
SELECT * FROM dblink('peer', 'SELECT generate_id_for(''organization'') ~ ''^org_''') AS t(peer_sees_org boolean);
COMMIT;
SELECT * FROM dblink('peer', 'SELECT generate_id_for(''organization'') ~ ''^orga_''') AS t(peer_sees_orga boolean);
-- TRUNCATE too: the peer no longer knows the entity.
TRUNCATE id_prefixes;
SELECT dblink_exec('peer', 'SELECT generate_id_for(''organization'')');
SELECT dblink_disconnect('peer');
DROP EXTENSION dblink;

-- The registry is found through the extension's schema, not search_path: a decoy table with the
-- same name earlier on the path changes nothing, and neither does moving the extension.
SELECT register_prefix('invoice', 'inv');
CREATE SCHEMA decoy;
CREATE TABLE decoy.id_prefixes (entity text, prefix text);
INSERT INTO decoy.id_prefixes VALUES ('invoice', 'evil');
SET search_path = decoy, public;
SELECT public.generate_id_for('invoice') ~ '^inv_' AS not_fooled;
RESET search_path;
DROP SCHEMA decoy CASCADE;
CREATE SCHEMA ids;
ALTER EXTENSION idconv SET SCHEMA ids;
SELECT ids.generate_id_for('invoice') ~ '^inv_' AS after_move, ids.entity_of('inv_ght4k2jxm7pqbv01') AS entity;
SELECT ids.register_prefix('receipt', 'rcp');
SELECT ids.generate_id_for('receipt') ~ '^rcp_' AS registered_after_move;
ALTER EXTENSION idconv SET SCHEMA public;
DROP SCHEMA ids;

-- Everyone may read the registry; writing takes a grant.
CREATE ROLE regress_idconv_reader;
SET ROLE regress_idconv_reader;
SELECT generate_id_for('invoice') ~ '^inv_' AS reader_generates, entity_of('rcp_ght4k2jxm7pqbv01') AS reader_reads;
SELECT register_prefix('hacked', 'hck');
\echo :LAST_ERROR_SQLSTATE
UPDATE id_prefixes SET prefix = 'hck' WHERE entity = 'invoice';
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
-- With a grant, the same role registers prefixes.
GRANT INSERT ON id_prefixes TO regress_idconv_reader;
SET ROLE regress_idconv_reader;
SELECT register_prefix('webhook', 'whk') AS granted;
RESET ROLE;
REVOKE INSERT ON id_prefixes FROM regress_idconv_reader;
DROP ROLE regress_idconv_reader;

-- No query per call: while another transaction holds an exclusive lock on the table, a session
-- whose cache is warm goes on generating ids (a query would wait, and time out).
CREATE EXTENSION dblink;
SELECT dblink_connect('peer', format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
                                     split_part(current_setting('unix_socket_directories'), ',', 1))) AS connected;
SELECT * FROM dblink('peer', 'SELECT generate_id_for(''invoice'') ~ ''^inv_''') AS t(warm boolean);
BEGIN;
LOCK TABLE id_prefixes IN ACCESS EXCLUSIVE MODE;
SELECT * FROM dblink('peer', 'SET lock_timeout = ''200ms''; '
                             'SELECT count(DISTINCT generate_id_for(''invoice'')) FROM generate_series(1, 1000)')
  AS t(ids_while_locked bigint);
COMMIT;
-- A session that loads its copy under an older snapshot must still see a change committed before
-- the load: here the peer is in a REPEATABLE READ transaction that began before the change.
SELECT dblink_connect('late', format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
                                     split_part(current_setting('unix_socket_directories'), ',', 1))) AS connected;
SELECT dblink_exec('late', 'BEGIN ISOLATION LEVEL REPEATABLE READ');
SELECT * FROM dblink('late', 'SELECT 1') AS t(started int);
SELECT register_prefix('ledger', 'ldg');
SELECT * FROM dblink('late', 'SELECT generate_id_for(''invoice'') ~ ''^inv_''') AS t(loaded boolean);
SELECT dblink_exec('late', 'COMMIT');
SELECT * FROM dblink('late', 'SELECT generate_id_for(''ledger'') ~ ''^ldg_''') AS t(sees_ledger boolean);
-- Writes in replica mode (a logical replication subscriber, loads with triggers off) reach it too.
SET session_replication_role = replica;
INSERT INTO id_prefixes (entity, prefix) VALUES ('replicated', 'rpl');
RESET session_replication_role;
SELECT * FROM dblink('late', 'SELECT generate_id_for(''replicated'') ~ ''^rpl_''') AS t(sees_replicated boolean);
SELECT dblink_disconnect('late');
BEGIN;
LOCK TABLE id_prefixes IN ACCESS EXCLUSIVE MODE;
-- The control: a new session, whose cache is cold, has to read the table and times out waiting.
SELECT dblink_connect('cold', format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
                                     split_part(current_setting('unix_socket_directories'), ',', 1))) AS connected;
-- No CONTEXT lines: PostgreSQL 19 adds the lock being waited for, with its OIDs.
\set SHOW_CONTEXT never
SELECT * FROM dblink('cold', 'SET lock_timeout = ''200ms''; SELECT generate_id_for(''invoice'')') AS t(id text);
\set SHOW_CONTEXT errors
COMMIT;
SELECT dblink_disconnect('peer'), dblink_disconnect('cold');
DROP EXTENSION dblink;

-- pg_dump keeps the rows: the table is registered as extension configuration.
SELECT e.extconfig::regclass[] AS configuration FROM pg_extension e WHERE e.extname = 'idconv';

-- Parallel workers read the registry too.
CREATE TABLE many AS SELECT g FROM generate_series(1, 30000) g;
ANALYZE many;
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT count(*) FROM many WHERE generate_id_for('invoice') ~ '^inv_';
SELECT count(*) AS parallel_ids FROM many WHERE generate_id_for('invoice') ~ '^inv_';
COMMIT;
DROP TABLE many;

TRUNCATE id_prefixes;
