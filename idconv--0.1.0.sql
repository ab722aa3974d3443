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
