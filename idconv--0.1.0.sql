-- idconv 0.1.0
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
'BEFORE INSERT OR UPDATE row trigger; argument: the owner column. Sets it to current_subject_id() on INSERT and refuses changes on UPDATE, except for members of idconv.owner_admin_role (logged)';
