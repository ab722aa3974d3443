-- idconv 0.3.0 -> 0.4.0
\echo Use "ALTER EXTENSION idconv UPDATE TO '0.4.0'" to load this file. \quit

-- Citus: the registry on every node ----------------------------------------------------------------

-- Fires on each node's copy of the reference table id_prefix_registry that distribute_registry()
-- makes, and keeps that node's own id_prefixes (which generate_id_for and entity_of read there)
-- equal to it in the same distributed transaction. A row takes the place of any entry of the same
-- entity or prefix that the node had of its own. The extension's schema is looked up, not written
-- in: the extension can be moved.
CREATE FUNCTION id_prefixes_mirror()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    registry text := (SELECT format('%I.id_prefixes', n.nspname) FROM pg_extension e
                      JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'idconv');
BEGIN
    IF TG_OP <> 'INSERT' THEN
        EXECUTE format('DELETE FROM %s WHERE entity = $1', registry) USING OLD.entity;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        EXECUTE format('DELETE FROM %s WHERE entity = $1 OR prefix = $2', registry) USING NEW.entity, NEW.prefix;
        EXECUTE format('INSERT INTO %s (entity, prefix, description, created_at, body) VALUES ($1, $2, $3, $4, $5)', registry)
            USING NEW.entity, NEW.prefix, NEW.description, NEW.created_at, NEW.body;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION id_prefixes_mirror() IS
'Trigger on the reference table id_prefix_registry that distribute_registry() makes: writes each change into the id_prefixes of the node it fires on';

-- PL/pgSQL: its statements that name Citus's functions and catalogs are planned when they first
-- run, so the extension installs on servers without Citus, where the function says what it needs.
CREATE FUNCTION distribute_registry()
RETURNS regclass
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s text := (SELECT format('%I', n.nspname) FROM pg_extension e
               JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'idconv');
    unsafe_triggers text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'Citus is not installed in this database'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'distribute_registry() makes register_prefix reach every node of a Citus cluster; on one server register_prefix needs no setup.';
    END IF;
    IF NOT citus_is_coordinator() THEN
        RAISE EXCEPTION 'distribute_registry() must run on the Citus coordinator'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    -- A reference table has a copy on the coordinator only when the coordinator is in the
    -- metadata, and register_prefix there writes the registry through that copy.
    IF NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE groupid = 0) THEN
        RAISE EXCEPTION 'the coordinator is not in the Citus metadata'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Add it first: SELECT citus_set_coordinator_host(''<host>'', <port>);';
    END IF;
    IF to_regclass(s || '.id_prefix_registry') IS NOT NULL THEN
        RAISE EXCEPTION 'relation "id_prefix_registry" already exists in schema %', s
            USING ERRCODE = 'duplicate_table',
                  HINT = 'distribute_registry() has run already, or a setup of idconv 0.3.0 made the table; drop that one (and its trigger function) and call distribute_registry() again.';
    END IF;
    EXECUTE format('CREATE TABLE %1$s.id_prefix_registry (LIKE %1$s.id_prefixes INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)', s);
    EXECUTE format('COMMENT ON TABLE %s.id_prefix_registry IS %L', s,
                   'idconv''s prefix registry on a Citus cluster (distribute_registry): a reference table whose trigger writes each change into every node''s id_prefixes; register_prefix writes here');
    EXECUTE format('GRANT SELECT ON %s.id_prefix_registry TO PUBLIC', s);
    -- Citus refuses triggers on its tables unless this is on; on for this function's own only.
    unsafe_triggers := current_setting('citus.enable_unsafe_triggers');
    PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
    EXECUTE format('CREATE TRIGGER id_prefixes_mirror AFTER INSERT OR UPDATE OR DELETE ON %1$s.id_prefix_registry '
                   'FOR EACH ROW EXECUTE FUNCTION %1$s.id_prefixes_mirror()', s);
    PERFORM create_reference_table(format('%s.id_prefix_registry', s)::regclass);
    PERFORM set_config('citus.enable_unsafe_triggers', unsafe_triggers, true);
    -- This node's registry becomes every node's.
    EXECUTE format('INSERT INTO %1$s.id_prefix_registry SELECT * FROM %1$s.id_prefixes', s);
    RETURN format('%s.id_prefix_registry', s)::regclass;
END
$$;

COMMENT ON FUNCTION distribute_registry() IS
'On a Citus coordinator: makes the reference table id_prefix_registry from id_prefixes, with a copy on every node whose trigger keeps that node''s id_prefixes equal to it, so that register_prefix (which then writes it) reaches every node; an error without Citus';
