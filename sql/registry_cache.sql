-- The registry copy inside open transactions: a statement that starts after another session's
-- change committed sees it, prepared statements and REPEATABLE READ included; a reload that fails
-- leaves nothing trusted. The other session is a second backend through dblink.
CREATE EXTENSION dblink;
SELECT dblink_connect('peer', format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
                                     split_part(current_setting('unix_socket_directories'), ',', 1))) AS connected;
SELECT register_prefix('order', 'ord'), register_prefix('user', 'usr');
CREATE TABLE orders (id text PRIMARY KEY DEFAULT generate_id_for('order'), n int NOT NULL);

-- The statements an ORM or a pool runs: prepared once, executed again and again in one
-- transaction, holding every lock they need after the first run.
BEGIN;
PREPARE ins(int) AS INSERT INTO orders (n) VALUES ($1) RETURNING n, split_part(id, '_', 1) AS prefix;
PREPARE gen AS SELECT split_part(generate_id_for('user'), '_', 1) AS user_prefix;
PREPARE ent AS SELECT entity_of('usr_ght4k2jxm7pqbv01') AS of_usr, entity_of('odr_ght4k2jxm7pqbv01') AS of_odr;
EXECUTE ins(1);
EXECUTE gen;
EXECUTE ent;
SELECT dblink_exec('peer', $$UPDATE id_prefixes SET prefix = 'odr' WHERE entity = 'order'$$);
EXECUTE ins(2);
EXECUTE ent;
SELECT dblink_exec('peer', $$DELETE FROM id_prefixes WHERE entity = 'user'$$);
EXECUTE ent;
SAVEPOINT before_gen;
EXECUTE gen;
ROLLBACK TO SAVEPOINT before_gen;
-- A change the peer rolls back changes nothing.
SELECT dblink_exec('peer', 'BEGIN'),
       dblink_exec('peer', $$UPDATE id_prefixes SET prefix = 'bad' WHERE entity = 'order'$$),
       dblink_exec('peer', 'ROLLBACK');
EXECUTE ins(3);
SELECT dblink_exec('peer', $$INSERT INTO id_prefixes (entity, prefix) VALUES ('user', 'usr')$$);
EXECUTE gen;
EXECUTE ent;
COMMIT;

-- REPEATABLE READ: the rows of the transaction's snapshot are unchanged, the copy is not.
BEGIN ISOLATION LEVEL REPEATABLE READ;
EXECUTE ins(4);
SELECT dblink_exec('peer', $$UPDATE id_prefixes SET prefix = 'ordr' WHERE entity = 'order'$$);
EXECUTE ins(5);
SELECT prefix AS prefix_in_snapshot FROM id_prefixes WHERE entity = 'order';
COMMIT;

-- A PL/pgSQL loop inside one statement: from the first call after the commit on.
CREATE FUNCTION prefixes_until_changed() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    seen text[] := '{}';
    p text;
BEGIN
    FOR i IN 1..3 LOOP
        p := split_part(generate_id_for('order'), '_', 1);
        IF NOT p = ANY (seen) THEN seen := seen || p; END IF;
        IF i = 1 THEN
            PERFORM dblink_exec('peer', $q$UPDATE id_prefixes SET prefix = 'ord' WHERE entity = 'order'$q$);
        END IF;
    END LOOP;
    RETURN array_to_string(seen, ' then ');
END;
$$;
SELECT prefixes_until_changed();
DROP FUNCTION prefixes_until_changed();
SELECT n, split_part(id, '_', 1) AS prefix FROM orders ORDER BY n;

-- A reload that fails leaves nothing trusted. After the peer's change, the peer holds the table
-- locked, so the reload times out waiting for it; once the lock is gone the next call loads
-- again, and finds every row.
SELECT dblink_exec('peer', $$UPDATE id_prefixes SET prefix = 'odr' WHERE entity = 'order'$$);
SELECT dblink_exec('peer', 'BEGIN'), dblink_exec('peer', 'LOCK TABLE id_prefixes IN ACCESS EXCLUSIVE MODE');
-- No CONTEXT lines: PostgreSQL 19 adds the lock being waited for, with its OIDs.
\set SHOW_CONTEXT never
SET lock_timeout = '100ms';
SELECT entity_of('usr_ght4k2jxm7pqbv01');
\set SHOW_CONTEXT errors
RESET lock_timeout;
SELECT dblink_exec('peer', 'ROLLBACK');
SELECT entity_of('usr_ght4k2jxm7pqbv01') AS of_usr, split_part(generate_id_for('order'), '_', 1) AS order_prefix;

-- A copy loaded in parallel mode (a leader running a parallel plan with no worker to help) is as
-- current as any: the next transaction, serial, trusts it, and follows the next change.
CREATE TABLE few AS SELECT g FROM generate_series(1, 1000) g;
ANALYZE few;
SELECT dblink_exec('peer', $$UPDATE id_prefixes SET prefix = 'ord' WHERE entity = 'order'$$);
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL max_parallel_workers = 0;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF)
SELECT count(*) FROM few WHERE entity_of('usr_ght4k2jxm7pqbv01') = 'user' AND generate_id_for('order') LIKE 'ord\_%';
SELECT count(*) AS in_parallel_mode
FROM few WHERE entity_of('usr_ght4k2jxm7pqbv01') = 'user' AND generate_id_for('order') LIKE 'ord\_%';
COMMIT;
SELECT entity_of('usr_ght4k2jxm7pqbv01') AS of_usr, split_part(generate_id_for('order'), '_', 1) AS order_prefix;
SELECT dblink_exec('peer', $$UPDATE id_prefixes SET prefix = 'odr' WHERE entity = 'order'$$);
SELECT split_part(generate_id_for('order'), '_', 1) AS order_prefix;
DROP TABLE few;

DEALLOCATE ALL;
SELECT dblink_disconnect('peer');
DROP EXTENSION dblink;
DROP TABLE orders;
TRUNCATE id_prefixes;
