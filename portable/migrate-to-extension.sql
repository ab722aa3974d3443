-- Moves a database from idconv's portable edition (portable/idconv.sql) to the extension, in one
-- transaction: the extension is installed into the schema the portable edition was in, every
-- column default, CHECK constraint (of tables and domains), trigger, policy, view and index that
-- called a portable function is rewritten to call the extension's function of the same name, the
-- rows and grants of idconv's tables (the registry, the adoption runs, quarantine and old keys) are
-- copied, and the portable edition is dropped. Anything it cannot
-- rewrite (say, a generated column or a materialized view) stops it with an error, and the
-- transaction leaves the database as it was. Needs the extension's files on the server and a role
-- that may create it (its owner, or a superuser for objects owned by others); docs/hosted.md.
-- The same file moves idconv installed as a Trusted Language Extension (portable/idconv-tle.sql)
-- to the extension's files, and, on a server where pg_tle has idconv registered and no files,
-- the plain portable edition to that Trusted Language Extension.
--
--   SET search_path = ids;   -- the schema the portable edition is in
--   \i migrate-to-extension.sql
BEGIN;
DO $migrate$
DECLARE
    target constant text := pg_catalog.current_schema();
    old constant text := 'idconv_portable_old';
    portable_functions oid[];
    r record;
    def text;
    rewritten int := 0;
    generated boolean;
    -- idconv's tables, in the order their foreign keys allow to fill them
    tables constant text[] := ARRAY['id_prefixes', 'id_adopt_runs', 'id_quarantine', 'key_aliases', 'id_repair_log'];
    t text;
    i int;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc
                   WHERE pronamespace = target::regnamespace AND proname = '_idconv_cuid2_construct') THEN
        RAISE EXCEPTION 'schema "%" holds no portable edition of idconv', target
            USING HINT = 'SET search_path = <the schema of idconv.sql>; before running this file.';
    END IF;
    -- Definitions are printed with every function qualified by its schema.
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);

    -- 0. idconv installed as a Trusted Language Extension (portable/idconv-tle.sql) is the portable
    -- edition inside an extension named idconv: its objects leave that extension, which is dropped,
    -- and the move goes on as from the plain file. CREATE EXTENSION below then takes the extension's
    -- files, which pg_tle never shadows.
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'idconv' AND extnamespace = target::regnamespace) THEN
        FOR r IN SELECT o.type, o.identity
                 FROM pg_depend d, pg_identify_object(d.classid, d.objid, d.objsubid) o
                 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
                   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'idconv')
                   -- A table's row type and an array type leave with their table and element
                   -- type (PostgreSQL 17 records them as members too, and refuses to drop them
                   -- alone).
                   AND NOT (d.classid = 'pg_type'::regclass
                            AND EXISTS (SELECT 1 FROM pg_type t WHERE t.oid = d.objid
                                        AND (t.typcategory = 'A' OR t.typrelid <> 0))) LOOP
            EXECUTE format('ALTER EXTENSION idconv DROP %s %s', r.type, r.identity);
        END LOOP;
        DROP EXTENSION idconv;
    END IF;

    -- 1. The portable edition moves aside; its dependents follow it (they refer to it by oid).
    EXECUTE format('CREATE SCHEMA %I', old);
    SELECT array_agg(p.oid) INTO portable_functions FROM pg_proc p WHERE p.pronamespace = target::regnamespace
      AND (p.proname LIKE '\_idconv\_%' OR p.proname IN (
           'generate_cuid2', 'is_cuid2', 'generate_prefixed_id', 'is_valid_prefix', 'is_prefixed_id',
           'prefixed_id_prefix', 'prefixed_id_body', 'uuidv5', 'normalize_subject', 'sha1_subject_uuid',
           'uuid_version', 'current_subject_id', 'stamp_subject', 'register_prefix', 'generate_id_for',
           'entity_of', 'id_kind', 'audit_id_column', 'audit_subject_references', 'is_slug', 'slugify',
           'require_filled_at_commit', 'uuid_generate_v7', 'uuid_v7_to_timestamptz', 'uuid_timestamptz_to_v7',
           'generate_typeid', 'is_typeid', 'typeid_to_uuid', 'uuid_to_typeid', 'typeid_prefix',
           'distribute_registry', 'id_prefixes_mirror', '_adopt_in_transaction_block', 'resolve_key',
           '_adopt_tx', '_adopt_jitter', '_adopt_primary_key', '_adopt_give_up', '_adopt_ms', '_adopt_next_run_id', '_adopt_require_autocommit', '_adopt_ddl', '_adopt_run',
           'subject_kind', '_subject_reason', '_subject_target', '_rekey_key_column', '_rekey_plan',
           '_rekey_stmt', '_rekey_parked', '_rekey_columns', '_rekey_settings', '_rekey_owner_move', '_rekey_count',
           '_adopt_backoff', 'rekey', '_rekey_plan_json', '_rekey_copy_sql', '_rekey_move', 'rekey_all', 'convert_subject_column',
           'finish_subject_column', '_repair_target', 'repair_reference'));
    FOR r IN SELECT oid::regprocedure AS fn FROM pg_proc WHERE oid = ANY (portable_functions) LOOP
        EXECUTE format('ALTER ROUTINE %s SET SCHEMA %I', r.fn, old);
    END LOOP;
    FOREACH t IN ARRAY tables LOOP
        IF to_regclass(format('%I.%I', target, t)) IS NOT NULL THEN  -- an install older than 0.4.0 has only the registry
            EXECUTE format('ALTER TABLE %I.%I SET SCHEMA %I', target, t, old);
        END IF;
    END LOOP;

    -- 2. The extension, in the same schema.
    EXECUTE format('CREATE EXTENSION idconv SCHEMA %I', target);

    -- 3. The tables' rows (the registry's, and the adoption runs, quarantine, old keys and repair
    -- plans) and grants. Same columns in the same order in both editions.
    FOREACH t IN ARRAY tables LOOP
        CONTINUE WHEN to_regclass(format('%I.%I', old, t)) IS NULL;
        EXECUTE format('INSERT INTO %I.%I SELECT * FROM %I.%I', target, t, old, t);
        FOR r IN SELECT a.privilege_type, a.grantee, a.is_grantable
                 FROM pg_class c, aclexplode(c.relacl) a
                 WHERE c.oid = format('%I.%I', old, t)::regclass AND a.grantee <> c.relowner LOOP
            EXECUTE format('GRANT %s ON %I.%I TO %s%s', r.privilege_type, target, t,
                           CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r.grantee)) END,
                           CASE WHEN r.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
        END LOOP;
    END LOOP;

    -- 4. Every object that calls a portable function is defined again with the extension's.
    FOR r IN SELECT DISTINCT d.classid, d.objid, d.objsubid FROM pg_depend d
             WHERE d.refclassid = 'pg_proc'::regclass AND d.refobjid = ANY (portable_functions)
               AND NOT (d.classid = 'pg_proc'::regclass AND d.objid = ANY (portable_functions))
             ORDER BY 1, 2 LOOP
        IF r.classid = 'pg_attrdef'::regclass THEN
            SELECT format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', ad.adrelid::regclass, a.attname,
                          pg_get_expr(ad.adbin, ad.adrelid)), a.attgenerated <> ''
            INTO def, generated
            FROM pg_attrdef ad JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
            WHERE ad.oid = r.objid;
            IF generated THEN
                RAISE EXCEPTION 'cannot rewrite a generated column: %', def;
            END IF;
        ELSIF r.classid = 'pg_constraint'::regclass THEN
            -- A constraint trigger's own row, and a partition's copy of its parent's CHECK, go with
            -- the trigger and the parent's constraint.
            SELECT CASE WHEN c.contype = 't' OR NOT c.conislocal THEN NULL
                        WHEN c.conrelid <> 0 THEN format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I %s',
                                                         c.conrelid::regclass, c.conname, c.conname, pg_get_constraintdef(c.oid))
                        ELSE format('ALTER DOMAIN %s DROP CONSTRAINT %I; ALTER DOMAIN %s ADD CONSTRAINT %I %s',
                                    c.contypid::regtype, c.conname, c.contypid::regtype, c.conname, pg_get_constraintdef(c.oid)) END
            INTO def FROM pg_constraint c WHERE c.oid = r.objid;
        ELSIF r.classid = 'pg_trigger'::regclass THEN
            SELECT CASE WHEN t.tgparentid <> 0 THEN NULL  -- a partition's clone: made again from its parent's
                        ELSE format('DROP TRIGGER %I ON %s; %s; ALTER TABLE %s %s TRIGGER %I', t.tgname, t.tgrelid::regclass,
                                    pg_get_triggerdef(t.oid), t.tgrelid::regclass,
                                    CASE t.tgenabled WHEN 'D' THEN 'DISABLE' WHEN 'A' THEN 'ENABLE ALWAYS'
                                                     WHEN 'R' THEN 'ENABLE REPLICA' ELSE 'ENABLE' END, t.tgname) END
            INTO def FROM pg_trigger t WHERE t.oid = r.objid;
        ELSIF r.classid = 'pg_policy'::regclass THEN
            SELECT format('ALTER POLICY %I ON %s%s%s', p.polname, p.polrelid::regclass,
                          ' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')',
                          ' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')')
            INTO def FROM pg_policy p WHERE p.oid = r.objid;
        ELSIF r.classid = 'pg_rewrite'::regclass THEN
            SELECT CASE WHEN c.relkind = 'v' THEN format('CREATE OR REPLACE VIEW %s AS %s', c.oid::regclass, pg_get_viewdef(c.oid))
                        ELSE 'unsupported' END
            INTO def FROM pg_rewrite w JOIN pg_class c ON c.oid = w.ev_class WHERE w.oid = r.objid;
        ELSIF r.classid = 'pg_class'::regclass
              AND (SELECT relkind FROM pg_class WHERE oid = r.objid) = 'i'
              AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = r.objid) THEN
            def := format('DROP INDEX %s; %s', r.objid::regclass, pg_get_indexdef(r.objid));
        ELSE
            def := 'unsupported';
        END IF;
        IF def = 'unsupported' THEN
            RAISE EXCEPTION 'cannot rewrite % that calls a portable function', pg_describe_object(r.classid, r.objid, r.objsubid)
                USING HINT = 'Define it again by hand after the move, or drop it first.';
        END IF;
        CONTINUE WHEN def IS NULL;
        EXECUTE replace(def, quote_ident(old) || '.', quote_ident(target) || '.');
        rewritten := rewritten + 1;
    END LOOP;

    -- 5. The portable edition goes. Anything still using it stops the drop, and the transaction.
    -- The routines that depend on the tables first (resolve_key's body, _adopt_run's result), then
    -- the tables (id_prefixes' CHECK calls is_valid_prefix), then the other routines.
    FOR r IN SELECT DISTINCT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_depend d
               ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
             JOIN pg_class c ON c.oid = d.refobjid AND d.refclassid = 'pg_class'::regclass
               OR c.reltype = d.refobjid AND d.refclassid = 'pg_type'::regclass
             WHERE p.pronamespace = old::regnamespace AND c.relnamespace = old::regnamespace LOOP
        EXECUTE format('DROP ROUTINE %s', r.fn);
    END LOOP;
    FOR i IN REVERSE cardinality(tables) .. 1 LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I.%I', old, tables[i]);
    END LOOP;
    FOR r IN SELECT oid::regprocedure AS fn FROM pg_proc WHERE pronamespace = old::regnamespace LOOP
        EXECUTE format('DROP ROUTINE %s', r.fn);
    END LOOP;
    EXECUTE format('DROP SCHEMA %I', old);
    RAISE NOTICE 'idconv: moved schema "%" to the extension; % objects rewritten', target, rewritten;
END
$migrate$;
COMMIT;
