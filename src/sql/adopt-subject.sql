-- Adoption procedures, subject side (issue 23; shared design in tools ADOPT.md): subject_kind,
-- convert_subject_column, finish_subject_column, and the infrastructure every adoption procedure
-- shares (id_adopt_runs, id_quarantine, the batch / retry / lock_timeout helpers).
--
-- Plain SQL and PL/pgSQL, for both editions: @schema@ is replaced with idconv's schema by the
-- loader (test/adopt/load), after CREATE EXTENSION idconv or after portable/idconv.sql.
--
-- Why the procedures set search_path with set_config(..., true) instead of a SET clause: a
-- procedure with a SET clause may not COMMIT, and these commit batch by batch. The setting is
-- transaction-local, so it is set again at the start of every transaction (_adopt_tx) and is gone
-- when the CALL ends.

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
COMMENT ON TABLE @schema@.id_adopt_runs IS
'One row per adoption run (convert_subject_column, rekey, ...): its arguments, phase and cursor; a second CALL with the same arguments resumes it';

CREATE TABLE IF NOT EXISTS @schema@.id_quarantine (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    relation       regclass NOT NULL,
    row_key        text NOT NULL,
    column_name    name NOT NULL,
    value          text,
    reason         text NOT NULL,
    run_id         bigint REFERENCES @schema@.id_adopt_runs,
    quarantined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (relation, row_key, column_name)
);
COMMENT ON TABLE @schema@.id_quarantine IS
'Values an adoption procedure would not guess at: the row (which stays in its table), the column, the value and why';

-- The start of every transaction of an adoption procedure: a pinned search_path and the caller's
-- lock_timeout, both local to the transaction.
CREATE OR REPLACE FUNCTION @schema@._adopt_tx(lock_timeout text)
RETURNS void
LANGUAGE sql VOLATILE
AS $$
    SELECT pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true),
           pg_catalog.set_config('lock_timeout', lock_timeout, true),
           -- A batch's plan is estimated over the whole table and crossed jit_above_cost, and
           -- compiling it took longer than running it (45x the single UPDATE at 1M rows).
           pg_catalog.set_config('jit', 'off', true);
$$;

-- The pause before a retry: 50 to 250 ms, random, so that two retrying sessions drift apart.
CREATE OR REPLACE FUNCTION @schema@._adopt_jitter()
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.pg_sleep(0.05 + pg_catalog.random() * 0.2);
$$;

-- Refuses a CALL inside a transaction block, before any change. No SQL expression tells a
-- transaction block from autocommit reliably (transaction_timestamp() = statement_timestamp()
-- holds for "BEGIN; CALL p()" sent as one query string and fails for every CALL over the
-- extended protocol), so the test is the first COMMIT itself: harmless in autocommit, and in a
-- transaction block PostgreSQL refuses it ("invalid transaction termination", 2D000) before the
-- procedure has changed anything. Must be called first, from the procedure itself.
CREATE OR REPLACE PROCEDURE @schema@._adopt_require_autocommit()
LANGUAGE plpgsql
AS $$
BEGIN
    COMMIT;
END
$$;

-- Runs DDL in a transaction of its own with lock_timeout, retrying a lock timeout or deadlock
-- after a pause, then commits it together with the run's new phase. Gives up with 55P03 after
-- `tries` attempts, leaving the run where it was (resumable).
--
-- Each attempt waits at most 200 ms (or lock_timeout, if shorter): every writer that comes after
-- a waiting DDL lock request queues behind it, so the attempt's wait is the writers' stall. At
-- 1M rows with two writers, 500 ms attempts stalled them 510 ms behind an autovacuum of the
-- table. More, shorter attempts then stand in for the one long wait.
CREATE OR REPLACE PROCEDURE @schema@._adopt_ddl(run bigint, statements text[], new_phase text,
                                                lock_timeout text, tries integer DEFAULT 100)
LANGUAGE plpgsql
AS $$
DECLARE
    attempt integer := 0;
    stmt text;
    wait text := CASE WHEN lock_timeout::interval > interval '200 ms' OR lock_timeout::interval = interval '0'
                      THEN '200ms' ELSE lock_timeout END;
BEGIN
    LOOP
        attempt := attempt + 1;
        PERFORM @schema@._adopt_tx(wait);
        BEGIN
            FOREACH stmt IN ARRAY statements LOOP
                EXECUTE stmt;
            END LOOP;
            UPDATE @schema@.id_adopt_runs SET phase = new_phase, updated_at = pg_catalog.clock_timestamp(),
                   progress = progress OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(new_phase OPERATOR(pg_catalog.||) '_at', pg_catalog.clock_timestamp())
             WHERE run_id = run;
            EXIT;
        EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
            IF attempt >= tries THEN
                RAISE EXCEPTION 'could not get the lock for "%" within % in % tries', new_phase, wait, tries
                    USING ERRCODE = 'lock_not_available',
                          DETAIL = pg_catalog.format('Statement: %s', stmt),
                          HINT = 'A long transaction holds a lock on the table. CALL the procedure again with the same arguments to resume.';
            END IF;
        END;
        PERFORM @schema@._adopt_jitter();
    END LOOP;
    COMMIT;
END
$$;

-- The run of `procedure` with these arguments: created when new (committed), else as it was left.
CREATE OR REPLACE FUNCTION @schema@._adopt_run(procedure text, arguments jsonb)
RETURNS @schema@.id_adopt_runs
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r @schema@.id_adopt_runs;
BEGIN
    INSERT INTO @schema@.id_adopt_runs AS x (procedure, arguments) VALUES (procedure, arguments)
    ON CONFLICT ON CONSTRAINT id_adopt_runs_procedure_arguments_key
    DO UPDATE SET updated_at = pg_catalog.clock_timestamp()
    RETURNING x.* INTO r;
    RETURN r;
END
$$;

-- subject_kind: the provider shape of a JWT sub. A classifier, so it never raises. The table and
-- the sources are in docs/adopting.md. 'supabase' is the one shape Supabase Auth issues (a
-- lower-case RFC 9562 version 4 UUID); any other UUID text is 'uuid'.
CREATE OR REPLACE FUNCTION @schema@.subject_kind(subject text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    -- The length and '|' tests come first because they are cheaper than the regular
    -- expressions, which then run at most twice for any subject.
    SELECT CASE
        WHEN pg_catalog.octet_length(subject) OPERATOR(pg_catalog.=) 36
             AND subject OPERATOR(pg_catalog.~) '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' THEN 'supabase'
        WHEN pg_catalog.octet_length(subject) OPERATOR(pg_catalog.=) 36
             AND subject OPERATOR(pg_catalog.~) '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$' THEN 'uuid'
        WHEN pg_catalog.octet_length(subject) OPERATOR(pg_catalog.>=) 16 AND pg_catalog.octet_length(subject) OPERATOR(pg_catalog.<=) 19
             AND subject OPERATOR(pg_catalog.~) '^[1-9][0-9]{15,18}$' THEN 'zitadel'
        WHEN pg_catalog.strpos(subject, '|') OPERATOR(pg_catalog.>) 0
             AND subject OPERATOR(pg_catalog.~) '^[a-z0-9][a-z0-9-]*(\|[A-Za-z0-9._~@+-]+)+$' THEN 'auth0'
        WHEN pg_catalog.octet_length(subject) OPERATOR(pg_catalog.=) 32
             AND subject OPERATOR(pg_catalog.~) '^user_[0-9A-Za-z]{27}$' THEN 'clerk'
        WHEN pg_catalog.octet_length(subject) OPERATOR(pg_catalog.=) 28
             AND subject OPERATOR(pg_catalog.~) '^[0-9A-Za-z]{28}$' THEN 'firebase'
        ELSE 'other'
    END
$$;
COMMENT ON FUNCTION @schema@.subject_kind(text) IS
'The shape of a provider subject: uuid, supabase (lower-case v4 UUID), zitadel, auth0, clerk, firebase or other; never raises';

-- Why a subject is not converted (NULL: it is): empty, untrimmed, or a shape not in `accept`
-- (NULL accept: every shape but 'other').
CREATE OR REPLACE FUNCTION @schema@._subject_reason(subject text, accept text[])
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN subject IS NULL THEN NULL
        WHEN subject OPERATOR(pg_catalog.=) '' THEN 'empty'
        WHEN subject OPERATOR(pg_catalog.~) '^\s|\s$' THEN 'untrimmed'
        -- One classification on the default path (accept NULL); a second only for the message.
        WHEN accept IS NULL THEN
            CASE WHEN @schema@.subject_kind(subject) OPERATOR(pg_catalog.=) 'other' THEN 'not an accepted subject shape: other' END
        WHEN @schema@.subject_kind(subject) OPERATOR(pg_catalog.=) ANY (accept) THEN NULL
        ELSE 'not an accepted subject shape: ' OPERATOR(pg_catalog.||) @schema@.subject_kind(subject)
    END
$$;

-- What convert_subject_column and finish_subject_column check before changing anything: the
-- table's single-column key, the column, the profiles' key. Raises the errors of ADOPT.md.
CREATE OR REPLACE FUNCTION @schema@._subject_target(tbl regclass, col name, profiles regclass,
                                                    OUT key_col name, OUT key_type text,
                                                    OUT profile_col name)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl AND attname = col AND attnum > 0 AND NOT attisdropped) THEN
        RAISE EXCEPTION 'column "%" of relation "%" does not exist', col, tbl::text
            USING ERRCODE = 'undefined_column';
    END IF;
    SELECT count(*), min(a.attname), min(format_type(a.atttypid, a.atttypmod))
      INTO n, key_col, key_type
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = tbl AND i.indisprimary;
    IF n IS DISTINCT FROM 1 THEN
        RAISE EXCEPTION 'table "%" has no single-column primary key', tbl::text
            USING ERRCODE = 'invalid_column_reference',
                  DETAIL = 'The conversion goes through the table in batches by its key and quarantines rows by it.',
                  HINT = 'Add a single-column primary key (for example an identity column) first.';
    END IF;
    IF profiles IS NULL THEN
        RETURN;
    END IF;
    SELECT count(*), min(a.attname) INTO n, profile_col
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = profiles AND i.indisprimary
       AND COALESCE((SELECT t.typbasetype FROM pg_type t WHERE t.oid = a.atttypid AND t.typtype = 'd'), a.atttypid) = 'uuid'::regtype;
    IF n IS DISTINCT FROM 1 OR (SELECT count(*) FROM pg_index i, unnest(i.indkey) k WHERE i.indrelid = profiles AND i.indisprimary) <> 1 THEN
        RAISE EXCEPTION 'table "%" has no single-column uuid primary key to reference', profiles::text
            USING ERRCODE = 'invalid_column_reference',
                  DETAIL = 'The new column references the profiles table''s primary key, which holds the subject ids.';
    END IF;
END
$$;

CREATE OR REPLACE PROCEDURE @schema@.convert_subject_column(
    tbl regclass, col name, profiles regclass,
    new_col name DEFAULT 'subject_id',
    namespace uuid DEFAULT NULL,
    accept text[] DEFAULT NULL,
    ensure_profiles boolean DEFAULT true,
    lock_timeout text DEFAULT '500ms',
    batch_size integer DEFAULT 1000,
    dry_run boolean DEFAULT false)
LANGUAGE plpgsql
AS $proc$
DECLARE
    kinds constant text[] := '{uuid,supabase,zitadel,auth0,clerk,firebase,other}';
    target record;
    ns uuid := namespace;
    setting text;
    args jsonb;
    run @schema@.id_adopt_runs;
    relname name;
    relschema name;
    fn text;
    trg name;
    fk name;
    idx name;
    q_reason text;
    range_sql text;
    batch_sql text;
    upper_key text;
    hi text;
    cur text;
    rows_seen bigint;
    keys text[];
    vals text[];
    sids uuid[];
    reasons text[];
    attempt integer;
    before_n bigint;
    converted_n bigint;
    quarantined_n bigint;
    r record;
BEGIN
    -- Refused inside a transaction block, before anything else (2D000; see _adopt_require_autocommit).
    CALL @schema@._adopt_require_autocommit();
    PERFORM @schema@._adopt_tx(lock_timeout);

    target := @schema@._subject_target(tbl, col, profiles);
    IF (SELECT a.atttypid FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = col)
       NOT IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype) THEN
        RAISE EXCEPTION 'column "%" of relation "%" is of type %, not text', col, tbl::text,
              (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = col)
            USING ERRCODE = 'datatype_mismatch';
    END IF;
    IF accept IS NOT NULL AND NOT accept <@ kinds THEN
        RAISE EXCEPTION 'accept names an unknown subject kind: %', accept::text
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The kinds are those subject_kind() returns: uuid, supabase, zitadel, auth0, clerk, firebase, other.';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'batch_size must be positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    args := jsonb_build_object('tbl', tbl::text, 'tbl_oid', tbl::oid, 'col', col, 'profiles', profiles::text,
                               'profiles_oid', profiles::oid, 'new_col', new_col, 'namespace', namespace,
                               'accept', accept, 'ensure_profiles', ensure_profiles);
    SELECT * INTO run FROM @schema@.id_adopt_runs x
     WHERE x.procedure = 'convert_subject_column' AND x.arguments = args;

    -- The namespace is pinned at the first CALL: a resumed run keeps it, whatever the setting
    -- says now, so that every row is mapped the same way.
    IF run.run_id IS NOT NULL THEN
        ns := (run.progress ->> 'namespace')::uuid;
    ELSIF ns IS NULL THEN
        setting := current_setting('idconv.subject_namespace', true);
        IF setting IS NULL OR setting = '' THEN
            RAISE EXCEPTION 'idconv.subject_namespace is not set'
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'Subjects that are not UUIDs are mapped to UUIDv5 in this namespace, which the dual-write trigger pins.',
                      HINT = 'Pass namespace => ''<namespace uuid>'', or set idconv.subject_namespace in this session.';
        END IF;
        ns := setting::uuid;
    END IF;

    IF run.run_id IS NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = new_col AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'column "%" of relation "%" already exists', new_col, tbl::text
            USING ERRCODE = 'duplicate_column',
                  HINT = 'Name another column with new_col => ..., or drop that one.';
    END IF;

    SELECT c.relname, n.nspname INTO relname, relschema
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    fn := format('%I.%I', relschema, left(format('idconv_sync_%s_%s', relname, col), 63));
    trg := left(format('idconv_sync_%s', col), 63);
    fk := left(format('%s_%s_fkey', relname, new_col), 63);
    idx := left(format('%s_%s_idx', relname, new_col), 63);
    q_reason := CASE WHEN ensure_profiles THEN format('@schema@._subject_reason(t.%I, $3)', col)
                ELSE format('COALESCE(@schema@._subject_reason(t.%1$I, $3), CASE WHEN NOT EXISTS (SELECT 1 FROM %2$s p WHERE p.%3$I = @schema@.normalize_subject(t.%1$I, $4)) THEN ''no profile'' END)',
                            col, profiles, target.profile_col) END;

    IF dry_run THEN
        RAISE NOTICE 'dry run: convert_subject_column(%, %) with namespace % would:', tbl::text, col, ns;
        RAISE NOTICE '  add column % uuid and trigger % (function %), namespace pinned', new_col, trg, fn;
        FOR r IN EXECUTE format('SELECT COALESCE(%s, ''converted'') AS what, count(*) AS n FROM %s t WHERE t.%I IS NOT NULL GROUP BY 1 ORDER BY 1',
                                q_reason, tbl, col) USING NULL::text, NULL::text, accept, ns LOOP
            RAISE NOTICE '  %: % rows', CASE WHEN r.what = 'converted' THEN 'convert' ELSE 'quarantine (' || r.what || ')' END, r.n;
        END LOOP;
        IF ensure_profiles THEN
            EXECUTE format('SELECT count(DISTINCT @schema@.normalize_subject(t.%1$I, $1)) FROM %2$s t WHERE @schema@._subject_reason(t.%1$I, $2) IS NULL AND t.%1$I IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %3$s p WHERE p.%4$I = @schema@.normalize_subject(t.%1$I, $1))',
                           col, tbl, profiles, target.profile_col) INTO rows_seen USING ns, accept;
            RAISE NOTICE '  create % profiles in %', rows_seen, profiles::text;
        END IF;
        RAISE NOTICE '%', format('  add foreign key %s NOT VALID and validate it; then run: CREATE INDEX CONCURRENTLY IF NOT EXISTS %I ON %s (%I);', fk, idx, tbl, new_col);
        RETURN;
    END IF;

    IF run.run_id IS NULL THEN
        run := @schema@._adopt_run('convert_subject_column', args);
        UPDATE @schema@.id_adopt_runs SET phase = 'start', progress = jsonb_build_object('namespace', ns)
         WHERE run_id = run.run_id RETURNING * INTO run;
        COMMIT;
        PERFORM @schema@._adopt_tx(lock_timeout);
    END IF;
    IF run.state = 'done' THEN
        RAISE NOTICE '%', format('convert_subject_column(%s, %s) is done; next: CREATE INDEX CONCURRENTLY IF NOT EXISTS %I ON %s (%I); then CALL finish_subject_column(%L, %L);',
                                 tbl, col, idx, tbl, new_col, tbl::text, col);
        RETURN;
    END IF;

    -- 1. The column and the dual-write trigger, in one short transaction (ACCESS EXCLUSIVE for
    -- the ADD COLUMN, a catalog change only). The trigger writes the namespace into its body.
    IF run.phase = 'start' THEN
        CALL @schema@._adopt_ddl(run.run_id, ARRAY[
            format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS %I uuid', tbl, new_col),
            format($f$CREATE OR REPLACE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $body$
-- Written by convert_subject_column (run %9$s): keeps %4$I = normalize_subject(%3$I, '%5$s') on
-- every write, with the namespace pinned here so that connections without the setting work.
DECLARE
    why text;
BEGIN
    IF NEW.%3$I IS NULL THEN
        IF TG_OP = 'UPDATE' AND OLD.%3$I IS NOT NULL THEN
            NEW.%4$I := NULL;
            DELETE FROM @schema@.id_quarantine WHERE relation = %2$s::oid AND row_key = NEW.%6$I::text AND column_name = %7$L;
        END IF;
        RETURN NEW;
    END IF;
    why := @schema@._subject_reason(NEW.%3$I, %8$L);
    IF why IS NULL THEN
        NEW.%4$I := @schema@.normalize_subject(NEW.%3$I, '%5$s'::uuid);
        %10$s
    END IF;
    IF why IS NULL THEN
        IF TG_OP = 'UPDATE' THEN
            DELETE FROM @schema@.id_quarantine WHERE relation = %2$s::oid AND row_key = NEW.%6$I::text AND column_name = %7$L;
        END IF;
    ELSE
        NEW.%4$I := NULL;
        INSERT INTO @schema@.id_quarantine AS q (relation, row_key, column_name, value, reason, run_id)
        VALUES (%2$s::oid, NEW.%6$I::text, %7$L, NEW.%3$I, why, %9$s)
        ON CONFLICT (relation, row_key, column_name)
        DO UPDATE SET value = EXCLUDED.value, reason = EXCLUDED.reason, run_id = EXCLUDED.run_id, quarantined_at = EXCLUDED.quarantined_at;
    END IF;
    RETURN NEW;
END
$body$$f$, fn, tbl::oid, col, new_col, ns, target.key_col, col, accept, run.run_id,
                CASE WHEN ensure_profiles
                     THEN format('INSERT INTO %s (%I) VALUES (NEW.%I) ON CONFLICT DO NOTHING;', profiles, target.profile_col, new_col)
                     ELSE format('IF NOT EXISTS (SELECT 1 FROM %s WHERE %I = NEW.%I) THEN why := ''no profile''; END IF;', profiles, target.profile_col, new_col)
                END),
            format('CREATE OR REPLACE TRIGGER %I BEFORE INSERT OR UPDATE OF %I ON %s FOR EACH ROW EXECUTE FUNCTION %s()', trg, col, tbl, fn)
        ], 'trigger', lock_timeout);
        PERFORM @schema@._adopt_tx(lock_timeout);
        SELECT * INTO run FROM @schema@.id_adopt_runs x WHERE x.run_id = run.run_id;
    END IF;

    -- 2. The backfill, in key order up to the largest key that existed when the trigger was in
    -- place (rows inserted since had the trigger). Each batch's rows, profiles, quarantine entries
    -- and cursor commit together. A row a writer changed since the batch read it is skipped: the
    -- trigger has mapped it.
    IF run.phase = 'trigger' THEN
        EXECUTE format('SELECT max(%I)::text FROM %s', target.key_col, tbl) INTO upper_key;
        UPDATE @schema@.id_adopt_runs SET phase = 'backfill', updated_at = clock_timestamp(),
               progress = progress || jsonb_build_object('upper', upper_key, 'cursor', NULL, 'rows', 0)
         WHERE run_id = run.run_id RETURNING * INTO run;
        COMMIT;
        PERFORM @schema@._adopt_tx(lock_timeout);
    END IF;
    IF run.phase = 'backfill' THEN
        upper_key := run.progress ->> 'upper';
        cur := run.progress ->> 'cursor';
        -- A key range, not a join: the UPDATE then walks the primary key's index. It maps each
        -- row from its current version (a row a writer changed meanwhile is re-read after that
        -- writer's commit), so a batch never writes a stale mapping.
        range_sql := format($r$
            SELECT max(k)::text, count(*) FROM (
                SELECT t.%1$I AS k FROM %2$s t
                 WHERE ($1 IS NULL OR t.%1$I > $1::%3$s) AND t.%1$I <= $2::%3$s
                 ORDER BY t.%1$I LIMIT $3) b$r$, target.key_col, tbl, target.key_type);
        batch_sql := format($b$
            WITH u AS (
                UPDATE %3$s t SET %6$I = CASE WHEN (%7$s) IS NULL THEN @schema@.normalize_subject(t.%2$I, $4) END
                 WHERE ($1 IS NULL OR t.%1$I > $1::%4$s) AND t.%1$I <= $2::%4$s AND t.%2$I IS NOT NULL
                RETURNING t.%1$I::text AS key, t.%2$I AS value, t.%6$I AS sid,
                          CASE WHEN t.%6$I IS NULL THEN (%7$s) END AS why
            )
            SELECT array_agg(key), array_agg(value), array_agg(sid), array_agg(why) FROM u$b$,
            target.key_col, col, tbl, target.key_type, NULL, new_col, q_reason);
        WHILE upper_key IS NOT NULL LOOP
            attempt := 0;
            LOOP
                attempt := attempt + 1;
                BEGIN
                    EXECUTE range_sql INTO hi, rows_seen USING cur, upper_key, batch_size;
                    EXECUTE batch_sql INTO keys, vals, sids, reasons USING cur, hi, accept, ns;
                    cur := hi;
                    IF ensure_profiles THEN
                        EXECUTE format('INSERT INTO %s (%I) SELECT DISTINCT s FROM unnest($1) s WHERE s IS NOT NULL ORDER BY 1 ON CONFLICT DO NOTHING',
                                       profiles, target.profile_col) USING sids;
                    END IF;
                    INSERT INTO @schema@.id_quarantine AS q (relation, row_key, column_name, value, reason, run_id)
                    SELECT tbl, x.k, col, x.v, x.w, run.run_id FROM unnest(keys, vals, reasons) x(k, v, w) WHERE x.w IS NOT NULL
                    ON CONFLICT (relation, row_key, column_name)
                    DO UPDATE SET value = EXCLUDED.value, reason = EXCLUDED.reason, run_id = EXCLUDED.run_id, quarantined_at = EXCLUDED.quarantined_at;
                    EXIT;
                EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
                    IF attempt >= 20 THEN
                        RAISE EXCEPTION 'could not lock a batch of "%" within lock_timeout (%) in 20 tries', tbl::text, lock_timeout
                            USING ERRCODE = 'lock_not_available',
                                  HINT = 'CALL convert_subject_column again with the same arguments to resume.';
                    END IF;
                END;
                PERFORM @schema@._adopt_jitter();
                PERFORM @schema@._adopt_tx(lock_timeout);
                cur := run.progress ->> 'cursor';
            END LOOP;
            IF rows_seen = 0 THEN
                UPDATE @schema@.id_adopt_runs SET phase = 'backfilled', updated_at = clock_timestamp()
                 WHERE run_id = run.run_id RETURNING * INTO run;
                COMMIT;
                EXIT;
            END IF;
            UPDATE @schema@.id_adopt_runs
               SET progress = progress || jsonb_build_object('cursor', cur, 'rows', (progress ->> 'rows')::bigint + rows_seen),
                   updated_at = clock_timestamp()
             WHERE run_id = run.run_id RETURNING * INTO run;
            COMMIT;
            PERFORM @schema@._adopt_tx(lock_timeout);
        END LOOP;
        IF upper_key IS NULL THEN
            UPDATE @schema@.id_adopt_runs SET phase = 'backfilled' WHERE run_id = run.run_id RETURNING * INTO run;
            COMMIT;
        END IF;
        PERFORM @schema@._adopt_tx(lock_timeout);
    END IF;

    -- 3. The foreign key, NOT VALID (SHARE ROW EXCLUSIVE on both tables, for a catalog change),
    -- then validated (SHARE UPDATE EXCLUSIVE: writes go on during the scan).
    IF run.phase = 'backfilled' THEN
        CALL @schema@._adopt_ddl(run.run_id, ARRAY[format(
            'DO $x$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = %s::oid AND conname = %L) THEN ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES %s (%I) NOT VALID; END IF; END $x$',
            tbl::oid, fk, tbl, fk, new_col, profiles, target.profile_col)], 'constrained', lock_timeout);
        PERFORM @schema@._adopt_tx(lock_timeout);
        run.phase := 'constrained';
    END IF;
    IF run.phase = 'constrained' THEN
        CALL @schema@._adopt_ddl(run.run_id, ARRAY[format('ALTER TABLE %s VALIDATE CONSTRAINT %I', tbl, fk)], 'validated', lock_timeout);
        PERFORM @schema@._adopt_tx(lock_timeout);
        run.phase := 'validated';
    END IF;

    -- 4. The invariant: every row with a subject is converted or quarantined, with its value.
    EXECUTE format($c$
        SELECT count(*) FILTER (WHERE t.%1$I IS NOT NULL),
               count(*) FILTER (WHERE @schema@._subject_reason(t.%1$I, $1) IS NULL AND t.%2$I = @schema@.normalize_subject(t.%1$I, $2)),
               count(*) FILTER (WHERE t.%2$I IS NULL AND EXISTS (
                   SELECT 1 FROM @schema@.id_quarantine q
                    WHERE q.relation = %4$s::oid AND q.row_key = t.%3$I::text AND q.column_name = %5$L AND q.value = t.%1$I))
          FROM %6$s t$c$, col, new_col, target.key_col, tbl::oid, col, tbl)
      INTO before_n, converted_n, quarantined_n USING accept, ns;
    IF before_n <> converted_n + quarantined_n THEN
        RAISE EXCEPTION 'convert_subject_column: % rows of "%" have a subject, % are converted and % quarantined', before_n, tbl::text, converted_n, quarantined_n
            USING ERRCODE = 'internal_error',
                  HINT = 'The run stays resumable: CALL convert_subject_column again with the same arguments.';
    END IF;
    UPDATE @schema@.id_adopt_runs
       SET state = 'done', phase = 'done', finished_at = clock_timestamp(), updated_at = clock_timestamp(),
           progress = progress || jsonb_build_object('with_subject', before_n, 'converted', converted_n, 'quarantined', quarantined_n)
     WHERE run_id = run.run_id;
    COMMIT;
    RAISE NOTICE '%', format('convert_subject_column(%s, %s): %s rows converted, %s quarantined (see id_quarantine); next: CREATE INDEX CONCURRENTLY IF NOT EXISTS %I ON %s (%I); then CALL finish_subject_column(%L, %L);',
                             tbl, col, converted_n, quarantined_n, idx, tbl, new_col, tbl::text, col);
END
$proc$;
COMMENT ON PROCEDURE @schema@.convert_subject_column(regclass, name, regclass, name, uuid, text[], boolean, text, integer, boolean) IS
'Adds new_col uuid = normalize_subject(col, namespace) to tbl online: dual-write trigger with the namespace pinned, batched backfill, profiles for accepted shapes, quarantine for the rest, foreign key NOT VALID then validated; resumable';

CREATE OR REPLACE PROCEDURE @schema@.finish_subject_column(
    tbl regclass, col name,
    new_col name DEFAULT 'subject_id',
    lock_timeout text DEFAULT '500ms',
    dry_run boolean DEFAULT false)
LANGUAGE plpgsql
AS $proc$
DECLARE
    run @schema@.id_adopt_runs;
    target record;
    ns uuid;
    accept text[];
    relname name;
    relschema name;
    idx name;
    bad bigint;
BEGIN
    CALL @schema@._adopt_require_autocommit();
    PERFORM @schema@._adopt_tx(lock_timeout);
    target := @schema@._subject_target(tbl, new_col, NULL);
    SELECT * INTO run FROM @schema@.id_adopt_runs x
     WHERE x.procedure = 'convert_subject_column' AND (x.arguments ->> 'tbl_oid')::oid = tbl::oid
       AND x.arguments ->> 'col' = col AND x.arguments ->> 'new_col' = new_col
     ORDER BY x.run_id DESC LIMIT 1;
    IF run.run_id IS NOT NULL AND run.progress ? 'finished_at' THEN
        RAISE NOTICE 'finish_subject_column(%, %): already finished', tbl::text, col;
        RETURN;
    END IF;
    PERFORM @schema@._subject_target(tbl, col, NULL);
    IF run.state IS DISTINCT FROM 'done' THEN
        RAISE EXCEPTION 'convert_subject_column has not finished on column "%" of "%"', col, tbl::text
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = pg_catalog.format('CALL convert_subject_column(%L, %L, ...) first (again, with the same arguments, to resume).', tbl::text, col);
    END IF;
    SELECT c.relname, n.nspname INTO relname, relschema
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    idx := left(format('%s_%s_idx', relname, new_col), 63);
    -- CREATE INDEX CONCURRENTLY cannot run in a procedure: the caller runs it, and a failed one
    -- leaves an invalid index behind, which does not count.
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                    WHERE i.indrelid = tbl AND i.indisvalid AND i.indisready AND i.indpred IS NULL
                      AND i.indkey[0] = (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = new_col)) THEN
        RAISE EXCEPTION 'column "%" of "%" has no valid index', new_col, tbl::text
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'The foreign key''s ON DELETE and every lookup by subject need it, and CREATE INDEX CONCURRENTLY cannot run inside a procedure.',
                  HINT = format('Run: CREATE INDEX CONCURRENTLY IF NOT EXISTS %I ON %s (%I); (after a failed attempt, DROP INDEX CONCURRENTLY the invalid one first)', idx, tbl, new_col);
    END IF;
    ns := (run.progress ->> 'namespace')::uuid;
    IF jsonb_typeof(run.arguments -> 'accept') = 'array' THEN
        accept := ARRAY(SELECT jsonb_array_elements_text(run.arguments -> 'accept'));
    END IF;
    EXECUTE format($c$
        SELECT count(*) FROM %1$s t
         WHERE t.%2$I IS NOT NULL
           AND NOT (@schema@._subject_reason(t.%2$I, $1) IS NULL AND t.%3$I IS NOT DISTINCT FROM @schema@.normalize_subject(t.%2$I, $2))
           AND NOT (t.%3$I IS NULL AND EXISTS (SELECT 1 FROM @schema@.id_quarantine q
                     WHERE q.relation = %4$s::oid AND q.row_key = t.%5$I::text AND q.column_name = %6$L AND q.value = t.%2$I))$c$,
        tbl, col, new_col, tbl::oid, target.key_col, col) INTO bad USING accept, ns;
    IF bad > 0 THEN
        RAISE EXCEPTION '% rows of "%" have a "%" that is neither converted into "%" nor quarantined', bad, tbl::text, col, new_col
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Was the trigger disabled? CALL convert_subject_column again to convert them.';
    END IF;
    IF dry_run THEN
        RAISE NOTICE '%', format('dry run: finish_subject_column would drop trigger %I, column %I of %s and function %I.%I',
                                 left(format('idconv_sync_%s', col), 63), col, tbl, relschema, left(format('idconv_sync_%s_%s', relname, col), 63));
        RETURN;
    END IF;
    -- The trigger keeps every write converted or quarantined until it is dropped, in the same
    -- short transaction (ACCESS EXCLUSIVE, catalog only) as the column.
    CALL @schema@._adopt_ddl(run.run_id, ARRAY[
        format('DROP TRIGGER IF EXISTS %I ON %s', left(format('idconv_sync_%s', col), 63), tbl),
        format('ALTER TABLE %s DROP COLUMN %I', tbl, col),
        format('DROP FUNCTION IF EXISTS %I.%I()', relschema, left(format('idconv_sync_%s_%s', relname, col), 63)),
        format('UPDATE @schema@.id_adopt_runs SET progress = progress || jsonb_build_object(''finished_at'', clock_timestamp()) WHERE run_id = %s', run.run_id)
    ], 'finished', lock_timeout);
    RAISE NOTICE 'finish_subject_column(%, %): dropped the trigger and the column; quarantined values stay in id_quarantine', tbl::text, col;
END
$proc$;
COMMENT ON PROCEDURE @schema@.finish_subject_column(regclass, name, name, text, boolean) IS
'After convert_subject_column and CREATE INDEX CONCURRENTLY: checks every row is converted or quarantined, then drops the dual-write trigger and the old column';
