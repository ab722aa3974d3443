-- The prefix registry on a Citus cluster (docs/citus.md): run once on the coordinator, after
-- CREATE EXTENSION idconv, with citus.enable_unsafe_triggers = on. Replace "public" by the
-- extension's schema if it is installed elsewhere.
--
-- id_prefix_registry is a reference table: a copy on every node, the coordinator included (it
-- needs citus_set_coordinator_host), written by Citus in one distributed transaction. The row
-- trigger runs on each copy, so each node's own id_prefixes, which generate_id_for reads, changes
-- in that same transaction. Register prefixes here, never with register_prefix or id_prefixes.
CREATE TABLE id_prefix_registry (
    entity      text PRIMARY KEY,
    prefix      text NOT NULL UNIQUE CHECK (is_valid_prefix(prefix)),
    description text
);
SELECT create_reference_table('id_prefix_registry');

CREATE FUNCTION id_prefix_registry_mirror() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM public.id_prefixes WHERE entity = OLD.entity;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO public.id_prefixes (entity, prefix, description)
        VALUES (NEW.entity, NEW.prefix, NEW.description);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER id_prefix_registry_mirror
    AFTER INSERT OR UPDATE OR DELETE ON id_prefix_registry
    FOR EACH ROW EXECUTE FUNCTION id_prefix_registry_mirror();
