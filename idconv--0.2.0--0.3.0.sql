-- idconv 0.2.0 -> 0.3.0
\echo Use "ALTER EXTENSION idconv UPDATE TO '0.3.0'" to load this file. \quit

-- Prefix registry: invalidate for each row (a logical replication subscriber's apply worker fires
-- row triggers only), and for each statement on TRUNCATE.
DROP TRIGGER id_prefixes_invalidate ON id_prefixes;
COMMENT ON FUNCTION id_prefixes_invalidate() IS
'Trigger on id_prefixes (for each row, and for each statement on TRUNCATE): tells every backend to drop its cached copy of the registry';
CREATE TRIGGER id_prefixes_invalidate
AFTER INSERT OR UPDATE OR DELETE ON id_prefixes
FOR EACH ROW EXECUTE FUNCTION id_prefixes_invalidate();
CREATE TRIGGER id_prefixes_invalidate_truncate
AFTER TRUNCATE ON id_prefixes
FOR EACH STATEMENT EXECUTE FUNCTION id_prefixes_invalidate();
ALTER TABLE id_prefixes ENABLE ALWAYS TRIGGER id_prefixes_invalidate;
ALTER TABLE id_prefixes ENABLE ALWAYS TRIGGER id_prefixes_invalidate_truncate;

-- stamp_subject is now declared twice on a table (BEFORE, and AFTER to check the stored rows).
COMMENT ON FUNCTION stamp_subject() IS
'Row trigger declared twice, with the owner column as argument: BEFORE INSERT OR UPDATE sets the column to current_subject_id() on INSERT and refuses changes on UPDATE; AFTER INSERT OR UPDATE OR DELETE checks the stored rows (no later trigger changed the owner or moved the row to another partition). Members of idconv.owner_admin_role are exempt (logged)';

-- audit_id_column reads the table as its owner, in a security-restricted operation (C).
CREATE OR REPLACE FUNCTION audit_id_column(tbl regclass, col name)
RETURNS TABLE (kind text, rows bigint, example text)
AS 'MODULE_PATHNAME', 'audit_id_column'
LANGUAGE C STABLE STRICT;

COMMENT ON FUNCTION audit_id_column(regclass, name) IS
'One row per id_kind found in the column: the kind (NULL for NULL values), how many rows, and the smallest value as an example; reads the table as its owner, in a security-restricted operation';

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

-- Classification ---------------------------------------------------------------------------------

COMMENT ON FUNCTION id_kind(text) IS
'What kind of id the text is, first match wins: uuid, prefixed, integer, typeid, cuid, cuid2, slug, token, other';

-- Prefix registry: an entity's ids are prefixed CUID2s (as before) or TypeIDs -------------------

ALTER TABLE id_prefixes ADD COLUMN body text NOT NULL DEFAULT 'cuid2' CHECK (body IN ('cuid2', 'typeid'));

COMMENT ON TABLE id_prefixes IS
'idconv''s prefix registry: which entity each id prefix stands for, and whether its ids are prefixed CUID2s or TypeIDs (see register_prefix, generate_id_for, entity_of)';

-- A fourth argument with a default cannot sit beside the three-argument function (a call with two
-- or three would be ambiguous): the function is replaced.
DROP FUNCTION register_prefix(text, text, text);

CREATE FUNCTION register_prefix(entity text, prefix text, description text DEFAULT NULL, body text DEFAULT 'cuid2')
RETURNS text
AS 'MODULE_PATHNAME', 'register_prefix'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION register_prefix(text, text, text, text) IS
'Registers the prefix of an entity in id_prefixes and returns it; body is ''cuid2'' (prefixed CUID2 ids) or ''typeid'' (TypeIDs); an invalid prefix or body is an error, and so is an entity or prefix already registered';

COMMENT ON FUNCTION generate_id_for(text) IS
'A new id with the prefix registered for the entity, with the body registered for it: a 16-character CUID2 or a TypeID; an unregistered entity is an error';

COMMENT ON FUNCTION entity_of(text) IS
'The entity whose registered prefix the id carries, for a prefixed CUID2 or a TypeID alike, or NULL';
