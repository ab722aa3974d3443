-- idconv 0.4.0
\echo Use "CREATE EXTENSION idconv" to load this file. \quit

-- CUID2 ---------------------------------------------------------------------------------------

CREATE FUNCTION generate_cuid2(length int DEFAULT 24)
RETURNS text
AS 'MODULE_PATHNAME', 'generate_cuid2'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION generate_cuid2(int) IS
'A new CUID2 of the given length (2 to 32, default 24), made as @paralleldrive/cuid2 makes it, from a CSPRNG';

CREATE FUNCTION is_cuid2(id text, min_length int DEFAULT 2, max_length int DEFAULT 32)
RETURNS boolean
AS 'MODULE_PATHNAME', 'is_cuid2'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION is_cuid2(text, int, int) IS
'True when id matches ^[a-z][0-9a-z]+$ and its length is within [min_length, max_length]; never raises';

-- The per-backend generator's identity, to check that no two backends share a counter or a
-- fingerprint (see README "Guarantees"). For superusers, and whom they grant it to: the state
-- tells nothing secret, but nobody else needs it.
CREATE FUNCTION cuid2_generator_state(OUT pid int, OUT counter_start bigint, OUT counter_next bigint,
                                      OUT fingerprint text)
RETURNS record
AS 'MODULE_PATHNAME', 'cuid2_generator_state'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;

COMMENT ON FUNCTION cuid2_generator_state() IS
'This backend''s CUID2 generator: the pid it was made for, where its counter started, the counter''s next value, and its fingerprint; made now if it was not';

REVOKE ALL ON FUNCTION cuid2_generator_state() FROM PUBLIC;

-- Prefixed ids ---------------------------------------------------------------------------------

CREATE FUNCTION generate_prefixed_id(prefix text, body_length int DEFAULT 16)
RETURNS text
AS 'MODULE_PATHNAME', 'generate_prefixed_id'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION generate_prefixed_id(text, int) IS
'A new prefixed id: prefix, "_", and a CUID2 body of body_length characters (2 to 32, default 16)';

CREATE FUNCTION is_valid_prefix(prefix text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'is_valid_prefix'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION is_valid_prefix(text) IS
'True when prefix follows the TypeID prefix grammar: 1 to 63 characters of [a-z_], first and last a letter; never raises';

CREATE FUNCTION is_prefixed_id(id text, prefix text DEFAULT NULL, body_length int DEFAULT 16)
RETURNS boolean
AS 'MODULE_PATHNAME', 'is_prefixed_id'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION is_prefixed_id(text, text, int) IS
'True when id is a valid prefix, "_", and a CUID2 body of exactly body_length characters, with that prefix when one is given (NULL: any prefix); never raises';

CREATE FUNCTION prefixed_id_prefix(id text)
RETURNS text
AS 'MODULE_PATHNAME', 'prefixed_id_prefix'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION prefixed_id_prefix(text) IS
'The prefix of a prefixed id (the part before the last "_"), or NULL when id is not a prefixed id';

CREATE FUNCTION prefixed_id_body(id text)
RETURNS text
AS 'MODULE_PATHNAME', 'prefixed_id_body'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION prefixed_id_body(text) IS
'The CUID2 body of a prefixed id (the part after the last "_"), or NULL when id is not a prefixed id';

-- Canonical subject ids ------------------------------------------------------------------------

CREATE FUNCTION uuidv5(namespace uuid, name text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'uuidv5'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION uuidv5(uuid, text) IS
'RFC 9562 UUIDv5: SHA-1 over the namespace and the bytes of name in the database encoding; equals uuid-ossp''s uuid_generate_v5';

CREATE FUNCTION normalize_subject(subject text, namespace uuid)
RETURNS uuid
AS 'MODULE_PATHNAME', 'normalize_subject_in_namespace'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION normalize_subject(text, uuid) IS
'The canonical subject id: a subject in the 36-character UUID form (any case) as that UUID, any other as uuidv5(namespace, subject), bytes as given; an empty subject is an error';

CREATE FUNCTION normalize_subject(subject text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'normalize_subject'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION normalize_subject(text) IS
'normalize_subject(subject, namespace) with the namespace from the setting idconv.subject_namespace';

CREATE FUNCTION sha1_subject_uuid(subject text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'sha1_subject_uuid'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION sha1_subject_uuid(text) IS
'SHA-1 of the bare subject (no namespace), first 16 bytes, version 5 and RFC variant bits set: for matching rows stored by apps that used this mapping';

CREATE FUNCTION uuid_version(uuid)
RETURNS int
AS 'MODULE_PATHNAME', 'uuid_version'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION uuid_version(uuid) IS
'The version field of a UUID of the RFC 9562 variant, NULL for other variants (such as the nil and max UUIDs)';

CREATE FUNCTION current_subject_id()
RETURNS uuid
AS 'MODULE_PATHNAME', 'current_subject_id'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION current_subject_id() IS
'The canonical id of the request''s subject: the sub of request.jwt.claims, else request.jwt.claim.sub, else the setting named by idconv.subject_setting, normalized with normalize_subject(text); NULL when there is none';

CREATE FUNCTION stamp_subject()
RETURNS trigger
AS 'MODULE_PATHNAME', 'stamp_subject'
LANGUAGE C;

COMMENT ON FUNCTION stamp_subject() IS
'Row trigger declared twice, with the owner column as argument: BEFORE INSERT OR UPDATE sets the column to current_subject_id() on INSERT and refuses changes on UPDATE; AFTER INSERT OR UPDATE OR DELETE checks the stored rows (no later trigger changed the owner or moved the row to another partition). Members of idconv.owner_admin_role are exempt (logged)';

-- Prefix registry --------------------------------------------------------------------------------

CREATE TABLE id_prefixes (
    entity      text PRIMARY KEY CHECK (octet_length(entity) BETWEEN 1 AND 63),
    prefix      text NOT NULL UNIQUE CHECK (is_valid_prefix(prefix)),
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    body        text NOT NULL DEFAULT 'cuid2' CHECK (body IN ('cuid2', 'typeid'))
);
COMMENT ON TABLE id_prefixes IS
'idconv''s prefix registry: which entity each id prefix stands for, and whether its ids are prefixed CUID2s or TypeIDs (see register_prefix, generate_id_for, entity_of)';
GRANT SELECT ON id_prefixes TO PUBLIC;
-- A trusted extension: when a database owner who is not a superuser installs it, the objects are
-- owned by the bootstrap superuser, so the installing role is given the right to manage the
-- registry (register_prefix writes it as its caller) and to pass that right on.
GRANT SELECT, INSERT, UPDATE, DELETE ON id_prefixes TO @extowner@ WITH GRANT OPTION;
-- Rows belong to the database, not to the extension: pg_dump keeps them.
SELECT pg_catalog.pg_extension_config_dump('id_prefixes', '');

CREATE FUNCTION id_prefixes_invalidate()
RETURNS trigger
AS 'MODULE_PATHNAME', 'id_prefixes_invalidate'
LANGUAGE C;

COMMENT ON FUNCTION id_prefixes_invalidate() IS
'Trigger on id_prefixes (for each row, and for each statement on TRUNCATE): tells every backend to drop its cached copy of the registry';

-- For each row, not each statement: a logical replication subscriber's apply worker fires row
-- triggers only. TRUNCATE has no row triggers; the apply worker fires its statement triggers.
CREATE TRIGGER id_prefixes_invalidate
AFTER INSERT OR UPDATE OR DELETE ON id_prefixes
FOR EACH ROW EXECUTE FUNCTION id_prefixes_invalidate();
CREATE TRIGGER id_prefixes_invalidate_truncate
AFTER TRUNCATE ON id_prefixes
FOR EACH STATEMENT EXECUTE FUNCTION id_prefixes_invalidate();
-- Also under session_replication_role = replica: the apply worker runs in it, and so do loads
-- that turn the other triggers off that way.
ALTER TABLE id_prefixes ENABLE ALWAYS TRIGGER id_prefixes_invalidate;
ALTER TABLE id_prefixes ENABLE ALWAYS TRIGGER id_prefixes_invalidate_truncate;

CREATE FUNCTION register_prefix(entity text, prefix text, description text DEFAULT NULL, body text DEFAULT 'cuid2')
RETURNS text
AS 'MODULE_PATHNAME', 'register_prefix'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION register_prefix(text, text, text, text) IS
'Registers the prefix of an entity in id_prefixes and returns it; body is ''cuid2'' (prefixed CUID2 ids) or ''typeid'' (TypeIDs); an invalid prefix or body is an error, and so is an entity or prefix already registered';

CREATE FUNCTION generate_id_for(entity text)
RETURNS text
AS 'MODULE_PATHNAME', 'generate_id_for'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION generate_id_for(text) IS
'A new id with the prefix registered for the entity, with the body registered for it: a 16-character CUID2 or a TypeID; an unregistered entity is an error';

CREATE FUNCTION entity_of(id text)
RETURNS text
AS 'MODULE_PATHNAME', 'entity_of'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION entity_of(text) IS
'The entity whose registered prefix the id carries, for a prefixed CUID2 or a TypeID alike, or NULL';

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

-- Classification and audits ----------------------------------------------------------------------

CREATE FUNCTION id_kind(id text)
RETURNS text
AS 'MODULE_PATHNAME', 'id_kind'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION id_kind(text) IS
'What kind of id the text is, first match wins: uuid, prefixed, integer, typeid, cuid, cuid2, slug, token, other';

-- In C: it reads the table as its owner, in a security-restricted operation (src/pg/classify.cpp).
CREATE FUNCTION audit_id_column(tbl regclass, col name)
RETURNS TABLE (kind text, rows bigint, example text)
AS 'MODULE_PATHNAME', 'audit_id_column'
LANGUAGE C STABLE STRICT;

COMMENT ON FUNCTION audit_id_column(regclass, name) IS
'One row per id_kind found in the column: the kind (NULL for NULL values), how many rows, and the smallest value as an example; reads the table as its owner, in a security-restricted operation';

CREATE FUNCTION audit_subject_references(schema_name name DEFAULT NULL, profiles regclass DEFAULT NULL)
RETURNS TABLE (table_name regclass, column_name name, data_type text, problem text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
SET standard_conforming_strings = on
AS $$
    WITH refs AS (
        -- User references: the forbidden names, and subject_id / *_subject_id. A column that is
        -- its table's whole primary key is the source of truth, not a reference.
        SELECT c.oid AS relid, a.attnum, a.attname, a.atttypid, a.atttypmod,
               coalesce(nullif(t.typbasetype, 0), t.oid) AS basetype
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        JOIN pg_type t ON t.oid = a.atttypid
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND (CASE WHEN schema_name IS NULL
                    THEN n.nspname NOT IN ('pg_catalog', 'information_schema')
                         AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
                    ELSE n.nspname = schema_name END)
          AND (a.attname IN ('user_id', 'created_by', 'owner_id', 'subject_id')
               OR a.attname LIKE '%\_subject\_id')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                          WHERE k.conrelid = c.oid AND k.contype = 'p' AND k.conkey = ARRAY[a.attnum])
    ), problems AS (
        SELECT r.*, 'forbidden_name' AS problem FROM refs r
        WHERE r.attname IN ('user_id', 'created_by', 'owner_id')
        UNION ALL
        SELECT r.*, 'not_uuid' FROM refs r
        WHERE r.basetype <> 'uuid'::regtype
        UNION ALL
        SELECT r.*, 'no_foreign_key' FROM refs r
        WHERE NOT EXISTS (SELECT 1 FROM pg_constraint f
                          WHERE f.conrelid = r.relid AND f.contype = 'f' AND r.attnum = ANY (f.conkey)
                            AND (profiles IS NULL OR f.confrelid = profiles))
        UNION ALL
        SELECT r.*, 'no_index' FROM refs r
        WHERE NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = r.relid AND i.indkey[0] = r.attnum)
    )
    SELECT relid::regclass, attname, format_type(atttypid, atttypmod), problem
    FROM problems
    ORDER BY relid::regclass::text, attname, problem
$$;

COMMENT ON FUNCTION audit_subject_references(name, regclass) IS
'One row per problem with a user-reference column: forbidden_name (user_id, created_by, owner_id), not_uuid, no_foreign_key (to profiles when given), no_index';

-- Tenant slugs -----------------------------------------------------------------------------------

CREATE FUNCTION is_slug(text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'is_slug'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION is_slug(text) IS
'True when the text is 1 to 63 characters of [a-z0-9] runs joined by single "-", with no "-" at either end; never raises';

CREATE FUNCTION slugify(text)
RETURNS text
AS 'MODULE_PATHNAME', 'slugify'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION slugify(text) IS
'A slug of the text: lower-case, Latin diacritics folded to ASCII, other runs of characters as one "-", cut to 63 on a word boundary; NULL when nothing is left';

-- Deferred checks --------------------------------------------------------------------------------

CREATE FUNCTION require_filled_at_commit()
RETURNS trigger
AS 'MODULE_PATHNAME', 'require_filled_at_commit'
LANGUAGE C;

COMMENT ON FUNCTION require_filled_at_commit() IS
'Constraint trigger (AFTER INSERT OR UPDATE, DEFERRABLE INITIALLY DEFERRED, FOR EACH ROW); arguments: a column, then optionally an exemption column and its exempt values. At commit the column must not be NULL unless exempt';

-- Time-ordered ids: UUIDv7 and TypeID -----------------------------------------------------------

CREATE FUNCTION uuid_generate_v7()
RETURNS uuid
AS 'MODULE_PATHNAME', 'uuid_generate_v7'
LANGUAGE C VOLATILE PARALLEL SAFE;

COMMENT ON FUNCTION uuid_generate_v7() IS
'A new RFC 9562 version 7 UUID: Unix milliseconds, a 12-bit fraction of the millisecond, 62 bits from a CSPRNG; each greater than the one this backend made before, as PostgreSQL 18''s uuidv7()';

CREATE FUNCTION uuid_v7_to_timestamptz(id uuid)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'uuid_v7_to_timestamptz'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION uuid_v7_to_timestamptz(uuid) IS
'The time a version 7 UUID carries, to the millisecond; NULL when the UUID is not version 7 of the RFC 9562 variant';

-- STABLE as in pg_uuidv7: a bound such as id >= uuid_timestamptz_to_v7('2026-12-01', true) is
-- computed once and can use an index; only the random bits below the time vary between calls.
CREATE FUNCTION uuid_timestamptz_to_v7(ts timestamptz, zero boolean DEFAULT false)
RETURNS uuid
AS 'MODULE_PATHNAME', 'uuid_timestamptz_to_v7'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION uuid_timestamptz_to_v7(timestamptz, boolean) IS
'A version 7 UUID for the time ts (milliseconds and their 12-bit fraction), with random bits below it, or zero bits when zero is true: the lowest such UUID, for range scans; a time before 1970 or after 10889 is an error';

CREATE FUNCTION generate_typeid(prefix text DEFAULT '')
RETURNS text
AS 'MODULE_PATHNAME', 'generate_typeid'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION generate_typeid(text) IS
'A new TypeID (spec 0.3.0): the prefix, "_" unless the prefix is empty, and a new uuid_generate_v7() in 26 characters of base32; an invalid prefix is an error';

CREATE FUNCTION is_typeid(id text, prefix text DEFAULT NULL)
RETURNS boolean
AS 'MODULE_PATHNAME', 'is_typeid'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION is_typeid(text, text) IS
'True when id is a TypeID (spec 0.3.0), with that prefix when one is given ('''' for none; NULL: any prefix); never raises';

CREATE FUNCTION typeid_to_uuid(id text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'typeid_to_uuid'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION typeid_to_uuid(text) IS
'The UUID a TypeID encodes (any version); anything that is not a TypeID is an error (22P02)';

CREATE FUNCTION uuid_to_typeid(prefix text, id uuid)
RETURNS text
AS 'MODULE_PATHNAME', 'uuid_to_typeid'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION uuid_to_typeid(text, uuid) IS
'The TypeID of a UUID of any version with the prefix ('''' for none); an invalid prefix is an error';

CREATE FUNCTION typeid_prefix(id text)
RETURNS text
AS 'MODULE_PATHNAME', 'typeid_prefix'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION typeid_prefix(text) IS
'The prefix of a TypeID ('''' for an unprefixed one), or NULL when id is not a TypeID';
