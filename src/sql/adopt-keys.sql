-- idconv adoption procedures, key side (issue 23 items 1-2): rekey, resolve_key, key_aliases,
-- plus the shared id_adopt_runs / id_quarantine tables of tools/ADOPT.md.
--
-- Written once for both editions: only SQL and PL/pgSQL, every idconv object qualified as
-- @schema@.name (the loader, test/adopt/load-keys, replaces it with the schema idconv lives in).
--
-- rekey cannot pin search_path with a SET clause: a procedure that has one cannot COMMIT. It sets
-- search_path (and lock_timeout) with set_config(..., true) at the start of every transaction it
-- opens instead, and names every object in full in the statements it builds.
--
-- Design (docs/adopting-keys.md has the long form):
--   1. one transaction: INSERT a copy of the row under the new key (other UNIQUE columns parked as
--      NULL so the copy does not collide with the old row) and the run row in id_adopt_runs;
--   2. batches, each its own transaction under SET LOCAL lock_timeout, retried with jitter on
--      55P03/40P01: UPDATE referencing rows old -> new (FOR UPDATE SKIP LOCKED, so a row the
--      application holds is taken later instead of waited for). A table whose rows are referenced
--      by composite FKs that contain the key moves in one statement with the rows that reference
--      them (data-modifying CTEs: every RI check runs at the end of the statement, when both
--      sides carry the new key), so no FK of any ON UPDATE action ever sees a dangling reference;
--   3. one short transaction: the old row FOR UPDATE (which conflicts with the FOR KEY SHARE that
--      every FK check of a new reference takes, so no new reference to the old key can commit),
--      the last references, the old row's current values copied onto the new row, the old row
--      deleted, old -> new recorded in key_aliases, the run marked done.
-- Every step is idempotent (the batches select by the old key), so a second CALL with the same
-- arguments after a cancel, an error, kill -9 or a crash resumes where the last commit left off.

CREATE TABLE IF NOT EXISTS @schema@.id_adopt_runs (
    run_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    procedure   text NOT NULL,
    arguments   jsonb NOT NULL,
    state       text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
    phase       text,
    progress    jsonb NOT NULL DEFAULT '{}',
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    UNIQUE (procedure, arguments)
);

CREATE TABLE IF NOT EXISTS @schema@.id_quarantine (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    relation    regclass NOT NULL,
    row_key     text NOT NULL,
    column_name name NOT NULL,
    value       text,
    reason      text NOT NULL,
    run_id      bigint REFERENCES @schema@.id_adopt_runs,
    quarantined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (relation, row_key, column_name)
);

-- relation is regclass, not oid: a dump restores it by name (an oid would point elsewhere), and
-- pg_upgrade keeps table oids, so it accepts regclass columns.
CREATE TABLE IF NOT EXISTS @schema@.key_aliases (
    relation    regclass NOT NULL,
    old_key     text NOT NULL,
    new_key     text NOT NULL,
    run_id      bigint REFERENCES @schema@.id_adopt_runs,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (relation, old_key)
);

-- One primary-key probe; a SQL function without SET clause so the planner inlines it into the
-- caller's query. Aliases are kept flattened (a -> b then b -> c stores a -> c), so one lookup.
CREATE OR REPLACE FUNCTION @schema@.resolve_key(tbl regclass, key text)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT coalesce(
       (SELECT a.new_key FROM @schema@.key_aliases a
         WHERE a.relation OPERATOR(pg_catalog.=) $1 AND a.old_key OPERATOR(pg_catalog.=) $2),
       $2) $$;

-- 25001 before any change. In autocommit a statement's transaction starts with it, so
-- transaction_timestamp() equals statement_timestamp(); after BEGIN (even with CALL as the first
-- statement: BEGIN started the transaction) they differ. test/adopt/rekey checks psql, a CALL
-- right after BEGIN and pgbench -M extended.
CREATE OR REPLACE FUNCTION @schema@._adopt_refuse_transaction_block(procname text)
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS
$$
BEGIN
    IF transaction_timestamp() <> statement_timestamp() THEN
        RAISE EXCEPTION '% cannot run inside a transaction block', procname
            USING ERRCODE = 'active_sql_transaction',
                  HINT = 'CALL it on its own (autocommit): it commits batch by batch.';
    END IF;
END
$$;

-- The key column: key_column, or the single-column primary key. 42703 / 42P10.
CREATE OR REPLACE FUNCTION @schema@._rekey_key_column(tbl regclass, key_column name)
RETURNS smallint LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS
$$
DECLARE
    att smallint;
BEGIN
    IF key_column IS NULL THEN
        SELECT c.conkey[1] INTO att FROM pg_constraint c
         WHERE c.conrelid = tbl AND c.contype = 'p' AND cardinality(c.conkey) = 1;
        IF att IS NULL THEN
            RAISE EXCEPTION 'table % has no single-column primary key', tbl
                USING ERRCODE = 'invalid_column_reference',
                      HINT = 'Name the key with key_column => ''col'': a column with a single-column primary key or unique constraint.';
        END IF;
        RETURN att;
    END IF;
    SELECT a.attnum INTO att FROM pg_attribute a
     WHERE a.attrelid = tbl AND a.attname = key_column AND a.attnum > 0 AND NOT a.attisdropped;
    IF att IS NULL THEN
        RAISE EXCEPTION 'column "%" of relation % does not exist', key_column, tbl
            USING ERRCODE = 'undefined_column';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_index i
                    WHERE i.indrelid = tbl AND i.indisunique AND i.indisvalid AND i.indnkeyatts = 1
                      AND i.indkey[0] = att AND i.indpred IS NULL AND i.indexprs IS NULL) THEN
        RAISE EXCEPTION 'column "%" of relation % is not a single-column primary or unique key', key_column, tbl
            USING ERRCODE = 'invalid_column_reference',
                  HINT = 'rekey moves the value of a single-column PRIMARY KEY or UNIQUE column and its references.';
    END IF;
    RETURN att;
END
$$;

-- The moves, in the order they run: one per (table, column) that holds the key, directly (an FK
-- whose referenced columns contain the key) or through a chain of composite FKs. Each carries the
-- UPDATE that moves one batch (or everything: lim NULL) together with the rows that reference the
-- moving rows through FKs containing the column (recursively). Refuses (0A000) what one statement
-- cannot move: a cycle of such FKs, or a table referencing itself through one.
CREATE OR REPLACE FUNCTION @schema@._rekey_plan(tbl regclass, keyatt smallint)
RETURNS TABLE (label text, rel regclass, att smallint, depth int, sql_batch text, sql_all text, sql_left text)
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS
$$
DECLARE
    n record;
    cyc record;
BEGIN
    -- every (fk, referencing table, column) that carries the key, with its depth in the chain
    CREATE TEMP TABLE IF NOT EXISTS _rekey_edges (con oid, parent_rel oid, parent_att smallint, rel oid, att smallint, depth int) ON COMMIT DROP;
    TRUNCATE _rekey_edges;
    WITH RECURSIVE e AS (
        SELECT c.oid AS con, c.confrelid AS parent_rel, c.confkey[i] AS parent_att, c.conrelid AS rel,
               c.conkey[i] AS att, 0 AS depth, ARRAY[c.oid] AS path, false AS cycle
          FROM pg_constraint c, generate_subscripts(c.confkey, 1) i
         WHERE c.contype = 'f' AND c.conparentid = 0 AND c.confrelid = tbl AND c.confkey[i] = keyatt
        UNION ALL
        SELECT d.oid, d.confrelid, d.confkey[i], d.conrelid, d.conkey[i], e.depth + 1, e.path || d.oid,
               d.oid = ANY (e.path) OR d.conrelid = e.rel
          FROM e JOIN pg_constraint d ON d.contype = 'f' AND d.conparentid = 0 AND d.confrelid = e.rel
               CROSS JOIN LATERAL generate_subscripts(d.confkey, 1) i
         WHERE d.confkey[i] = e.att AND NOT e.cycle
    )
    INSERT INTO _rekey_edges SELECT e.con, e.parent_rel, e.parent_att, e.rel, e.att, e.depth FROM e
     WHERE NOT e.cycle
       AND NOT (e.depth = 0 AND e.rel = tbl::oid AND e.att = keyatt);
    SELECT c.conname, c.conrelid::regclass AS r INTO cyc FROM pg_constraint c
     WHERE c.oid IN (
        WITH RECURSIVE e AS (
            SELECT c2.conrelid AS rel, c2.conkey[i] AS att, ARRAY[c2.oid] AS path, false AS cycle, c2.oid AS con
              FROM pg_constraint c2, generate_subscripts(c2.confkey, 1) i
             WHERE c2.contype = 'f' AND c2.conparentid = 0 AND c2.confrelid = tbl AND c2.confkey[i] = keyatt
            UNION ALL
            SELECT d.conrelid, d.conkey[i], e.path || d.oid, d.oid = ANY (e.path) OR d.conrelid = e.rel, d.oid
              FROM e JOIN pg_constraint d ON d.contype = 'f' AND d.conparentid = 0 AND d.confrelid = e.rel
                   CROSS JOIN LATERAL generate_subscripts(d.confkey, 1) i
             WHERE d.confkey[i] = e.att AND NOT e.cycle)
        SELECT e.con FROM e WHERE e.cycle)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'rekey cannot move %''s key online: foreign key % on % closes a cycle of foreign keys that contain it', tbl, cyc.conname, cyc.r
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'A table that references itself through a composite foreign key containing the key (or a cycle of them) cannot be moved in batches; move it in one transaction (ON UPDATE CASCADE) in a maintenance window.';
    END IF;
    FOR n IN
        SELECT e.rel, e.att, max(e.depth) AS depth FROM _rekey_edges e
         GROUP BY e.rel, e.att ORDER BY max(e.depth), e.rel::regclass::text, e.att
    LOOP
        label := format('%s.%s', n.rel::regclass, (SELECT attname FROM pg_attribute WHERE attrelid = n.rel AND attnum = n.att));
        rel := n.rel; att := n.att; depth := n.depth;
        sql_batch := @schema@._rekey_stmt(n.rel, n.att, true);
        sql_all := @schema@._rekey_stmt(n.rel, n.att, false);
        sql_left := format('SELECT count(*) FROM %s WHERE %I = $1::%s', n.rel::regclass,
                           (SELECT attname FROM pg_attribute WHERE attrelid = n.rel AND attnum = n.att),
                           (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = n.rel AND attnum = n.att));
        RETURN NEXT;
    END LOOP;
END
$$;

-- The statement for one move: $1 old key, $2 new key, $3 batch size. Returns bigint[]: rows moved
-- per table in the order of the labels it also returns (text[]).
CREATE OR REPLACE FUNCTION @schema@._rekey_stmt(root oid, root_att smallint, batched boolean)
RETURNS text LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS
$$
DECLARE
    ctes text[] := '{}';
    counts text[] := '{}';
    labels text[] := '{}';
    q record;
    d record;
    k int := 0;
    colname text;
    coltype text;
    ret text;
    others_child text;
    others_parent text;
    guard text := '';
    -- queue of (alias, rel, att); BFS over the FKs containing the column
    qa text[] := ARRAY['u0'];
    qr oid[] := ARRAY[root];
    qt smallint[] := ARRAY[root_att];
    qcond text[] := ARRAY[NULL::text];
    i int := 1;
BEGIN
    WHILE i <= cardinality(qa) LOOP
        SELECT attname, format_type(atttypid, atttypmod) INTO colname, coltype
          FROM pg_attribute WHERE attrelid = qr[i] AND attnum = qt[i];
        -- the columns the children's FKs need from this table's moved rows
        SELECT string_agg(DISTINCT format('%I', a.attname), ', ') INTO ret
          FROM pg_constraint c, generate_subscripts(c.confkey, 1) j, pg_attribute a
         WHERE c.contype = 'f' AND c.conparentid = 0 AND c.confrelid = qr[i] AND qt[i] = ANY (c.confkey)
           AND c.conrelid <> qr[i] AND c.confkey[j] <> qt[i] AND a.attrelid = qr[i] AND a.attnum = c.confkey[j];
        IF i = 1 THEN
            -- rows whose composite FK (containing the column) points at a parent still under the
            -- old key move with that parent, not on their own
            SELECT string_agg(format(' AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.%I = $1::%s%s)',
                                     c.confrelid::regclass,
                                     (SELECT attname FROM pg_attribute WHERE attrelid = c.confrelid AND attnum = c.confkey[array_position(c.conkey, qt[1])]),
                                     (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = c.confrelid AND attnum = c.confkey[array_position(c.conkey, qt[1])]),
                                     (SELECT string_agg(format(' AND p.%I = t.%I',
                                                (SELECT attname FROM pg_attribute WHERE attrelid = c.confrelid AND attnum = c.confkey[j]),
                                                (SELECT attname FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = c.conkey[j])), '')
                                        FROM generate_subscripts(c.conkey, 1) j WHERE c.conkey[j] <> qt[1])), '')
              INTO guard
              FROM pg_constraint c
             WHERE c.contype = 'f' AND c.conparentid = 0 AND c.conrelid = root AND root_att = ANY (c.conkey)
               AND cardinality(c.conkey) > 1
               AND EXISTS (SELECT 1 FROM _rekey_edges e WHERE e.con = c.oid);
            ctes := ctes || format(
                '%s AS (UPDATE %s t SET %I = $2::%s WHERE %s RETURNING 1%s)',
                qa[i], qr[i]::regclass, colname, coltype,
                CASE WHEN batched
                     THEN format('t.ctid = ANY (ARRAY(SELECT t.ctid FROM %s t WHERE t.%I = $1::%s%s LIMIT $3 FOR UPDATE OF t SKIP LOCKED))',
                                 qr[i]::regclass, colname, coltype, coalesce(guard, ''))
                     ELSE format('t.%I = $1::%s%s', colname, coltype, coalesce(guard, '')) END,
                coalesce(', ' || ret, ''));
        ELSE
            ctes := ctes || format('%s AS (UPDATE %s t SET %I = $2::%s WHERE t.%I = $1::%s AND %s RETURNING 1%s)',
                                   qa[i], qr[i]::regclass, colname, coltype, colname, coltype, qcond[i],
                                   coalesce(', ' || ret, ''));
        END IF;
        counts := counts || format('(SELECT count(*) FROM %s)', qa[i]);
        labels := labels || format('%s.%s', qr[i]::regclass, colname);
        FOR d IN
            SELECT c.oid, c.conrelid, c.conkey, c.confkey, c.conkey[array_position(c.confkey, qt[i])] AS catt
              FROM pg_constraint c
             WHERE c.contype = 'f' AND c.conparentid = 0 AND c.confrelid = qr[i] AND qt[i] = ANY (c.confkey)
               AND c.conrelid <> qr[i]
             ORDER BY c.oid
        LOOP
            k := k + 1;
            SELECT string_agg(format('t.%I', (SELECT attname FROM pg_attribute WHERE attrelid = d.conrelid AND attnum = d.conkey[j])), ', ' ORDER BY j),
                   string_agg(format('%I', (SELECT attname FROM pg_attribute WHERE attrelid = qr[i] AND attnum = d.confkey[j])), ', ' ORDER BY j)
              INTO others_child, others_parent
              FROM generate_subscripts(d.confkey, 1) j WHERE d.confkey[j] <> qt[i];
            qa := qa || ('u' || k);
            qr := qr || d.conrelid;
            qt := qt || d.catt::smallint;
            qcond := qcond || CASE WHEN others_child IS NULL THEN format('EXISTS (SELECT 1 FROM %s)', qa[i])
                                   ELSE format('(%s) IN (SELECT %s FROM %s)', others_child, others_parent, qa[i]) END;
        END LOOP;
        i := i + 1;
    END LOOP;
    RETURN format('WITH %s SELECT ARRAY[%s]::bigint[], %L::text[]',
                  array_to_string(ctes, ', '), array_to_string(counts, ', '), labels);
END
$$;

-- What the copy needs and what rekey refuses about the table itself. Returns the columns parked
-- as NULL in the copy (other UNIQUE constraints/indexes), refuses 0A000 what it cannot park.
CREATE OR REPLACE FUNCTION @schema@._rekey_parked(tbl regclass, keyatt smallint)
RETURNS smallint[] LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS
$$
DECLARE
    ix record;
    parked smallint[] := '{}';
    nullable smallint[];
    bad text;
BEGIN
    SELECT conname INTO bad FROM pg_constraint WHERE conrelid = tbl AND contype = 'x' LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'rekey cannot copy a row of % under a new key: exclusion constraint % would refuse the copy', tbl, bad
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'Move this key in one transaction in a maintenance window.';
    END IF;
    FOR ix IN
        SELECT i.indexrelid::regclass AS name, i.indkey::int2[] AS cols, i.indexprs IS NOT NULL AS expr,
               coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nnd
          FROM pg_index i
         WHERE i.indrelid = tbl AND i.indisunique AND NOT (keyatt = ANY (i.indkey::int2[]))
    LOOP
        SELECT array_agg(a.attnum) INTO nullable FROM pg_attribute a
         WHERE a.attrelid = tbl AND a.attnum = ANY (ix.cols) AND NOT a.attnotnull;
        IF ix.expr OR ix.nnd OR nullable IS NULL THEN
            RAISE EXCEPTION 'rekey cannot copy a row of % under a new key: unique index % has no nullable column to leave empty in the copy', tbl, ix.name
                USING ERRCODE = 'feature_not_supported',
                      DETAIL = 'While references move, the old row and its copy under the new key both exist; every other unique value of the copy is left NULL until the old row is deleted.',
                      HINT = 'Make one of its columns nullable (ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL) for the move, or move this key in one transaction.';
        END IF;
        parked := parked || nullable;
    END LOOP;
    SELECT c.conname INTO bad FROM pg_constraint c
     WHERE c.contype = 'f' AND c.confrelid = tbl AND c.confkey && parked AND NOT (keyatt = ANY (c.confkey)) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'rekey cannot move a row of %: foreign key % references another of its unique columns', tbl, bad
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'rekey moves references to the key column only.';
    END IF;
    RETURN parked;
END
$$;

-- The column list of the copy and of the final refresh.
CREATE OR REPLACE FUNCTION @schema@._rekey_columns(tbl regclass, keyatt smallint, parked smallint[],
                                                    OUT ins_cols text, OUT ins_vals text, OUT upd_cols text[], OUT keyname text, OUT keytype text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS
$$
SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum),
       string_agg(CASE WHEN a.attnum = keyatt THEN format('$2::%s', format_type(a.atttypid, a.atttypmod))
                       WHEN a.attnum = ANY (parked) THEN 'NULL'
                       ELSE format('%I', a.attname) END, ', ' ORDER BY a.attnum),
       coalesce(array_agg(format('%I', a.attname) ORDER BY a.attnum) FILTER (WHERE a.attnum <> keyatt AND a.attidentity <> 'a'), '{}'),
       (SELECT format('%I', attname) FROM pg_attribute WHERE attrelid = tbl AND attnum = keyatt),
       (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = tbl AND attnum = keyatt)
  FROM pg_attribute a
 WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
$$;

-- The settings of every transaction rekey opens (a procedure with a SET clause could not COMMIT):
-- lock_timeout, a pinned search_path, and the marker triggers can test.
CREATE OR REPLACE FUNCTION @schema@._rekey_settings(lt text, phase text)
RETURNS void LANGUAGE sql AS
$$
SELECT pg_catalog.set_config('lock_timeout', lt, true),
       pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true),
       pg_catalog.set_config('idconv_adopt.rekey', phase, true);
$$;

-- Adds one statement's rows moved per (table, column) to the run's counters.
CREATE OR REPLACE FUNCTION @schema@._rekey_count(moved jsonb, got bigint[], labels text[])
RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS
$$
SELECT moved || coalesce(jsonb_object_agg(l.label, coalesce((moved ->> l.label)::bigint, 0) + l.n), '{}')
  FROM unnest(labels, got) AS l (label, n);
$$;

-- After a lock timeout or deadlock: sleep 50-250 ms at random, or after 40 tries give up with
-- 55P03, marking the run (if any) failed so that a second CALL resumes it.
CREATE OR REPLACE PROCEDURE @schema@._adopt_backoff(rid bigint, INOUT tries int, lt text, what text)
LANGUAGE plpgsql AS
$$
BEGIN
    tries := tries + 1;
    IF tries >= 40 THEN
        IF rid IS NOT NULL THEN
            UPDATE @schema@.id_adopt_runs r SET state = 'failed', updated_at = pg_catalog.clock_timestamp() WHERE r.run_id = rid;
            COMMIT;
        END IF;
        RAISE EXCEPTION 'rekey: gave up after % lock timeouts of % %', tries, lt, what
            USING ERRCODE = 'lock_not_available',
                  HINT = CASE WHEN rid IS NULL THEN 'Nothing changed; CALL again later.'
                              ELSE 'The run is kept: CALL again with the same arguments to resume.' END;
    END IF;
    PERFORM pg_catalog.pg_sleep(0.05 + pg_catalog.random() * 0.2);
END
$$;

CREATE OR REPLACE PROCEDURE @schema@.rekey(tbl regclass, old_key text, new_key text,
                                           lock_timeout interval DEFAULT '500ms',
                                           batch_size int DEFAULT 500,
                                           dry_run boolean DEFAULT false,
                                           key_column name DEFAULT NULL)
LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM @schema@._adopt_refuse_transaction_block('rekey');
    CALL @schema@._rekey_run(tbl, old_key, new_key, lock_timeout, batch_size, dry_run, key_column, NULL);
END
$$;

-- rekey's body, also called by rekey_all (whose later transactions would fail rekey's 25001 test:
-- inside a procedure, a transaction after COMMIT starts later than the CALL statement).
-- parent_run: the rekey_all run this move belongs to (part of the run's arguments).
CREATE OR REPLACE PROCEDURE @schema@._rekey_run(tbl regclass, old_key text, new_key text,
                                                lock_timeout interval, batch_size int,
                                                dry_run boolean, key_column name, parent_run bigint)
LANGUAGE plpgsql AS
$$
DECLARE
    v_old constant text := old_key;
    v_new constant text := new_key;
    lt constant text := (extract(epoch FROM lock_timeout) * 1000)::bigint::text || 'ms';
    keyatt smallint;
    parked smallint[];
    cols record;
    args jsonb;
    run record;
    rid bigint;
    moves record;
    plan jsonb := '[]';
    p jsonb;
    moved jsonb;
    got bigint[];
    got_labels text[];
    round_moved bigint;
    total bigint;
    tries int;
    ok boolean;
    chk record;
    saved jsonb;
    left_over bigint;
    err text;
BEGIN
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    IF v_old IS NULL OR v_new IS NULL OR batch_size IS NULL OR batch_size < 1 OR lock_timeout IS NULL OR lock_timeout <= '0'::interval THEN
        RAISE EXCEPTION 'rekey: old_key, new_key, a positive batch_size and lock_timeout are required'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    keyatt := @schema@._rekey_key_column(tbl, key_column);
    parked := @schema@._rekey_parked(tbl, keyatt);
    cols := @schema@._rekey_columns(tbl, keyatt, parked);
    args := jsonb_build_object('relation', tbl::text, 'relid', tbl::oid, 'key_column', trim(both '"' from cols.keyname),
                               'old_key', v_old, 'new_key', v_new)
            || CASE WHEN parent_run IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('parent_run', parent_run) END;
    SELECT * INTO run FROM @schema@.id_adopt_runs r WHERE r.procedure = 'rekey' AND r.arguments = args;
    IF FOUND AND run.state = 'done' THEN
        RAISE NOTICE 'rekey: % already moved from % to % (run %)', tbl, v_old, v_new, run.run_id;
        RETURN;
    END IF;
    IF v_old = v_new THEN
        RAISE EXCEPTION 'rekey: the new key equals the old key' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR moves IN SELECT * FROM @schema@._rekey_plan(tbl, keyatt) LOOP
        plan := plan || jsonb_build_object('label', moves.label, 'batch', moves.sql_batch, 'all', moves.sql_all, 'left', moves.sql_left);
    END LOOP;

    IF run.run_id IS NULL THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %s = $1::%s)', tbl, cols.keyname, cols.keytype) INTO ok USING v_old;
        IF NOT ok THEN
            RAISE EXCEPTION 'rekey: % has no row with key %', tbl, quote_literal(v_old)
                USING ERRCODE = 'no_data_found';
        END IF;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %s = $1::%s)', tbl, cols.keyname, cols.keytype) INTO ok USING v_new;
        IF ok THEN
            RAISE EXCEPTION 'rekey: % already has a row with key %', tbl, quote_literal(v_new)
                USING ERRCODE = 'unique_violation', HINT = 'Pick a new key that no row uses.';
        END IF;
        IF EXISTS (SELECT 1 FROM @schema@.key_aliases a WHERE a.relation = tbl AND a.old_key = v_new) THEN
            RAISE EXCEPTION 'rekey: % is an old key of % (key_aliases)', quote_literal(v_new), tbl
                USING ERRCODE = 'unique_violation',
                      DETAIL = 'resolve_key() maps it to another row; reusing it would make old references ambiguous.';
        END IF;
        -- the table's CHECKs on the copy as it will be inserted (key replaced, parked columns NULL)
        FOR chk IN SELECT c.conname, pg_get_expr(c.conbin, c.conrelid) AS expr FROM pg_constraint c
                    WHERE c.conrelid = tbl AND c.contype = 'c' LOOP
            EXECUTE format('SELECT (%s) IS NOT FALSE FROM (SELECT %s FROM %s WHERE %s = $1::%s) AS s (%s)',
                           chk.expr, cols.ins_vals, tbl, cols.keyname, cols.keytype, cols.ins_cols)
               INTO ok USING v_old, v_new;
            IF NOT ok THEN
                RAISE EXCEPTION 'rekey: new key % violates check constraint "%" of %', quote_literal(v_new), chk.conname, tbl
                    USING ERRCODE = 'check_violation', DETAIL = format('CHECK (%s)', chk.expr);
            END IF;
        END LOOP;
        -- the type's own rules (domains, uuid syntax...) fail here with their own SQLSTATE
        EXECUTE format('SELECT $1::%s', cols.keytype) USING v_new;
    END IF;

    IF dry_run THEN
        RAISE NOTICE 'rekey (dry run): % key % -> % (column %, parked as NULL in the copy: %)', tbl, v_old, v_new,
            cols.keyname, coalesce((SELECT string_agg(attname, ', ') FROM pg_attribute WHERE attrelid = tbl AND attnum = ANY (parked)), 'none');
        FOR p IN SELECT * FROM jsonb_array_elements(plan) LOOP
            EXECUTE p ->> 'left' INTO left_over USING v_old;
            RAISE NOTICE 'rekey (dry run): would move % rows of %', left_over, p ->> 'label';
        END LOOP;
        RETURN;
    END IF;

    -- step 1: the copy and the run row commit together
    IF run.run_id IS NULL THEN
        tries := 0;
        LOOP
            BEGIN
                PERFORM @schema@._rekey_settings(lt, 'copy');
                INSERT INTO @schema@.id_adopt_runs (procedure, arguments, phase, progress)
                VALUES ('rekey', args, 'moving', jsonb_build_object('moved', '{}'::jsonb))
                RETURNING run_id INTO rid;
                EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM %s WHERE %s = $1::%s',
                               tbl, cols.ins_cols, cols.ins_vals, tbl, cols.keyname, cols.keytype)
                   USING v_old, v_new;
                ok := true;
            EXCEPTION WHEN lock_not_available OR deadlock_detected THEN ok := false;
            END;
            COMMIT;
            EXIT WHEN ok;
            CALL @schema@._adopt_backoff(NULL, tries, lt, 'copying the row');
        END LOOP;
        SELECT * INTO run FROM @schema@.id_adopt_runs r WHERE r.run_id = rid;
    ELSE
        rid := run.run_id;
        UPDATE @schema@.id_adopt_runs r SET state = 'running', updated_at = clock_timestamp() WHERE r.run_id = rid;
        COMMIT;
        SELECT * INTO run FROM @schema@.id_adopt_runs r WHERE r.run_id = rid;
    END IF;
    moved := coalesce(run.progress -> 'moved', '{}');

    -- step 2: batches, until a whole round moves nothing (rows the application held are left to step 3)
    LOOP
        round_moved := 0;
        FOR p IN SELECT * FROM jsonb_array_elements(plan) LOOP
            LOOP
                tries := 0;
                LOOP
                    BEGIN
                        PERFORM @schema@._rekey_settings(lt, 'move');
                        EXECUTE p ->> 'batch' INTO got, got_labels USING v_old, v_new, batch_size;
                        total := 0;
                        moved := @schema@._rekey_count(moved, got, got_labels);
                        total := got[1];
                        UPDATE @schema@.id_adopt_runs r
                           SET progress = jsonb_set(r.progress, '{moved}', moved), updated_at = clock_timestamp()
                         WHERE r.run_id = rid;
                        ok := true;
                    EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
                        ok := false;
                        moved := coalesce((SELECT r.progress -> 'moved' FROM @schema@.id_adopt_runs r WHERE r.run_id = rid), '{}');
                    END;
                    COMMIT;
                    EXIT WHEN ok;
                    CALL @schema@._adopt_backoff(rid, tries, lt, 'moving ' || (p ->> 'label'));
                END LOOP;
                round_moved := round_moved + total;
                EXIT WHEN total < batch_size;
            END LOOP;
        END LOOP;
        EXIT WHEN round_moved = 0;
    END LOOP;

    -- step 3: the short final transaction
    tries := 0;
    LOOP
        BEGIN
            PERFORM @schema@._rekey_settings(lt, 'finish');
            EXECUTE format('SELECT to_jsonb(t) FROM %s t WHERE %s = $1::%s FOR UPDATE', tbl, cols.keyname, cols.keytype)
               INTO saved USING v_old;
            EXECUTE format('SELECT 1 FROM %s t WHERE %s = $1::%s FOR UPDATE', tbl, cols.keyname, cols.keytype) USING v_new;
            IF saved IS NULL THEN
                RAISE EXCEPTION 'rekey: the row % of % disappeared during the move', quote_literal(v_old), tbl
                    USING ERRCODE = 'no_data_found',
                          HINT = 'Something else deleted it; the copy under the new key is kept (delete it to undo).';
            END IF;
            LOOP
                round_moved := 0;
                FOR p IN SELECT * FROM jsonb_array_elements(plan) LOOP
                    EXECUTE p ->> 'all' INTO got, got_labels USING v_old, v_new;
                    moved := @schema@._rekey_count(moved, got, got_labels);
                    round_moved := round_moved + got[1];
                END LOOP;
                EXIT WHEN round_moved = 0;
            END LOOP;
            -- invariant: nothing left under the old key. (Rows under the new key are not bounded by the
            -- count moved: the application rightly writes the new key where it copies it from a
            -- parent row that already moved, e.g. a task under a moved project.)
            FOR p IN SELECT * FROM jsonb_array_elements(plan) LOOP
                EXECUTE p ->> 'left' INTO left_over USING v_old;
                IF left_over <> 0 THEN
                    RAISE EXCEPTION 'rekey: % rows of % still hold the old key %', left_over, p ->> 'label', quote_literal(v_old)
                        USING ERRCODE = 'internal_error', HINT = 'Nothing of the final step was kept; CALL again to resume.';
                END IF;
            END LOOP;
            EXECUTE format('DELETE FROM %s WHERE %s = $1::%s', tbl, cols.keyname, cols.keytype) USING v_old;
            IF cardinality(cols.upd_cols) > 0 THEN
                EXECUTE format('UPDATE %s t SET (%s) = (SELECT %s FROM jsonb_populate_record(NULL::%s, $1) r) WHERE t.%s = $2::%s',
                               tbl, CASE WHEN cardinality(cols.upd_cols) = 1 THEN 'ROW(' || cols.upd_cols[1] || ')' ELSE array_to_string(cols.upd_cols, ', ') END,
                               (SELECT string_agg('r.' || c, ', ') FROM unnest(cols.upd_cols) c), tbl, cols.keyname, cols.keytype)
                   USING saved, v_new;
            END IF;
            UPDATE @schema@.key_aliases a SET new_key = v_new WHERE a.relation = tbl AND a.new_key = v_old;
            INSERT INTO @schema@.key_aliases (relation, old_key, new_key, run_id) VALUES (tbl, v_old, v_new, rid);
            UPDATE @schema@.id_adopt_runs r
               SET state = 'done', phase = 'done', progress = jsonb_set(r.progress, '{moved}', moved),
                   updated_at = clock_timestamp(), finished_at = clock_timestamp()
             WHERE r.run_id = rid;
            ok := true;
        EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
            ok := false;
            moved := coalesce((SELECT r.progress -> 'moved' FROM @schema@.id_adopt_runs r WHERE r.run_id = rid), '{}');
        END;
        COMMIT;
        EXIT WHEN ok;
        CALL @schema@._adopt_backoff(rid, tries, lt, 'in the final step');
    END LOOP;
    RAISE NOTICE 'rekey: % moved from % to % (run %)', tbl, v_old, v_new, rid;
END
$$;

-- New keys for every row (or the rows matching only_where), one rekey after the other, with
-- rekey's guarantees for each. generator and only_where are SQL evaluated with the caller's
-- search_path, e.g. rekey_all('users', 'generate_prefixed_id(''usr'')', 'NOT is_prefixed_id(id, ''usr'')').
-- Progress: the last key done (cursor, in key order) and the move under way, whose new key is
-- committed before its rekey starts, so that a resume finishes that move with the same new key.
CREATE OR REPLACE PROCEDURE @schema@.rekey_all(tbl regclass, generator text, only_where text DEFAULT NULL,
                                               lock_timeout interval DEFAULT '500ms',
                                               batch_size int DEFAULT 500,
                                               dry_run boolean DEFAULT false,
                                               key_column name DEFAULT NULL)
LANGUAGE plpgsql AS
$$
DECLARE
    user_path constant text := pg_catalog.current_setting('search_path');
    keyatt smallint;
    cols record;
    args jsonb;
    run record;
    rid bigint;
    cur jsonb;
    k text;
    nk text;
    n bigint;
    next_sql text;
BEGIN
    PERFORM @schema@._adopt_refuse_transaction_block('rekey_all');
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    IF generator IS NULL THEN
        RAISE EXCEPTION 'rekey_all: generator is required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    keyatt := @schema@._rekey_key_column(tbl, key_column);
    cols := @schema@._rekey_columns(tbl, keyatt, @schema@._rekey_parked(tbl, keyatt));
    args := jsonb_build_object('relation', tbl::text, 'relid', tbl::oid, 'key_column', trim(both '"' from cols.keyname),
                               'generator', generator, 'only_where', only_where);
    -- the next key after the cursor that is not a new key this run made
    next_sql := format('SELECT t.%1$s::text FROM %2$s t WHERE t.%1$s::text COLLATE "C" > $1 COLLATE "C" AND (%3$s)
                          AND NOT EXISTS (SELECT 1 FROM @schema@.key_aliases a JOIN @schema@.id_adopt_runs r ON r.run_id = a.run_id
                                           WHERE a.relation = $3 AND a.new_key = t.%1$s::text AND r.arguments ->> ''parent_run'' = $2::text)
                         ORDER BY t.%1$s::text COLLATE "C" LIMIT 1',
                       cols.keyname, tbl, coalesce(only_where, 'true'));
    -- generator and only_where: the caller's names, and their errors now, before any change
    PERFORM pg_catalog.set_config('search_path', user_path, true);
    EXECUTE format('SELECT count(*) FROM %s t WHERE (%s)', tbl, coalesce(only_where, 'true')) INTO n;
    EXECUTE format('SELECT (%s)::text', generator) INTO nk;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    SELECT * INTO run FROM @schema@.id_adopt_runs r WHERE r.procedure = 'rekey_all' AND r.arguments = args;
    IF FOUND AND run.state = 'done' THEN
        RAISE NOTICE 'rekey_all: % already done (run %)', tbl, run.run_id;
        RETURN;
    END IF;
    IF dry_run THEN
        RAISE NOTICE 'rekey_all (dry run): would give % rows of % new keys, e.g. %', n, tbl, quote_literal(nk);
        RETURN;
    END IF;
    IF run.run_id IS NULL THEN
        INSERT INTO @schema@.id_adopt_runs (procedure, arguments, phase, progress)
        VALUES ('rekey_all', args, 'moving', jsonb_build_object('last', '', 'done', 0))
        RETURNING run_id INTO rid;
        COMMIT;
    ELSE
        rid := run.run_id;
    END IF;
    LOOP
        SELECT r.progress INTO cur FROM @schema@.id_adopt_runs r WHERE r.run_id = rid;
        IF cur -> 'current' IS NOT NULL AND cur -> 'current' <> 'null' THEN
            k := cur -> 'current' ->> 'old';
            nk := cur -> 'current' ->> 'new';
        ELSE
            PERFORM pg_catalog.set_config('search_path', user_path, true);
            EXECUTE next_sql INTO k USING cur ->> 'last', rid, tbl;
            EXIT WHEN k IS NULL;
            EXECUTE format('SELECT (%s)::text', generator) INTO nk;
            PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
            UPDATE @schema@.id_adopt_runs r
               SET progress = jsonb_set(r.progress, '{current}', jsonb_build_object('old', k, 'new', nk)), updated_at = clock_timestamp()
             WHERE r.run_id = rid;
            COMMIT;
        END IF;
        CALL @schema@._rekey_run(tbl, k, nk, lock_timeout, batch_size, false, key_column, rid);
        UPDATE @schema@.id_adopt_runs r
           SET progress = jsonb_set(jsonb_set(jsonb_set(r.progress, '{current}', 'null'), '{last}', to_jsonb(k)),
                                    '{done}', to_jsonb((r.progress ->> 'done')::bigint + 1)),
               updated_at = clock_timestamp()
         WHERE r.run_id = rid;
        COMMIT;
    END LOOP;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    UPDATE @schema@.id_adopt_runs r SET state = 'done', phase = 'done', updated_at = clock_timestamp(), finished_at = clock_timestamp()
     WHERE r.run_id = rid;
    COMMIT;
    RAISE NOTICE 'rekey_all: % rows of % have new keys (run %)', (SELECT r.progress ->> 'done' FROM @schema@.id_adopt_runs r WHERE r.run_id = rid), tbl, rid;
END
$$;
