-- idconv's SQL, written once for both editions. src/sql/build.py makes of it:
--   idconv--VERSION.sql   the extension's install script (`make`; not committed: DATA_built)
--   portable/idconv.sql   the portable edition (`make portable`; committed, and
--                         test/packaging/run fails when it differs from a fresh build)
-- The upgrade scripts (idconv--A--B.sql) stay hand-written: a change here that an installed
-- extension must see goes into the current upgrade script too (test/upgrade/run checks that an
-- updated extension equals a fresh install).
--
-- The file is a list of chunks. A line `--% DIRECTIVE ARGUMENT` starts one; the lines up to the
-- next directive are its text (blank lines around a chunk are layout). This comment, before the
-- first directive, is not copied.
--
--   --% section TITLE        a "-- TITLE -----" rule in both editions
--   --% extension            text copied into the install script only, as it is (comments,
--                            GRANTs, triggers...: whole statements, each ending with ";")
--   --% portable             the portable edition only: leading comment lines as they are, the
--                            rest (when there is one) one statement, without ";"
--   --% both                 one statement for both editions, without ";"
--
-- An object is a function or table directive and the field directives after it:
--
--   --% function NAME(ARGUMENTS)     the signature as CREATE FUNCTION takes it (it may go on in
--                                    the lines below); COMMENT ON FUNCTION gets the argument
--                                    types from it, so each argument is `name type` or a type
--                                    of one word
--   --% returns TYPE                  what follows RETURNS
--   --% markings MARKINGS            what follows LANGUAGE x: volatility, STRICT, PARALLEL...
--                                    (nothing, for a trigger function)
--   --% comment                      its COMMENT, the SQL literal ('...', quotes doubled)
--   --% portable-comment             the portable edition's COMMENT where it must differ
--   --% extension-body C SYMBOL      the extension's body: the C function in MODULE_PATHNAME
--   --% extension-body LANGUAGE      ... or one in SQL or PL/pgSQL: the lines after LANGUAGE
--                                    (SET ..., AS $$ ... $$)
--   --% portable-body LANGUAGE       the portable edition's body, likewise
--   --% body LANGUAGE                one body for both editions, likewise
--
-- A function with no portable body is the extension's only, and one with no extension body (the
-- _idconv_* helpers) the portable edition's only. For a table, `--% table NAME`, `--% body` (its
-- columns and constraints, the lines between the parentheses) and `--% comment`.
--
-- Text for both editions names the edition's own objects as @schema@.name: the portable edition
-- fills in its schema, the extension drops the qualification (its objects are found through
-- search_path, as in any install script). The portable bodies may use the placeholders of
-- src/sql/portable.sql's block (@crypto@, @construct@, @is_uuid_text:X@...), which it fills in
-- at install time; the frame of that block (its DO, the Latin fold table, which comes from
-- src/core/tables/latin_fold.inc) is src/sql/portable.sql.
--
-- To add a function: one `--% function` object here, with the extension's body, the portable
-- body (or a line in docs/hosted.md saying why there is none) and the COMMENT once; the same
-- CREATE FUNCTION and COMMENT in the current upgrade script; `make && make portable`.

--% section CUID2

--% portable
-- A caller's value as the extension's messages show it: at most 80 bytes, cut on a character
-- boundary, "..." when cut.

--% function _idconv_shown(value text)
--% returns text
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'idconv portable: a value as messages show it, cut to 80 bytes'
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cut text;
BEGIN
    IF octet_length(value) <= 80 THEN
        RETURN value;
    END IF;
    cut := left(value, 80);
    WHILE octet_length(cut) > 80 LOOP
        cut := left(cut, -1);
    END LOOP;
    RETURN cut || '...';
END
$$

--% portable
-- A non-negative bigint in base 36, as JavaScript's toString(36) writes it. Inlined into its
-- caller (a SQL function of one expression).

--% function _idconv_base36(v bigint)
--% returns text
--% markings IMMUTABLE PARALLEL SAFE
--% comment
'idconv portable: a non-negative bigint in base 36'
--% portable-body sql
AS $$
SELECT COALESCE(NULLIF(pg_catalog.ltrim(pg_catalog.encode(
           pg_catalog.substring(@pairs@, ((v OPERATOR(pg_catalog./) 4738381338321616896::pg_catalog.int8)::pg_catalog.int4
                                          OPERATOR(pg_catalog.*) 2 OPERATOR(pg_catalog.+) 2), 1)
           OPERATOR(pg_catalog.||) @pairs6:(v OPERATOR(pg_catalog.%) 4738381338321616896::pg_catalog.int8)@,
           'escape'), '0'), ''), '0')
$$

--% portable
-- The CUID2 construction, as src/core/cuid2.cpp (and @paralleldrive/cuid2 3.3.0) make it:
--   letter + base36(SHA3-512(base36(time_ms) || salt || base36(counter) || fingerprint))[2 .. length]
-- with the digest read as a big-endian integer. The block writes it out (@construct@) in each
-- generator, so that an id costs one PL/pgSQL call; this function runs the same statements on
-- given inputs, and is checked against test/unit/vectors/cuid2.tsv, the vectors the extension's
-- unit tests check.

--% function _idconv_cuid2_construct(letter text, time_ms bigint, salt text,
                                                           counter bigint, fingerprint text, length int)
--% returns text
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'idconv portable: the CUID2 construction from its inputs (letter, time in ms, salt, counter, fingerprint, length)'
--% portable-body plpgsql
AS $$
DECLARE
    @construct_variables@
BEGIN
    IF length OPERATOR(pg_catalog.<) 2 OR length OPERATOR(pg_catalog.>) 32 THEN
        RAISE EXCEPTION 'CUID2 length % is out of range', length
            USING ERRCODE = 'invalid_parameter_value', DETAIL = 'The length must be between 2 and 32.';
    END IF;
    IF time_ms OPERATOR(pg_catalog.<) 0 OR counter OPERATOR(pg_catalog.<) 0 THEN
        RAISE EXCEPTION 'the time and the counter of a CUID2 must not be negative'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    c_time := time_ms;
    c_counter := counter;
    c_length := length;
    head := '';
    @construct@
END
$$

--% function generate_cuid2(length int DEFAULT 24)
--% returns text
--% markings VOLATILE STRICT PARALLEL SAFE
--% comment
'A new CUID2 of the given length (2 to 32, default 24), made as @paralleldrive/cuid2 makes it, from a CSPRNG'
--% extension-body C generate_cuid2
--% portable-body plpgsql
AS $$
DECLARE
    @construct_variables@
BEGIN
    IF length OPERATOR(pg_catalog.<) 2 OR length OPERATOR(pg_catalog.>) 32 THEN
        RAISE EXCEPTION 'CUID2 length % is out of range', length
            USING ERRCODE = 'invalid_parameter_value', DETAIL = 'The length must be between 2 and 32.';
    END IF;
    c_length := length;
    head := '';
    @random_inputs@
    @construct_random@
END
$$

--% function is_cuid2(id text, min_length int DEFAULT 2, max_length int DEFAULT 32)
--% returns boolean
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'True when id matches ^[a-z][0-9a-z]+$ and its length is within [min_length, max_length]; never raises'
--% extension-body C is_cuid2
--% portable-body sql
AS $$
-- One expression of strict parts only, so that PostgreSQL inlines it. The pattern reads the id
-- only when it is no longer than max_length (repeat(id, 0) is ''), so a long text costs nothing,
-- and never when it is 268,435,455 bytes or more: a regular expression needs 4 bytes a character
-- in one allocation of at most 1 GB. For booleans, a > b is "a and not b".
SELECT pg_catalog.repeat(id, ((pg_catalog.octet_length(id) OPERATOR(pg_catalog.<=) max_length)
                              OPERATOR(pg_catalog.>) (pg_catalog.octet_length(id) OPERATOR(pg_catalog.>=) 268435455))::pg_catalog.int4)
         COLLATE pg_catalog."C" OPERATOR(pg_catalog.~) '^[a-z][0-9a-z]+$'
       OPERATOR(pg_catalog.>) (pg_catalog.octet_length(id) OPERATOR(pg_catalog.<) min_length)
$$

--% extension
-- The per-backend generator's identity, to check that no two backends share a counter or a
-- fingerprint (see README "Guarantees"). For superusers, and whom they grant it to: the state
-- tells nothing secret, but nobody else needs it.

--% function cuid2_generator_state(OUT pid int, OUT counter_start bigint, OUT counter_next bigint,
                                      OUT fingerprint text)
--% returns record
--% markings VOLATILE PARALLEL RESTRICTED
--% comment
'This backend''s CUID2 generator: the pid it was made for, where its counter started, the counter''s next value, and its fingerprint; made now if it was not'
--% extension-body C cuid2_generator_state

--% extension
REVOKE ALL ON FUNCTION cuid2_generator_state() FROM PUBLIC;

--% section Prefixed ids

--% function generate_prefixed_id(prefix text, body_length int DEFAULT 16)
--% returns text
--% markings VOLATILE STRICT PARALLEL SAFE
--% comment
'A new prefixed id: prefix, "_", and a CUID2 body of body_length characters (2 to 32, default 16)'
--% extension-body C generate_prefixed_id
--% portable-body plpgsql
AS $$
DECLARE
    @construct_variables@
BEGIN
    IF NOT @schema@.is_valid_prefix(prefix) THEN
        RAISE EXCEPTION 'invalid prefix "%"', @schema@._idconv_shown(prefix)
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A prefix is 1 to 63 characters of lowercase a-z and "_", and starts and ends with a letter.';
    END IF;
    IF body_length OPERATOR(pg_catalog.<) 2 OR body_length OPERATOR(pg_catalog.>) 32 THEN
        RAISE EXCEPTION 'body length % is out of range', body_length
            USING ERRCODE = 'invalid_parameter_value', DETAIL = 'The length must be between 2 and 32.';
    END IF;
    c_length := body_length;
    head := prefix OPERATOR(pg_catalog.||) '_';
    @random_inputs@
    @construct_random@
END
$$

--% function is_valid_prefix(prefix text)
--% returns boolean
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'True when prefix follows the TypeID prefix grammar: 1 to 63 characters of [a-z_], first and last a letter; never raises'
--% extension-body C is_valid_prefix
--% portable-body sql
AS $$
-- A text over 63 bytes is not one: the pattern then reads '' (repeat(prefix, 0)), which it
-- rejects, so a long text costs nothing. (No bounded repetition in the pattern: PostgreSQL's
-- regular expressions expand it into a much slower automaton.)
SELECT pg_catalog.repeat(prefix, (pg_catalog.octet_length(prefix) OPERATOR(pg_catalog.<=) 63)::pg_catalog.int4)
         COLLATE pg_catalog."C" OPERATOR(pg_catalog.~) '^[a-z](?:[a-z_]*[a-z])?$'
$$

--% portable
-- A prefixed id is at most 96 bytes (63 + 1 + 32). The body has no "_", so the "_" before it is
-- the last one. With a prefix given (a CHECK's usual form) the id must start with that prefix and
-- "_", and the rest be a body: a pattern that begins with the prefix's letters runs several times
-- slower in PostgreSQL's regular expressions than one on the body alone.

--% function is_prefixed_id(id text, prefix text DEFAULT NULL, body_length int DEFAULT 16)
--% returns boolean
--% markings IMMUTABLE PARALLEL SAFE
--% comment
'True when id is a valid prefix, "_", and a CUID2 body of exactly body_length characters, with that prefix when one is given (NULL: any prefix); never raises'
--% extension-body C is_prefixed_id
--% portable-body sql
AS $$
SELECT CASE
    WHEN id IS NULL OR body_length IS NULL THEN NULL
    WHEN prefix IS NULL THEN
        pg_catalog.octet_length(id) OPERATOR(pg_catalog.<=) 96
        AND body_length OPERATOR(pg_catalog.>=) 2 AND body_length OPERATOR(pg_catalog.<=) 32
        AND pg_catalog.octet_length(pg_catalog.split_part(id, '_', -1)) OPERATOR(pg_catalog.=) body_length
        AND (pg_catalog.octet_length(id) OPERATOR(pg_catalog.-) body_length) OPERATOR(pg_catalog.<=) 64
        AND id COLLATE pg_catalog."C" OPERATOR(pg_catalog.~) '^[a-z](?:[a-z_]*[a-z])?_[a-z][0-9a-z]+$'
    ELSE
        pg_catalog.octet_length(id) OPERATOR(pg_catalog.=) ((pg_catalog.octet_length(prefix)::pg_catalog.int8 OPERATOR(pg_catalog.+) 1) OPERATOR(pg_catalog.+) body_length)
        AND body_length OPERATOR(pg_catalog.>=) 2 AND body_length OPERATOR(pg_catalog.<=) 32
        AND @schema@.is_valid_prefix(prefix)
        AND pg_catalog.starts_with(id COLLATE pg_catalog."C", prefix OPERATOR(pg_catalog.||) '_')
        AND pg_catalog.substr(id, pg_catalog.octet_length(prefix) OPERATOR(pg_catalog.+) 2) COLLATE pg_catalog."C" OPERATOR(pg_catalog.~) '^[a-z][0-9a-z]+$'
END
$$

--% function prefixed_id_prefix(id text)
--% returns text
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'The prefix of a prefixed id (the part before the last "_"), or NULL when id is not a prefixed id'
--% extension-body C prefixed_id_prefix
--% portable-body plpgsql
AS $$
DECLARE
    body_length constant int := pg_catalog.octet_length(pg_catalog.split_part(pg_catalog.left(id, 97), '_', -1));
BEGIN
    IF @schema@.is_prefixed_id(id, NULL, body_length) THEN
        RETURN pg_catalog.left(id, -(body_length + 1));
    END IF;
    RETURN NULL;
END
$$

--% function prefixed_id_body(id text)
--% returns text
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'The CUID2 body of a prefixed id (the part after the last "_"), or NULL when id is not a prefixed id'
--% extension-body C prefixed_id_body
--% portable-body plpgsql
AS $$
DECLARE
    body constant text := pg_catalog.split_part(pg_catalog.left(id, 97), '_', -1);
BEGIN
    IF @schema@.is_prefixed_id(id, NULL, pg_catalog.octet_length(body)) THEN
        RETURN body;
    END IF;
    RETURN NULL;
END
$$

--% section Canonical subject ids

--% portable
-- SHA-1 over the namespace's 16 bytes and the name's bytes in the database encoding
-- (convert_to(…, 'SQL_ASCII') hands them over unconverted).

--% function uuidv5(namespace uuid, name text)
--% returns uuid
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'RFC 9562 UUIDv5: SHA-1 over the namespace and the bytes of name in the database encoding; equals uuid-ossp''s uuid_generate_v5'
--% extension-body C uuidv5
--% portable-body plpgsql
AS $$
DECLARE
    h constant bytea := @crypto@.digest(pg_catalog.uuid_send(namespace) OPERATOR(pg_catalog.||)
                                        pg_catalog.convert_to(name, 'SQL_ASCII'), 'sha1');
BEGIN
    RETURN @v5_of:h@;
END
$$

--% function normalize_subject(subject text, namespace uuid)
--% returns uuid
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'The canonical subject id: a subject in the 36-character UUID form (any case) as that UUID, any other as uuidv5(namespace, subject), bytes as given; an empty subject is an error'
--% extension-body C normalize_subject_in_namespace
--% portable-body plpgsql
AS $$
DECLARE
    h bytea;
BEGIN
    IF pg_catalog.octet_length(subject) OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'subject must not be empty'
            USING ERRCODE = 'invalid_parameter_value', DETAIL = 'An empty subject names nobody, so it has no canonical id.';
    END IF;
    IF @is_uuid_text:subject@ THEN
        RETURN pg_catalog.uuid_in(pg_catalog.textout(subject));
    END IF;
    h := @crypto@.digest(pg_catalog.uuid_send(namespace) OPERATOR(pg_catalog.||)
                         pg_catalog.convert_to(subject, 'SQL_ASCII'), 'sha1');
    RETURN @v5_of:h@;
END
$$

--% portable
-- The namespace from idconv.subject_namespace, or the extension's error for it.

--% function _idconv_namespace()
--% returns uuid
--% markings STABLE PARALLEL SAFE
--% comment
'idconv portable: the namespace UUID from idconv.subject_namespace, or an error saying how to set it'
--% portable-body plpgsql
AS $$
DECLARE
    value constant text := pg_catalog.current_setting('idconv.subject_namespace', true);
BEGIN
    IF value IS NULL OR value OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'idconv.subject_namespace is not set'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Subjects that are not UUIDs are mapped to UUIDv5 in this namespace.',
                  HINT = pg_catalog.format('Choose a namespace UUID once and keep it: ALTER DATABASE %s SET idconv.subject_namespace = ''<namespace uuid>''; then reconnect.',
                                           pg_catalog.quote_ident(pg_catalog.current_database()));
    END IF;
    IF NOT @is_uuid_text:value@ THEN
        RAISE EXCEPTION 'invalid value for idconv.subject_namespace: "%"', value
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The namespace must be a UUID in its 36-character form.',
                  HINT = pg_catalog.format('Choose a namespace UUID once and keep it: ALTER DATABASE %s SET idconv.subject_namespace = ''<namespace uuid>''; then reconnect.',
                                           pg_catalog.quote_ident(pg_catalog.current_database()));
    END IF;
    RETURN pg_catalog.uuid_in(pg_catalog.textout(value));
END
$$

--% function normalize_subject(subject text)
--% returns uuid
--% markings STABLE STRICT PARALLEL SAFE
--% comment
'normalize_subject(subject, namespace) with the namespace from the setting idconv.subject_namespace'
--% extension-body C normalize_subject
--% portable-body plpgsql
AS $$
DECLARE
    namespace constant text := pg_catalog.current_setting('idconv.subject_namespace', true);
    h bytea;
BEGIN
    -- An empty subject is the caller's mistake whatever the setting says: reported first.
    IF pg_catalog.octet_length(subject) OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'subject must not be empty'
            USING ERRCODE = 'invalid_parameter_value', DETAIL = 'An empty subject names nobody, so it has no canonical id.';
    END IF;
    -- A setting that is not a namespace: _idconv_namespace() says so.
    IF NOT COALESCE(@is_uuid_text:namespace@, false) THEN
        RETURN @schema@.normalize_subject(subject, @schema@._idconv_namespace());
    END IF;
    IF @is_uuid_text:subject@ THEN
        RETURN pg_catalog.uuid_in(pg_catalog.textout(subject));
    END IF;
    h := @crypto@.digest(pg_catalog.decode(pg_catalog.replace(namespace, '-', ''), 'hex') OPERATOR(pg_catalog.||)
                         pg_catalog.convert_to(subject, 'SQL_ASCII'), 'sha1');
    RETURN @v5_of:h@;
END
$$

--% function sha1_subject_uuid(subject text)
--% returns uuid
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'SHA-1 of the bare subject (no namespace), first 16 bytes, version 5 and RFC variant bits set: for matching rows stored by apps that used this mapping'
--% extension-body C sha1_subject_uuid
--% portable-body plpgsql
AS $$
DECLARE
    h constant bytea := @crypto@.digest(pg_catalog.convert_to(subject, 'SQL_ASCII'), 'sha1');
BEGIN
    RETURN @v5_of:h@;
END
$$

--% function uuid_version(uuid)
--% returns int
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'The version field of a UUID of the RFC 9562 variant, NULL for other variants (such as the nil and max UUIDs)'
--% extension-body C uuid_version
--% portable-body plpgsql
AS $$
DECLARE
    b constant bytea := pg_catalog.uuid_send($1);
BEGIN
    IF (pg_catalog.get_byte(b, 8) OPERATOR(pg_catalog.&) 192) OPERATOR(pg_catalog.<>) 128 THEN
        RETURN NULL;
    END IF;
    RETURN pg_catalog.get_byte(b, 6) OPERATOR(pg_catalog.>>) 4;
END
$$

--% portable
-- The request's subject: the sub of request.jwt.claims, else request.jwt.claim.sub, else the
-- setting named by idconv.subject_setting. Claims that are not JSON raise PostgreSQL's own json
-- error (22P02, as the extension's): catching it to reword it would take a subtransaction, which
-- a parallel worker (where a policy's current_subject_id() may run) cannot start.

--% function current_subject_id()
--% returns uuid
--% markings STABLE PARALLEL SAFE
--% comment
'The canonical id of the request''s subject: the sub of request.jwt.claims, else request.jwt.claim.sub, else the setting named by idconv.subject_setting, normalized with normalize_subject(text); NULL when there is none'
--% extension-body C current_subject_id
--% portable-body plpgsql
AS $$
DECLARE
    claims constant text := pg_catalog.current_setting('request.jwt.claims', true);
    j json;
    sub text;
    setting text;
BEGIN
    IF claims OPERATOR(pg_catalog.<>) '' THEN
        j := pg_catalog.json_in(pg_catalog.textout(claims));
        -- json_in keeps escapes as written; reading a member decodes them, and a \u0000 anywhere
        -- would then be PostgreSQL's 22P05. The extension reports it as unreadable claims (22P02).
        IF pg_catalog.strpos(claims, '\u0000') > 0 AND claims ~ '(^|[^\\])(\\\\)*\\u0000' THEN
            RAISE EXCEPTION 'request.jwt.claims is not valid JSON'
                USING ERRCODE = 'invalid_text_representation', DETAIL = '\u0000 cannot be converted to text.';
        END IF;
        IF pg_catalog.json_typeof(j) OPERATOR(pg_catalog.<>) 'object' THEN
            RAISE EXCEPTION 'request.jwt.claims is not a JSON object' USING ERRCODE = 'invalid_text_representation';
        END IF;
        -- Reading a member decodes the object's \u escapes. In an SQL_ASCII database one of a
        -- character past ASCII is PostgreSQL's 0A000 before 17 and its 22P05 from 17 on; the
        -- extension's is 0A000. (Checked only there: the block costs a subtransaction.)
        IF pg_catalog.getdatabaseencoding() OPERATOR(pg_catalog.=) 'SQL_ASCII' THEN
            BEGIN
                PERFORM pg_catalog.json_typeof(j OPERATOR(pg_catalog.->) 'sub');
            EXCEPTION WHEN untranslatable_character OR feature_not_supported THEN
                RAISE EXCEPTION 'conversion between UTF8 and SQL_ASCII is not supported' USING ERRCODE = 'feature_not_supported';
            END;
        END IF;
        CASE pg_catalog.json_typeof(j OPERATOR(pg_catalog.->) 'sub')
            WHEN 'string' THEN
                sub := j OPERATOR(pg_catalog.->>) 'sub';
            WHEN 'null' THEN
                NULL;
            ELSE
                IF (j OPERATOR(pg_catalog.->) 'sub') IS NOT NULL THEN
                    RAISE EXCEPTION 'the "sub" claim in request.jwt.claims is not a JSON string'
                        USING ERRCODE = 'invalid_text_representation';
                END IF;
        END CASE;
    END IF;
    IF sub IS NULL OR sub OPERATOR(pg_catalog.=) '' THEN
        sub := NULLIF(pg_catalog.current_setting('request.jwt.claim.sub', true), '');
    END IF;
    IF sub IS NULL THEN
        setting := pg_catalog.current_setting('idconv.subject_setting', true);
        IF setting OPERATOR(pg_catalog.<>) '' THEN
            sub := NULLIF(pg_catalog.current_setting(setting, true), '');
        END IF;
    END IF;
    IF sub IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN @schema@.normalize_subject(sub, @schema@._idconv_namespace());
END
$$

--% portable
-- An older install's two-argument version would make calls ambiguous.
DO $drop$ BEGIN
    IF pg_catalog.to_regprocedure('@schema@._idconv_row_key(oid, anyelement)') IS NOT NULL THEN
        DROP FUNCTION @schema@._idconv_row_key(oid, anyelement);
    END IF;
END $drop$

--% portable
-- The primary key of a row as the extension's messages show it: "(a, b)=(1, x)", the columns in
-- the key's order. With check_privileges, NULL when the caller may not read the key: row-level
-- security applies to it, or it lacks SELECT on the table and on some key column (as
-- PostgreSQL's own messages decide).

--% function _idconv_row_key(rel oid, r anyelement, check_privileges boolean DEFAULT false)
--% returns text
--% markings STABLE
--% comment
'idconv portable: the primary key of a row of the table, as messages show it; NULL when checking privileges and the caller may not read it'
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    names text := '';
    vals text := '';
    k record;
    v text;
    found_key boolean := false;
BEGIN
    FOR k IN SELECT a.attname, a.attnum FROM pg_index i
             CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS u(attnum, n)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum
             WHERE i.indrelid = rel AND i.indisprimary AND u.n <= i.indnkeyatts ORDER BY u.n LOOP
        IF NOT found_key AND check_privileges THEN
            IF row_security_active(rel) THEN
                RETURN NULL;
            END IF;
            IF NOT has_table_privilege(rel, 'SELECT') AND EXISTS (
                   SELECT 1 FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS u(attnum, n)
                   WHERE i.indrelid = rel AND i.indisprimary AND u.n <= i.indnkeyatts
                     AND NOT has_column_privilege(rel, u.attnum, 'SELECT')) THEN
                RETURN NULL;
            END IF;
        END IF;
        found_key := true;
        EXECUTE format('SELECT CASE WHEN ($1).%1$I IS NULL THEN NULL ELSE format(''%%s'', ($1).%1$I) END', k.attname)
            INTO v USING r;
        IF names <> '' THEN
            names := names || ', ';
            vals := vals || ', ';
        END IF;
        names := names || quote_ident(k.attname);
        vals := vals || coalesce(v, 'null');
    END LOOP;
    IF names = '' THEN
        RETURN '(no primary key)';
    END IF;
    RETURN format('(%s)=(%s)', names, vals);
END
$$

--% portable
-- The detail of a message logged when an owner column changes (an owner admin's override, a
-- rename cascade): the row's key only when show_key and the caller may read it. (The extension
-- also writes the key to the server log in any case; PL/pgSQL has one detail for both.) `why`
-- ends it.

--% function _idconv_owner_change_detail(rel oid, r anyelement, old_owner uuid, new_owner uuid, why text, show_key boolean)
--% returns text
--% markings STABLE
--% comment
'idconv portable: the detail of the message logged when an owner admin or a rename cascade sets an owner'
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    key constant text := CASE WHEN show_key THEN @schema@._idconv_row_key(rel, r, true) END;
    change constant text := format('owner %s -> %s, %s.', coalesce(old_owner::text, 'null'),
                                   coalesce(new_owner::text, 'null'), why);
BEGIN
    IF key IS NULL THEN
        RETURN upper(left(change, 1)) || substr(change, 2);
    END IF;
    RETURN format('Row %s: %s', key, change);
END
$$

--% portable
-- Whether the key column col of rel no longer holds old_key and holds new_key: what a rename of
-- the key left. A fresh snapshot (VOLATILE), which sees the statement's change of the key. With
-- row_security off, row-level security that would hide rows from the caller is an error (42501),
-- not a wrong answer.

--% function _idconv_key_renamed(rel oid, col int2, old_key uuid, new_key uuid)
--% returns boolean
--% markings VOLATILE
--% comment
'idconv portable: whether a key column no longer holds the old key and holds the new one (a rename of the key)'
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
SET row_security = off
AS $$
DECLARE
    target constant text := format('%s%s', CASE WHEN (SELECT relkind FROM pg_class WHERE oid = rel) = 'p' THEN '' ELSE 'ONLY ' END,
                                   rel::regclass);
    name constant text := (SELECT attname FROM pg_attribute WHERE attrelid = rel AND attnum = col);
    renamed boolean;
BEGIN
    EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM %1$s x WHERE x.%2$I OPERATOR(pg_catalog.=) $1) '
                   'AND EXISTS (SELECT 1 FROM %1$s x WHERE x.%2$I OPERATOR(pg_catalog.=) $2)', target, name)
        INTO renamed USING old_key, new_key;
    RETURN coalesce(renamed, false);
END
$$

--% portable
-- Whether an UPDATE changed a column of the partition key of any table rel is a partition of.
-- Expression keys are not checked.

--% function _idconv_partition_key_changed(rel oid, was jsonb, now_ jsonb)
--% returns boolean
--% markings STABLE
--% comment
'idconv portable: whether an update changed a partition key column of a table the relation is a partition of'
--% portable-body sql
SET search_path = pg_catalog, pg_temp
AS $$
SELECT EXISTS (
    SELECT 1 FROM pg_class c
    CROSS JOIN LATERAL pg_partition_ancestors(rel) p
    JOIN pg_partitioned_table pt ON pt.partrelid = p.relid
    JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = ANY (pt.partattrs::int2[])
    WHERE c.oid = rel AND c.relispartition AND p.relid <> rel
      AND ((was -> a.attname::text) IS DISTINCT FROM (now_ -> a.attname::text)
           OR (was ->> a.attname::text) IS DISTINCT FROM (now_ ->> a.attname::text)))
$$

--% portable
-- The checks the extension's triggers make before anything else: the named column exists; the
-- trigger is fired as its function requires and declared for INSERT and UPDATE of every column.
-- The triggers raise the errors themselves, so that the errors carry no extra context.

--% function _idconv_trigger_column(rel oid, column_name text)
--% returns int
--% markings STABLE
--% comment
'idconv portable: the number of a user column of the table, NULL when it has none of that name'
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n int;
BEGIN
    SELECT a.attnum INTO n FROM pg_attribute a
    WHERE a.attrelid = rel AND a.attname = column_name AND a.attnum > 0 AND NOT a.attisdropped;
    RETURN n;
END
$$

--% function _idconv_trigger_fired_right(rel oid, trigger_name name, want_when text,
                                                               fired_when text, fired_level text, fired_op text)
--% returns boolean
--% markings STABLE
--% comment
'idconv portable: whether a row trigger fired at the time its function requires and is declared for INSERT and UPDATE of every column'
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t record;
BEGIN
    SELECT tgtype, tgattr INTO t FROM pg_trigger WHERE tgrelid = rel AND tgname = trigger_name;
    -- tgtype: 4 INSERT, 16 UPDATE; tgattr lists the columns of UPDATE OF.
    RETURN fired_when = want_when AND fired_level = 'ROW' AND fired_op IN ('INSERT', 'UPDATE')
           AND (t.tgtype & 20) = 20 AND cardinality(t.tgattr::int2[]) = 0;
END
$$

--% function stamp_subject()
--% returns trigger
--% markings
--% comment
'Row trigger declared twice, with the owner column as argument and without WHEN: BEFORE INSERT OR UPDATE sets the column to current_subject_id() on INSERT and refuses changes on UPDATE, except where ON UPDATE CASCADE of a foreign key on the owner column alone renames the referenced key (logged; but not, for a subject that is no owner admin, onto or off its own id); AFTER INSERT OR UPDATE OR DELETE checks the stored rows (no later trigger changed the owner or moved the row to another partition). Members of idconv.owner_admin_role are exempt (logged); inside a foreign-key action the role the session runs as counts, not the table owner the action runs as'
--% extension-body C stamp_subject
--% portable-body plpgsql
AS $$
DECLARE
    col pg_catalog.text;
    att record;
    base pg_catalog.oid;
    admin_role pg_catalog.text := pg_catalog.current_setting('idconv.owner_admin_role', true);
    admin pg_catalog.bool := false;
    old_v pg_catalog.uuid;
    new_v pg_catalog.uuid;
    subject pg_catalog.uuid;
    was pg_catalog.jsonb;
    now_ pg_catalog.jsonb;
    self record;
    later pg_catalog.bool;
    twin pg_catalog.bool;
    -- Rows this statement updated in a partition where a later BEFORE trigger could move them:
    -- "<statement>|<md5 of partition and old row> ..." (see the AFTER DELETE check below).
    tag pg_catalog.text;
    pending pg_catalog.text;
    mark pg_catalog.text;
    p pg_catalog.int4;
    -- Inside a referential action (see below), and the role whose membership of the owner admin
    -- role counts.
    fk_action pg_catalog.bool := false;
    acting pg_catalog.name := current_user;
    fk record;
    renamed pg_catalog.bool := false;
BEGIN
    IF TG_WHEN = 'AFTER' THEN
        SELECT t.tgtype, t.tgattr, t.tgqual IS NOT NULL AS has_when, t.tgdeferrable,
               EXISTS (SELECT 1 FROM pg_catalog.pg_trigger b
                       WHERE b.tgrelid = TG_RELID AND b.tgfoid = t.tgfoid AND (b.tgtype & 66) = 2
                         AND b.tgqual IS NOT NULL AND b.tgargs = t.tgargs) AS before_when
        INTO self
        FROM pg_catalog.pg_trigger t WHERE t.tgrelid = TG_RELID AND t.tgname = TG_NAME;
        -- tgtype: 1 ROW, 4 INSERT, 8 DELETE, 16 UPDATE.
        IF TG_LEVEL <> 'ROW' OR (self.tgtype & 28) <> 28 OR pg_catalog.cardinality(self.tgattr::pg_catalog.int2[]) <> 0
           OR self.has_when OR self.tgdeferrable THEN
            RAISE EXCEPTION 'stamp_subject() must be fired BEFORE INSERT OR UPDATE ... FOR EACH ROW, or AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW'
                USING ERRCODE = 'trigger_protocol_violated',
                      DETAIL = 'The AFTER trigger must not be deferrable nor have a WHEN condition: it checks every row when the statement ends.';
        END IF;
    ELSIF NOT @schema@._idconv_trigger_fired_right(TG_RELID, TG_NAME, 'BEFORE', TG_WHEN, TG_LEVEL, TG_OP) THEN
        RAISE EXCEPTION 'stamp_subject() must be fired BEFORE INSERT OR UPDATE ... FOR EACH ROW'
            USING ERRCODE = 'trigger_protocol_violated',
                  HINT = 'Declare it BEFORE INSERT OR UPDATE ... FOR EACH ROW, and again AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW.';
    END IF;
    -- A WHEN clause on the BEFORE trigger lets the rows it skips keep an owner the client chose;
    -- the twin sees every row, also those.
    IF TG_WHEN <> 'AFTER' THEN
        SELECT t.oid, t.tgfoid, t.tgargs, t.tgqual IS NOT NULL AS before_when INTO self
        FROM pg_catalog.pg_trigger t WHERE t.tgrelid = TG_RELID AND t.tgname = TG_NAME;
    END IF;
    IF self.before_when THEN
        RAISE EXCEPTION 'stamp_subject() must be fired BEFORE INSERT OR UPDATE ... FOR EACH ROW, or AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW'
            USING ERRCODE = 'trigger_protocol_violated',
                  DETAIL = 'The BEFORE trigger must not have a WHEN condition: it stamps every new row and checks every update.';
    END IF;
    IF TG_NARGS <> 1 THEN
        RAISE EXCEPTION 'trigger "%" on "%" gives stamp_subject() % arguments', TG_NAME, TG_TABLE_NAME, TG_NARGS
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass the owner column''s name: EXECUTE FUNCTION stamp_subject(''owner_subject_id'').';
    END IF;
    col := TG_ARGV[0];
    SELECT a.atttypid AS typ, a.attgenerated INTO att FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = TG_RELID AND a.attnum = @schema@._idconv_trigger_column(TG_RELID, col);
    IF att.typ IS NULL THEN
        RAISE EXCEPTION 'column "%" of relation "%" does not exist', col, TG_TABLE_NAME
            USING ERRCODE = 'undefined_column',
                  DETAIL = pg_catalog.format('Trigger "%s" names it as the owner column for stamp_subject().', TG_NAME);
    END IF;
    base := att.typ;
    WHILE (SELECT t.typtype = 'd' FROM pg_catalog.pg_type t WHERE t.oid = base) LOOP
        base := (SELECT t.typbasetype FROM pg_catalog.pg_type t WHERE t.oid = base);
    END LOOP;
    IF base <> 'pg_catalog.uuid'::pg_catalog.regtype THEN
        RAISE EXCEPTION 'column "%" of relation "%" is of type %, not uuid', col, TG_TABLE_NAME, pg_catalog.format_type(att.typ, NULL)
            USING ERRCODE = 'datatype_mismatch', DETAIL = 'stamp_subject() stores current_subject_id() there.';
    END IF;
    -- PostgreSQL computes generated columns after the BEFORE triggers, from columns the client
    -- sends: the stamp would be overwritten by a value the client chose.
    IF att.attgenerated <> '' THEN
        RAISE EXCEPTION 'column "%" of relation "%" is a generated column', col, TG_TABLE_NAME
            USING ERRCODE = 'generated_always',
                  DETAIL = 'stamp_subject() must set the owner column; a generated column is computed after BEFORE triggers, from columns the client sends.',
                  HINT = pg_catalog.format('Make "%s" a plain uuid column.', col);
    END IF;
    IF (SELECT c.relispartition AND (c.relkind <> 'r' OR c.relam <> (SELECT am.oid FROM pg_catalog.pg_am am WHERE am.amname = 'heap'))
        FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID) THEN
        RAISE EXCEPTION 'stamp_subject() cannot keep the owners of partition "%"', TG_TABLE_NAME
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = 'It recognises rows moved between partitions in heap tables only; this partition is a foreign table or uses another table access method.';
    END IF;
    -- PostgreSQL runs a referential action's query (ON UPDATE/DELETE CASCADE, SET NULL, SET
    -- DEFAULT) as the referencing table's owner, often a superuser: that owner did not ask for the
    -- change. SQL cannot see that it runs inside such an action; it sees that it fires inside
    -- another trigger, as the owner of this table or of a table it is a partition of, on a table
    -- with a foreign key whose action updates rows. There the role the session runs as (SET ROLE,
    -- else the session user) counts, as the extension counts GetOuterUserId() inside an action.
    IF pg_catalog.pg_trigger_depth() > 1 THEN
        fk_action := EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                             WHERE k.conrelid = TG_RELID AND k.contype = 'f'
                               AND (k.confupdtype IN ('c', 'n', 'd') OR k.confdeltype IN ('n', 'd')))
                     -- pg_partition_ancestors() lists a partition and its ancestors, and nothing for a
                     -- table that is no partition.
                     AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                                 WHERE (c.oid = TG_RELID OR c.oid IN (SELECT a.relid FROM pg_catalog.pg_partition_ancestors(TG_RELID) a))
                                   AND c.relowner = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user));
        IF fk_action THEN
            acting := CASE WHEN pg_catalog.current_setting('role') = 'none' THEN session_user
                           ELSE pg_catalog.current_setting('role')::pg_catalog.name END;
        END IF;
    END IF;
    IF admin_role <> '' THEN
        admin := EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = admin_role AND pg_catalog.pg_has_role(acting, r.oid, 'USAGE'));
        -- 18 runs an AFTER trigger as the role that queued its event: the AFTER twin of a row a
        -- referential action wrote runs as the table's owner, at depth 1, and cannot tell. There
        -- the role the session runs as must be an owner admin too (as the extension's twin).
        IF admin AND TG_WHEN = 'AFTER' AND pg_catalog.current_setting('server_version_num')::pg_catalog.int4 >= 180000 THEN
            admin := EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = admin_role
                             AND pg_catalog.pg_has_role(CASE WHEN pg_catalog.current_setting('role') = 'none' THEN session_user
                                                             ELSE pg_catalog.current_setting('role')::pg_catalog.name END, r.oid, 'USAGE'));
        END IF;
    END IF;
    -- The statement: the notes below are for the rows of this client statement, at any trigger
    -- depth (a referential action's AFTER row events fire at the depth of the statement's own).
    tag := pg_catalog.statement_timestamp()::pg_catalog.text || '|';

    IF TG_WHEN = 'AFTER' THEN
        -- The AFTER twin: the stored row must be what the BEFORE trigger allowed, whatever fired
        -- between.
        IF admin THEN
            RETURN NULL;
        END IF;
        IF TG_OP = 'DELETE' THEN
            -- A row that moves to another partition is deleted here and inserted there; its BEFORE
            -- UPDATE noted it, and an update in place would have removed the note (AFTER UPDATE).
            pending := pg_catalog.current_setting('idconv_portable.moving', true);
            IF pending LIKE tag || '%'
               AND pg_catalog.strpos(pending, ' ' || pg_catalog.md5(TG_RELID::pg_catalog.text || ':' || OLD::pg_catalog.text)) > 0 THEN
                RAISE EXCEPTION 'cannot change the partition key of a row in "%"', TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege',
                          DETAIL = 'A trigger that fires after stamp_subject() changed the partition key, and moving a row to another partition inserts it there as a new row.',
                          HINT = 'Members of the role named by idconv.owner_admin_role may move rows.';
            END IF;
            RETURN NULL;
        END IF;
        now_ := pg_catalog.to_jsonb(NEW);
        new_v := (now_ ->> col)::pg_catalog.uuid;
        IF TG_OP = 'UPDATE' THEN
            was := pg_catalog.to_jsonb(OLD);
            pending := pg_catalog.current_setting('idconv_portable.moving', true);
            IF pending LIKE tag || '%' THEN
                mark := ' ' || pg_catalog.md5(TG_RELID::pg_catalog.text || ':' || OLD::pg_catalog.text);
                p := pg_catalog.strpos(pending, mark);
                IF p > 0 THEN
                    PERFORM pg_catalog.set_config('idconv_portable.moving', pg_catalog.left(pending, p - 1) || pg_catalog.substr(pending, p + 33), true);
                END IF;
            END IF;
            IF (was ->> col)::pg_catalog.uuid IS DISTINCT FROM new_v THEN
                -- A rename cascade the BEFORE trigger accepted for this row (used up here).
                pending := pg_catalog.current_setting('idconv_portable.renamed', true);
                mark := ' ' || pg_catalog.md5(TG_RELID::pg_catalog.text || ':' || OLD::pg_catalog.text || ':' || (was ->> col) || ':' || new_v::pg_catalog.text);
                p := CASE WHEN pending LIKE tag || '%' THEN pg_catalog.strpos(pending, mark) ELSE 0 END;
                IF p > 0 THEN
                    renamed := true;
                    PERFORM pg_catalog.set_config('idconv_portable.renamed', pg_catalog.left(pending, p - 1) || pg_catalog.substr(pending, p + 33), true);
                END IF;
            END IF;
            IF (was ->> col)::pg_catalog.uuid IS DISTINCT FROM new_v AND NOT renamed THEN
                RAISE EXCEPTION 'cannot change the owner of a row in "%"', TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege',
                          DETAIL = pg_catalog.format('A trigger that fires after stamp_subject() changed column "%s".', col),
                          HINT = 'Members of the role named by idconv.owner_admin_role may change it.';
            END IF;
            IF @schema@._idconv_partition_key_changed(TG_RELID, was, now_) THEN
                RAISE EXCEPTION 'cannot change the partition key of a row in "%"', TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege',
                          DETAIL = 'A trigger that fires after stamp_subject() changed it.',
                          HINT = 'Members of the role named by idconv.owner_admin_role may move rows.';
            END IF;
            RETURN NULL;
        END IF;
        subject := @schema@.current_subject_id();
        IF new_v IS NULL OR subject IS NULL OR new_v <> subject THEN
            RAISE EXCEPTION 'the owner of a new row in "%" is not the inserting subject', TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = pg_catalog.format('A trigger that fires after stamp_subject() changed column "%s".', col),
                      HINT = 'Members of the role named by idconv.owner_admin_role may insert rows for others.';
        END IF;
        RETURN NULL;
    END IF;

    -- The AFTER twin is needed where a later BEFORE row trigger could undo what this one checked
    -- (triggers fire in name order, enabled or not: a disabled one may be enabled later).
    later := EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t
                     WHERE t.tgrelid = TG_RELID AND t.tgname COLLATE pg_catalog."C" > TG_NAME COLLATE pg_catalog."C"
                       AND (t.tgtype & 1) = 1 AND (t.tgtype & 66) = 2 AND (t.tgtype & 20) <> 0);
    IF later THEN
        twin := EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t
                        WHERE t.tgrelid = TG_RELID AND t.tgfoid = self.tgfoid AND (t.tgtype & 1) = 1
                          AND (t.tgtype & 66) = 0 AND (t.tgtype & 28) = 28 AND t.tgnargs = 1
                          AND t.tgargs = self.tgargs AND pg_catalog.cardinality(t.tgattr::pg_catalog.int2[]) = 0
                          AND t.tgqual IS NULL AND NOT t.tgdeferrable
                          AND t.tgenabled IN (CASE WHEN pg_catalog.current_setting('session_replication_role') = 'replica' THEN 'R' ELSE 'O' END, 'A'));
        IF NOT twin THEN
            RAISE EXCEPTION 'stamp_subject() on "%" has no AFTER trigger to check the rows it stamps', TG_TABLE_NAME
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = pg_catalog.format('A BEFORE trigger that fires after "%s" could change the owner or move the row to another partition; an AFTER INSERT OR UPDATE OR DELETE row trigger with the same argument, not deferrable and without WHEN, checks the stored rows.', TG_NAME),
                      HINT = pg_catalog.format('CREATE TRIGGER %s AFTER INSERT OR UPDATE OR DELETE ON %s.%s FOR EACH ROW EXECUTE FUNCTION stamp_subject(%s);',
                                    pg_catalog.quote_ident(TG_NAME || '_check'), pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME), pg_catalog.quote_literal(col));
        END IF;
    END IF;

    now_ := pg_catalog.to_jsonb(NEW);
    IF TG_OP = 'UPDATE' THEN
        was := pg_catalog.to_jsonb(OLD);
        old_v := (was ->> col)::pg_catalog.uuid;
        new_v := (now_ ->> col)::pg_catalog.uuid;
        -- An UPDATE that moves the row to another partition inserts it there, where the INSERT
        -- path would stamp the updater as its owner. Expression keys are not checked.
        IF NOT admin THEN
            IF @schema@._idconv_partition_key_changed(TG_RELID, was, now_) THEN
                RAISE EXCEPTION 'cannot change the partition key of a row in "%"', TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege',
                          DETAIL = 'Moving a row to another partition inserts it there, and stamp_subject() would then give it a new owner.',
                          HINT = 'Members of the role named by idconv.owner_admin_role may move rows.';
            END IF;
            -- A later BEFORE trigger may still change the key: note the row, so that the AFTER
            -- twin knows a deletion of it in this statement for a move (an AFTER UPDATE, which a
            -- move does not fire, removes the note).
            IF later AND (SELECT c.relispartition FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID) THEN
                pending := pg_catalog.current_setting('idconv_portable.moving', true);
                IF pending IS NULL OR pending NOT LIKE tag || '%' THEN
                    pending := tag;
                END IF;
                PERFORM pg_catalog.set_config('idconv_portable.moving', pending || ' ' || pg_catalog.md5(TG_RELID::pg_catalog.text || ':' || OLD::pg_catalog.text), true);
            END IF;
        END IF;
        IF old_v IS NOT DISTINCT FROM new_v THEN
            RETURN NEW;
        END IF;
        -- ON UPDATE CASCADE of a foreign key on the owner column alone renames the owner: the row
        -- keeps pointing at the same referenced row, under its new key (the old key gone from the
        -- referenced table, the new one there). The AFTER twin accepts exactly the noted change.
        IF fk_action AND old_v IS NOT NULL AND new_v IS NOT NULL THEN
            SELECT k.conname, k.confrelid, k.confkey[1] AS refcol INTO fk FROM pg_catalog.pg_constraint k
            WHERE k.conrelid = TG_RELID AND k.contype = 'f' AND k.confupdtype = 'c'
              AND k.conkey = ARRAY[@schema@._idconv_trigger_column(TG_RELID, col)]::pg_catalog.int2[]
            ORDER BY k.conname LIMIT 1;
            IF FOUND AND @schema@._idconv_key_renamed(fk.confrelid, fk.refcol, old_v, new_v) THEN
                IF NOT admin THEN
                    -- No subject moves rows onto its own id (taking another key's rows) or off it
                    -- (giving its rows away).
                    subject := @schema@.current_subject_id();
                    IF subject IN (old_v, new_v) THEN
                        RAISE EXCEPTION 'cannot change the owner of a row in "%"', TG_TABLE_NAME
                            USING ERRCODE = 'insufficient_privilege',
                                  DETAIL = pg_catalog.format('A foreign key cascade renamed the key in column "%s" %s the subject''s own id.',
                                                             col, CASE WHEN subject = new_v THEN 'to' ELSE 'from' END),
                                  HINT = 'Members of the role named by idconv.owner_admin_role may change it.';
                    END IF;
                END IF;
                pending := pg_catalog.current_setting('idconv_portable.renamed', true);
                IF pending IS NULL OR pending NOT LIKE tag || '%' THEN
                    pending := tag;
                END IF;
                PERFORM pg_catalog.set_config('idconv_portable.renamed', pending || ' ' || pg_catalog.md5(TG_RELID::pg_catalog.text || ':' || OLD::pg_catalog.text || ':' || old_v::pg_catalog.text || ':' || new_v::pg_catalog.text), true);
                RAISE LOG 'idconv: foreign key cascade renamed "%" of a row in %.%', col, pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME)
                    USING DETAIL = @schema@._idconv_owner_change_detail(TG_RELID, NEW, old_v, new_v,
                                       pg_catalog.format('the referenced key renamed in %s (ON UPDATE CASCADE of "%s"), in a statement of role "%s"',
                                                         pg_catalog.quote_ident((SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = fk.confrelid)), fk.conname, acting),
                                       NOT fk_action);
                RETURN NEW;
            END IF;
        END IF;
        IF NOT admin THEN
            RAISE EXCEPTION 'cannot change the owner of a row in "%"', TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = CASE WHEN fk_action
                                    THEN pg_catalog.format('A foreign key action changed column "%s"; only ON UPDATE CASCADE of a foreign key on that column alone, renaming the referenced key, keeps the owner.', col)
                                    ELSE pg_catalog.format('Column "%s" is set from the authenticated subject when the row is inserted, and stays.', col) END,
                      HINT = 'Members of the role named by idconv.owner_admin_role may change it.';
        END IF;
        RAISE LOG 'idconv: owner admin set "%" of a row in %.%', col, pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME)
            USING DETAIL = @schema@._idconv_owner_change_detail(TG_RELID, NEW, old_v, new_v,
                               pg_catalog.format('by role "%s" (a member of "%s")', acting, admin_role), NOT fk_action);
        RETURN NEW;
    END IF;

    new_v := (now_ ->> col)::pg_catalog.uuid;
    subject := @schema@.current_subject_id();
    IF admin AND new_v IS NOT NULL THEN
        -- The privileged path: an explicit owner stays; one other than the admin's own is logged.
        IF subject IS NULL OR subject <> new_v THEN
            RAISE LOG 'idconv: owner admin set "%" of a row in %.%', col, pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME)
                USING DETAIL = @schema@._idconv_owner_change_detail(TG_RELID, NEW, subject, new_v,
                                   pg_catalog.format('by role "%s" (a member of "%s")', acting, admin_role), NOT fk_action);
        END IF;
        RETURN NEW;
    END IF;
    IF subject IS NULL THEN
        RAISE EXCEPTION 'no authenticated subject'
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('stamp_subject() sets "%s" of new rows in "%s" to current_subject_id(), which is NULL in this session.',
                                  col, TG_TABLE_NAME),
                  HINT = 'Insert through PostgREST or Supabase with a JWT, or set request.jwt.claims.';
    END IF;
    IF new_v IS NOT NULL AND new_v = subject THEN
        RETURN NEW;
    END IF;
    -- jsonb_populate_record checks a domain's constraints on the stamped value (23514 for a
    -- CHECK), which PostgreSQL does not do for what a BEFORE trigger puts in the row.
    RETURN pg_catalog.jsonb_populate_record(NEW, pg_catalog.jsonb_build_object(col, subject));
END
$$

--% section Prefix registry

--% table id_prefixes
--% body
    entity      text PRIMARY KEY CHECK (octet_length(entity) BETWEEN 1 AND 63),
    prefix      text NOT NULL UNIQUE CHECK (@schema@.is_valid_prefix(prefix)),
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    body        text NOT NULL DEFAULT 'cuid2' CHECK (body IN ('cuid2', 'typeid'))

--% comment
'idconv''s prefix registry: which entity each id prefix stands for, and whether its ids are prefixed CUID2s or TypeIDs (see register_prefix, generate_id_for, entity_of)'

--% portable
-- A registry made by an earlier portable edition gets the body column (its rows are CUID2s).
ALTER TABLE @schema@.id_prefixes ADD COLUMN IF NOT EXISTS body text NOT NULL DEFAULT 'cuid2' CHECK (body IN ('cuid2', 'typeid'))

--% both
GRANT SELECT ON @schema@.id_prefixes TO PUBLIC

--% extension
-- A trusted extension: when a database owner who is not a superuser installs it, the objects are
-- owned by the bootstrap superuser, so the installing role is given the right to manage the
-- registry (register_prefix writes it as its caller) and to pass that right on.
GRANT SELECT, INSERT, UPDATE, DELETE ON id_prefixes TO @extowner@ WITH GRANT OPTION;
-- Rows belong to the database, not to the extension: pg_dump keeps them.
SELECT pg_catalog.pg_extension_config_dump('id_prefixes', '');

--% function id_prefixes_invalidate()
--% returns trigger
--% markings
--% comment
'Trigger on id_prefixes (for each row, and for each statement on TRUNCATE): tells every backend to drop its cached copy of the registry'
--% extension-body C id_prefixes_invalidate

--% extension
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

--% portable
-- 0.3.0 added the body argument: an earlier portable edition's three-argument function goes.
DO $drop$ BEGIN
    IF pg_catalog.to_regprocedure('@schema@.register_prefix(text, text, text)') IS NOT NULL THEN
        DROP FUNCTION @schema@.register_prefix(text, text, text);
    END IF;
END $drop$

--% function register_prefix(entity text, prefix text, description text DEFAULT NULL, body text DEFAULT 'cuid2')
--% returns text
--% markings VOLATILE
--% comment
'Registers the prefix of an entity in id_prefixes and returns it; body is ''cuid2'' (prefixed CUID2 ids) or ''typeid'' (TypeIDs); an invalid prefix or body is an error, and so is an entity or prefix already registered'
--% extension-body C register_prefix
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    holder record;
BEGIN
    -- Not STRICT, so that a missing entity or prefix is an error rather than a silent NULL.
    IF entity IS NULL OR prefix IS NULL THEN
        RAISE EXCEPTION '% must not be null', CASE WHEN entity IS NULL THEN 'entity' ELSE 'prefix' END
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF body IS NULL THEN
        RAISE EXCEPTION 'body must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT @schema@.is_valid_prefix(prefix) THEN
        RAISE EXCEPTION 'invalid prefix "%"', @schema@._idconv_shown(prefix)
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A prefix is 1 to 63 characters of lowercase a-z and "_", and starts and ends with a letter.';
    END IF;
    IF body NOT IN ('cuid2', 'typeid') THEN
        RAISE EXCEPTION 'unknown id body "%"', @schema@._idconv_shown(body)
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The body of an entity''s ids is ''cuid2'' (a prefixed CUID2) or ''typeid'' (a TypeID).';
    END IF;
    IF entity = '' THEN
        RAISE EXCEPTION 'entity must not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF octet_length(entity) > 63 THEN
        RAISE EXCEPTION 'entity "%" is too long', @schema@._idconv_shown(entity)
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('An entity name has at most 63 bytes; this one has %s.', octet_length(entity));
    END IF;
    -- Name the holder of a taken entity or prefix; the unique indexes still decide races.
    SELECT p.entity, p.prefix INTO holder FROM @schema@.id_prefixes p
    WHERE p.entity = register_prefix.entity OR p.prefix = register_prefix.prefix
    ORDER BY p.entity = register_prefix.entity DESC LIMIT 1;
    IF FOUND THEN
        IF holder.entity = register_prefix.entity THEN
            RAISE EXCEPTION 'entity "%" is already registered', @schema@._idconv_shown(register_prefix.entity)
                USING ERRCODE = 'unique_violation', DETAIL = format('It has the prefix "%s".', holder.prefix);
        END IF;
        RAISE EXCEPTION 'prefix "%" is already registered', holder.prefix
            USING ERRCODE = 'unique_violation', DETAIL = format('Entity "%s" holds it.', @schema@._idconv_shown(holder.entity));
    END IF;
    -- After distribute_registry() on a Citus cluster: the reference table, whose trigger writes
    -- every node's id_prefixes (the extension's register_target).
    IF EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = pg_catalog.to_regclass('@schema@.id_prefix_registry')
               AND t.tgfoid = pg_catalog.to_regprocedure('@schema@.id_prefixes_mirror()')) THEN
        INSERT INTO @schema@.id_prefix_registry (entity, prefix, description, body)
        VALUES (register_prefix.entity, register_prefix.prefix, register_prefix.description, register_prefix.body);
    ELSE
        INSERT INTO @schema@.id_prefixes (entity, prefix, description, body)
        VALUES (register_prefix.entity, register_prefix.prefix, register_prefix.description, register_prefix.body);
    END IF;
    RETURN prefix;
END
$$

--% portable
-- Reads the registry on every call: there is no per-backend copy to keep current.

--% function generate_id_for(entity text)
--% returns text
--% markings VOLATILE STRICT PARALLEL SAFE
--% comment
'A new id with the prefix registered for the entity, with the body registered for it: a 16-character CUID2 or a TypeID; an unregistered entity is an error'
--% extension-body C generate_id_for
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p text;
    b text;
    shown text;
    @construct_variables@
BEGIN
    SELECT r.prefix, r.body INTO p, b FROM @schema@.id_prefixes r WHERE r.entity OPERATOR(pg_catalog.=) generate_id_for.entity;
    IF p IS NULL THEN
        shown := @schema@._idconv_shown(entity);
        RAISE EXCEPTION 'unknown entity "%"', shown
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The prefix registry (id_prefixes) has no row for it.',
                  HINT = pg_catalog.format('Register it first: SELECT register_prefix(%s, ''<prefix>'');', pg_catalog.quote_literal(shown));
    END IF;
    IF b OPERATOR(pg_catalog.=) 'typeid' THEN
        RETURN p OPERATOR(pg_catalog.||) '_' OPERATOR(pg_catalog.||) @schema@._idconv_typeid_suffix(@schema@.uuid_generate_v7());
    END IF;
    c_length := 16;
    head := p OPERATOR(pg_catalog.||) '_';
    @random_inputs@
    @construct_random@
END
$$

--% function entity_of(id text)
--% returns text
--% markings STABLE STRICT PARALLEL SAFE
--% comment
'The entity whose registered prefix the id carries, for a prefixed CUID2 or a TypeID alike, or NULL'
--% extension-body C entity_of
--% portable-body plpgsql
AS $$
DECLARE
    p text := @schema@.prefixed_id_prefix(id);
    e text;
BEGIN
    -- Either shape, whatever body the entity has now: its older ids stay its own if it changes.
    IF p IS NULL THEN
        p := NULLIF(@schema@.typeid_prefix(id), '');
    END IF;
    IF p IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT r.entity INTO e FROM @schema@.id_prefixes r WHERE r.prefix OPERATOR(pg_catalog.=) p;
    RETURN e;
END
$$

--% section Citus: the registry on every node

--% portable
-- As the extension's, with the schema filled in: the portable edition is no extension to look up.

--% extension
-- Fires on each node's copy of the reference table id_prefix_registry that distribute_registry()
-- makes, and keeps that node's own id_prefixes (which generate_id_for and entity_of read there)
-- equal to it in the same distributed transaction. A row takes the place of any entry of the same
-- entity or prefix that the node had of its own. The extension's schema is looked up, not written
-- in: the extension can be moved.

--% function id_prefixes_mirror()
--% returns trigger
--% markings
--% comment
'Trigger on the reference table id_prefix_registry that distribute_registry() makes: writes each change into the id_prefixes of the node it fires on'
--% extension-body plpgsql
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
$$
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM @schema@.id_prefixes WHERE entity = OLD.entity;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        DELETE FROM @schema@.id_prefixes WHERE entity = NEW.entity OR prefix = NEW.prefix;
        INSERT INTO @schema@.id_prefixes (entity, prefix, description, created_at, body)
        VALUES (NEW.entity, NEW.prefix, NEW.description, NEW.created_at, NEW.body);
    END IF;
    RETURN NULL;
END
$$

--% extension
-- PL/pgSQL: its statements that name Citus's functions and catalogs are planned when they first
-- run, so the extension installs on servers without Citus, where the function says what it needs.

--% function distribute_registry()
--% returns regclass
--% markings VOLATILE
--% comment
'On a Citus coordinator: makes the reference table id_prefix_registry from id_prefixes, with a copy on every node whose trigger keeps that node''s id_prefixes equal to it, so that register_prefix (which then writes it) reaches every node; an error without Citus'
--% extension-body plpgsql
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
$$
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
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
    IF NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE groupid = 0) THEN
        RAISE EXCEPTION 'the coordinator is not in the Citus metadata'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Add it first: SELECT citus_set_coordinator_host(''<host>'', <port>);';
    END IF;
    IF to_regclass('@schema@.id_prefix_registry') IS NOT NULL THEN
        RAISE EXCEPTION 'relation "id_prefix_registry" already exists in schema %', '@schema@'
            USING ERRCODE = 'duplicate_table',
                  HINT = 'distribute_registry() has run already, or a setup of idconv 0.3.0 made the table; drop that one (and its trigger function) and call distribute_registry() again.';
    END IF;
    CREATE TABLE @schema@.id_prefix_registry (LIKE @schema@.id_prefixes INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
    COMMENT ON TABLE @schema@.id_prefix_registry IS
    'idconv''s prefix registry on a Citus cluster (distribute_registry): a reference table whose trigger writes each change into every node''s id_prefixes; register_prefix writes here';
    GRANT SELECT ON @schema@.id_prefix_registry TO PUBLIC;
    unsafe_triggers := current_setting('citus.enable_unsafe_triggers');
    PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
    CREATE TRIGGER id_prefixes_mirror AFTER INSERT OR UPDATE OR DELETE ON @schema@.id_prefix_registry
    FOR EACH ROW EXECUTE FUNCTION @schema@.id_prefixes_mirror();
    PERFORM create_reference_table('@schema@.id_prefix_registry'::regclass);
    PERFORM set_config('citus.enable_unsafe_triggers', unsafe_triggers, true);
    INSERT INTO @schema@.id_prefix_registry SELECT * FROM @schema@.id_prefixes;
    RETURN '@schema@.id_prefix_registry'::regclass;
END
$$

--% section Classification and audits

--% function id_kind(id text)
--% returns text
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'What kind of id the text is, first match wins: uuid, prefixed, integer, typeid, cuid, cuid2, slug, token, other'
--% extension-body C id_kind
--% portable-body plpgsql
AS $$
DECLARE
    c constant text := id COLLATE pg_catalog."C";
BEGIN
    RETURN CASE
        WHEN @is_uuid_text:c@ THEN 'uuid'
        WHEN pg_catalog.octet_length(pg_catalog.split_part(pg_catalog.left(c, 97), '_', -1)) >= 16
             AND @schema@.is_prefixed_id(c, NULL, pg_catalog.octet_length(pg_catalog.split_part(pg_catalog.left(c, 97), '_', -1))) THEN 'prefixed'
        WHEN pg_catalog.octet_length(c) < 268435455 AND c ~ '^[0-9]+$' THEN 'integer'
        -- A regular expression cannot read 268,435,455 bytes or more (4 bytes a character, in one
        -- allocation of at most 1 GB); trimming the digits off the bytes can.
        WHEN pg_catalog.octet_length(c) >= 268435455
             AND pg_catalog.octet_length(pg_catalog.ltrim(pg_catalog.decode(pg_catalog.replace(c, pg_catalog.chr(92), '!'), 'escape'),
                                                          pg_catalog.decode('30313233343536373839', 'hex'))) = 0
             THEN 'integer'
        WHEN @schema@.is_typeid(c) THEN 'typeid'
        WHEN pg_catalog.octet_length(c) = 25 AND c ~ '^c[0-9a-z]+$' THEN 'cuid'
        WHEN pg_catalog.octet_length(c) >= 24 AND pg_catalog.octet_length(c) <= 32 AND c ~ '^[a-z][0-9a-z]+$' THEN 'cuid2'
        WHEN pg_catalog.octet_length(c) <= 63 AND c ~ '^[a-z0-9]+(?:-[a-z0-9]+)+$' THEN 'slug'
        WHEN pg_catalog.octet_length(c) <= 63 AND c ~ '^[0-9a-z]+$' THEN 'token'
        ELSE 'other'
    END;
END
$$

--% portable
-- The extension reads the relation as its owner, in a security-restricted operation; SQL cannot
-- start one, and a SECURITY DEFINER function would have to belong to each table's owner. So the
-- portable edition reads as the caller, and only where nothing the owner controls runs: code of
-- the owner's (a cast to text of the column's type, a view's body, policies that apply, the remote
-- side of a foreign table under it) runs only for the owner itself (docs/hosted.md,
-- "Differences"). The caller's own checks are the extension's. It needs no privilege beyond the
-- caller's: no role other than the caller runs the query that calls id_kind.

--% extension
-- In C: it reads the table as its owner, in a security-restricted operation (src/pg/classify.cpp).

--% function audit_id_column(tbl regclass, col name)
--% returns TABLE (kind text, rows bigint, example text)
--% markings STABLE STRICT
--% comment
'One row per id_kind found in the column: the kind (NULL for NULL values), how many rows, and the smallest value as an example; reads the table as its owner, in a security-restricted operation'
--% portable-comment
'One row per id_kind found in the column: the kind (NULL for NULL values), how many rows, and the smallest value as an example; reads the table as the caller, and refuses one whose reading runs code of another role (portable edition)'
--% extension-body C audit_id_column
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel record;
    attnum int2;
    typ oid;
    owner_code text;
    foreign_member name;
    cast_source oid;
BEGIN
    SELECT c.relkind, c.relowner, c.relname INTO rel FROM pg_class c WHERE c.oid = tbl;
    SELECT a.attnum, a.atttypid INTO attnum, typ
    FROM pg_attribute a
    WHERE a.attrelid = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF attnum IS NULL THEN
        RAISE EXCEPTION 'column "%" of relation % does not exist', col, tbl
            USING ERRCODE = 'undefined_column';
    END IF;
    IF NOT has_table_privilege(tbl, 'SELECT') AND NOT has_column_privilege(tbl, attnum, 'SELECT') THEN
        RAISE EXCEPTION 'permission denied for column "%" of relation "%"', col, rel.relname
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- A foreign table anywhere under it (partitions of partitions too) is read through the
    -- caller's user mapping. The lowest oid, as the extension names.
    WITH RECURSIVE tree(relid) AS (
        SELECT i.inhrelid FROM pg_inherits i WHERE i.inhparent = tbl
        UNION
        SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.relid
    )
    SELECT c.relname INTO foreign_member
    FROM tree t JOIN pg_class c ON c.oid = t.relid
    WHERE c.relkind = 'f' ORDER BY c.oid LIMIT 1;
    IF NOT pg_has_role(rel.relowner, 'USAGE') THEN
        IF rel.relkind NOT IN ('r', 'p', 'm') OR foreign_member IS NOT NULL THEN
            RAISE EXCEPTION 'audit_id_column() cannot audit "%" for this role', rel.relname
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = CASE WHEN rel.relkind NOT IN ('r', 'p', 'm')
                                    THEN 'The audit reads a relation as its owner, and the rows of a view or a foreign table may depend on who reads them.'
                                    ELSE format('The audit reads a relation as its owner, and "%s" under it is a foreign table, whose rows may depend on who reads them.', foreign_member) END,
                      HINT = 'Audit it as its owner (or a member of the owning role), or audit the tables underneath.';
        END IF;
        IF row_security_active(tbl) THEN
            RAISE EXCEPTION 'audit_id_column() cannot audit "%" for this role', rel.relname
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = 'Row-level security on it applies to this role, and the audit reads the table as its owner, who would see other rows.',
                      HINT = 'Audit it as its owner, or as a role that bypasses row-level security.';
        END IF;
    END IF;
    IF rel.relowner <> (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user) THEN
        -- PostgreSQL looks the cast up on the domain's last base type (find_coercion_pathway); a
        -- cast on any type of the chain is refused, so that none can slip through.
        WITH RECURSIVE chain(t, depth) AS (
            SELECT typ, 0
            UNION ALL
            SELECT d.typbasetype, c.depth + 1 FROM chain c JOIN pg_type d ON d.oid = c.t
            WHERE d.typtype = 'd' AND d.typbasetype <> 0
        )
        SELECT k.castsource INTO cast_source
        FROM chain c JOIN pg_cast k ON k.castsource = c.t AND k.casttarget = 'text'::regtype
             JOIN pg_proc p ON p.oid = k.castfunc JOIN pg_roles o ON o.oid = p.proowner
        WHERE NOT o.rolsuper ORDER BY c.depth DESC LIMIT 1;
        owner_code := CASE
            WHEN rel.relkind = 'v' THEN 'the body of a view'
            WHEN rel.relkind = 'f' THEN 'a foreign table''s wrapper'
            WHEN foreign_member IS NOT NULL THEN format($f$the wrapper of foreign table "%s" under it$f$, foreign_member)
            WHEN row_security_active(tbl) THEN 'its row-level security policies'
            WHEN cast_source IS NOT NULL THEN format('the cast of type %s to text', format_type(cast_source, NULL))
        END;
        IF owner_code IS NOT NULL THEN
            RAISE EXCEPTION 'audit_id_column() cannot audit "%" for this role', rel.relname
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = format('Reading it runs %s, code that a role other than this one controls; the portable edition reads as the caller, and cannot switch to the owner as the extension does.', owner_code),
                      HINT = 'Audit it in a session of the role that owns it, or with the extension.';
        END IF;
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT @schema@.id_kind(v), count(*), min(v COLLATE "C") '
        'FROM (SELECT %1$I::text AS v FROM %2$s) AS s GROUP BY 1 ORDER BY 2 DESC, 1',
        col, tbl);
END
$$

--% function audit_subject_references(schema_name name DEFAULT NULL, profiles regclass DEFAULT NULL)
--% returns TABLE (table_name regclass, column_name name, data_type text, problem text)
--% markings STABLE
--% comment
'One row per problem with a user-reference column: forbidden_name (user_id, created_by, owner_id), not_uuid, no_foreign_key (to profiles when given), no_index'
--% body sql
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
$$

--% section Tenant slugs

--% function is_slug(text)
--% returns boolean
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'True when the text is 1 to 63 characters of [a-z0-9] runs joined by single "-", with no "-" at either end; never raises'
--% extension-body C is_slug
--% portable-body sql
AS $$
-- As is_valid_prefix: over 63 bytes, the pattern reads '' and rejects it.
SELECT pg_catalog.repeat($1, (pg_catalog.octet_length($1) OPERATOR(pg_catalog.<=) 63)::pg_catalog.int4)
         COLLATE pg_catalog."C" OPERATOR(pg_catalog.~) '^[a-z0-9]+(?:-[a-z0-9]+)*$'
$$

--% portable
-- The extension's slugify reads the text until the slug has 65 characters; this one reads it in
-- pieces that double in size, so a long text that is all separators costs time in proportion to
-- its length, and one that makes a long slug costs one short piece.

--% function slugify(text)
--% returns text
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'A slug of the text: lower-case, Latin diacritics folded to ASCII, other runs of characters as one "-", cut to 63 on a word boundary; NULL when nothing is left'
--% extension-body C slugify
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    total constant int := length($1);
    pos int := 1;
    size int := 128;
    folded text;
    slug text := '';
    w text;
    dash int;
BEGIN
    WHILE pos <= total AND length(slug) < 65 LOOP
        -- ASCII letters lower-cased (only those), combining marks dropped (they belong to the
        -- letter before them), Latin letters spelt in ASCII, everything else a separator.
        folded := translate(substr($1, pos, size), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
        IF folded ~ '[^\x01-\x7f]' THEN
            folded := regexp_replace(folded, @combining@, '', 'g');
            folded := translate(@fold_multi@, @fold_from@, @fold_to@);
        END IF;
        slug := regexp_replace(slug || regexp_replace(folded, '[^a-z0-9]+', '-', 'g'), '-{2,}', '-', 'g');
        slug := ltrim(slug, '-');
        pos := pos + size;
        -- At most 16M characters a piece: the pattern's copy of a piece is 4 bytes a character
        -- and must stay within 1 GB.
        size := least(size * 2, 16777216);
    END LOOP;
    slug := rtrim(slug, '-');
    IF length(slug) > 63 THEN
        -- Cut at the last "-" within the first 64 characters; a single word that long at 63.
        w := left(slug, 64);
        dash := strpos(reverse(w), '-');
        slug := CASE WHEN dash = 0 THEN left(slug, 63) ELSE left(slug, 64 - dash) END;
    END IF;
    RETURN nullif(slug, '');
END
$$

--% section Deferred checks

--% portable
-- The extension skips a row version that a later statement of the transaction updated or deleted
-- (that one has an event of its own). PL/pgSQL cannot see a row version's identity, so when the
-- column is NULL this looks for a live row equal to the one checked (by primary key, then whole
-- row): none means a later statement changed it. Where row-level security could hide the live
-- row from the caller, a NULL column is an error without looking (fail closed).

--% function require_filled_at_commit()
--% returns trigger
--% markings
--% comment
'Constraint trigger (AFTER INSERT OR UPDATE, DEFERRABLE INITIALLY DEFERRED, FOR EACH ROW); arguments: a column, then optionally an exemption column and its exempt values. At commit the column must not be NULL unless exempt'
--% extension-body C require_filled_at_commit
--% portable-body plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    col text;
    exempt_col text;
    ex record;
    saved text[];
    exempt boolean;
    exemption text := '';
    key text;
    pk text;
    live boolean;
BEGIN
    IF NOT @schema@._idconv_trigger_fired_right(TG_RELID, TG_NAME, 'AFTER', TG_WHEN, TG_LEVEL, TG_OP) THEN
        RAISE EXCEPTION 'require_filled_at_commit() must be fired AFTER INSERT OR UPDATE ... FOR EACH ROW'
            USING ERRCODE = 'trigger_protocol_violated',
                  HINT = 'Use CREATE CONSTRAINT TRIGGER ... AFTER INSERT OR UPDATE ON ... DEFERRABLE INITIALLY DEFERRED FOR EACH ROW.';
    END IF;
    IF (SELECT c.relkind FROM pg_class c WHERE c.oid = TG_RELID) <> 'r' THEN
        RAISE EXCEPTION 'require_filled_at_commit() cannot be used on "%"', TG_TABLE_NAME
            USING ERRCODE = 'wrong_object_type', DETAIL = 'It works on tables (and the partitions of partitioned tables) only.';
    END IF;
    IF TG_NARGS <> 1 AND TG_NARGS < 3 THEN
        RAISE EXCEPTION 'trigger "%" on "%" gives require_filled_at_commit() % arguments', TG_NAME, TG_TABLE_NAME, TG_NARGS
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass the column, optionally followed by an exemption column and one or more exempt values: require_filled_at_commit(''customer_id'', ''role'', ''system_admin'').';
    END IF;
    col := TG_ARGV[0];
    IF @schema@._idconv_trigger_column(TG_RELID, col) IS NULL THEN
        RAISE EXCEPTION 'column "%" of relation "%" does not exist', col, TG_TABLE_NAME
            USING ERRCODE = 'undefined_column', DETAIL = format('Trigger "%s" names it for require_filled_at_commit().', TG_NAME);
    END IF;
    IF TG_NARGS >= 3 THEN
        exempt_col := TG_ARGV[1];
        IF @schema@._idconv_trigger_column(TG_RELID, exempt_col) IS NULL THEN
            RAISE EXCEPTION 'column "%" of relation "%" does not exist', exempt_col, TG_TABLE_NAME
                USING ERRCODE = 'undefined_column', DETAIL = format('Trigger "%s" names it for require_filled_at_commit().', TG_NAME);
        END IF;
    END IF;
    IF to_jsonb(NEW) -> col <> 'null'::jsonb THEN
        RETURN NULL;
    END IF;
    IF exempt_col IS NOT NULL THEN
        SELECT a.atttypid, a.atttypmod, t.typtype, t.typcategory,
               coalesce(nullif(t.typbasetype, 0), t.oid) AS base INTO ex
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = TG_RELID AND a.attname = exempt_col;
        -- Values of the column's type compared with its equality operator (text output depends on
        -- session settings). The arguments are read with fixed settings: a trigger means the same
        -- in every session.
        IF NOT EXISTS (SELECT 1 FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod
                       WHERE am.amname IN ('btree', 'hash') AND oc.opcdefault
                         AND (oc.opcintype = ex.base
                              OR oc.opcintype = 'anyenum'::regtype AND (SELECT typtype FROM pg_type WHERE oid = ex.base) = 'e'
                              OR oc.opcintype = 'anyarray'::regtype AND (SELECT typcategory FROM pg_type WHERE oid = ex.base) = 'A'
                              OR oc.opcintype = 'record'::regtype AND (SELECT typtype FROM pg_type WHERE oid = ex.base) = 'c'
                              OR EXISTS (SELECT 1 FROM pg_cast k WHERE k.castsource = ex.base AND k.casttarget = oc.opcintype
                                                                    AND k.castmethod = 'b'))) THEN
            RAISE EXCEPTION 'column "%" of relation "%" is of type %, which has no equality operator', exempt_col, TG_TABLE_NAME,
                            format_type(ex.atttypid, NULL)
                USING ERRCODE = 'undefined_function',
                      DETAIL = format('Trigger "%s" names it as the exemption column of require_filled_at_commit(), which compares its values with the exempt values.', TG_NAME);
        END IF;
        saved := ARRAY[current_setting('DateStyle'), current_setting('TimeZone'), current_setting('IntervalStyle')];
        PERFORM set_config('DateStyle', 'ISO, MDY', true), set_config('TimeZone', 'UTC', true),
                set_config('IntervalStyle', 'postgres', true);
        EXECUTE format('SELECT ($1).%I = ANY (ARRAY(SELECT v::%s FROM unnest($2) v))', exempt_col, format_type(ex.atttypid, ex.atttypmod))
            INTO exempt USING NEW, TG_ARGV[2:];
        PERFORM set_config('DateStyle', saved[1], true), set_config('TimeZone', saved[2], true),
                set_config('IntervalStyle', saved[3], true);
        IF exempt THEN
            RETURN NULL;
        END IF;
    END IF;
    -- A role that may not read the table, or that row-level security applies to, cannot look for
    -- the live row: a NULL column is an error without looking (fail closed).
    IF NOT row_security_active(TG_RELID) AND has_table_privilege(TG_RELID, 'SELECT') THEN
        -- ROW(t.*), not t: a column named t would be taken for the row.
        SELECT '(' || string_agg(format('t.%1$I = ($1).%1$I', a.attname), ' AND ') || ') AND ' INTO pk
        FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = TG_RELID AND i.indisprimary;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM ONLY %s t WHERE %s ROW(t.*)::text = ($1)::text)',
                       TG_RELID::regclass, coalesce(pk, ''))
            INTO live USING NEW;
        IF NOT live THEN
            RETURN NULL;
        END IF;
    END IF;
    IF exempt_col IS NOT NULL THEN
        exemption := format(' unless "%s" is one of %s', exempt_col,
                            (SELECT string_agg(quote_literal(v), ', ' ORDER BY k) FROM unnest(TG_ARGV[2:]) WITH ORDINALITY AS u(v, k)));
    END IF;
    key := @schema@._idconv_row_key(TG_RELID, NEW, true);
    RAISE EXCEPTION 'null value in column "%" of relation "%" at the end of the transaction', col, TG_TABLE_NAME
        USING ERRCODE = 'not_null_violation',
              DETAIL = CASE WHEN key IS NULL THEN format('The row must have "%s" filled by commit%s.', col, exemption)
                            ELSE format('Row %s must have "%s" filled by commit%s.', key, col, exemption) END,
              SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = col;
END
$$

--% section Time-ordered ids: UUIDv7 and TypeID

--% portable
-- The 128 bits of a UUID in the 26 base32 characters of TypeID (two zero bits in front).

--% function _idconv_typeid_suffix(id uuid)
--% returns text
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'idconv portable: a UUID in the 26 base32 characters of a TypeID'
--% portable-body plpgsql
AS $$
DECLARE
    b constant bit(130) := B'00' || ('x' || pg_catalog.replace(id::pg_catalog.text, '-', ''))::bit(128);
    s pg_catalog.text := '';
BEGIN
    FOR i IN 0..25 LOOP
        s := s || pg_catalog.substr('0123456789abcdefghjkmnpqrstvwxyz', pg_catalog.substring(b, 5 * i + 1, 5)::pg_catalog.int4 + 1, 1);
    END LOOP;
    RETURN s;
END
$$

--% portable
-- Why id is not a TypeID (spec 0.3.0), as the extension's details say it, or NULL when it is one.

--% function _idconv_typeid_problem(id text)
--% returns text
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'idconv portable: why a text is not a TypeID, NULL when it is one'
--% portable-body plpgsql
AS $$
DECLARE
    sep pg_catalog.int4;
    prefix pg_catalog.text;
    suffix pg_catalog.text := id;
BEGIN
    IF pg_catalog.octet_length(id) > 90 THEN
        RETURN 'A TypeID has at most 90 characters: a prefix of up to 63, "_" and 26.';
    END IF;
    sep := pg_catalog.length(id) - pg_catalog.strpos(pg_catalog.reverse(id), '_') + 1;
    IF sep <= pg_catalog.length(id) THEN
        prefix := pg_catalog.left(id, sep - 1);
        suffix := pg_catalog.substr(id, sep + 1);
        IF prefix = '' THEN
            RETURN 'An unprefixed TypeID has no "_" separator.';
        END IF;
        IF NOT @schema@.is_valid_prefix(prefix) THEN
            RETURN 'The prefix (before the last "_") must be 1 to 63 characters of lowercase a-z and "_" that start and end with a letter.';
        END IF;
    END IF;
    IF pg_catalog.octet_length(suffix) <> 26 THEN
        RETURN 'The suffix (after the last "_", or the whole id without one) must be exactly 26 characters.';
    END IF;
    IF suffix COLLATE pg_catalog."C" !~ '^[0-9a-hjkmnp-tv-z]+$' THEN
        RETURN 'The suffix must use only the lowercase base32 alphabet 0123456789abcdefghjkmnpqrstvwxyz.';
    END IF;
    IF pg_catalog.left(suffix, 1) COLLATE pg_catalog."C" > '7' THEN
        RETURN 'The suffix must start with 0 to 7: a larger one encodes more than 128 bits.';
    END IF;
    RETURN NULL;
END
$$

--% portable
-- rand_b: 62 bits from pgcrypto's CSPRNG, below the RFC variant bits. The extension keeps the last
-- time per backend so that each UUID is greater than the one before; PL/pgSQL keeps nothing
-- between calls, so the order is the clock's (docs/hosted.md).

--% function uuid_generate_v7()
--% returns uuid
--% markings VOLATILE PARALLEL SAFE
--% comment
'A new RFC 9562 version 7 UUID: Unix milliseconds, a 12-bit fraction of the millisecond, 62 bits from a CSPRNG; each greater than the one this backend made before, as PostgreSQL 18''s uuidv7()'
--% portable-comment
'A new RFC 9562 version 7 UUID: Unix milliseconds, a 12-bit fraction of the millisecond, 62 bits from a CSPRNG; in the clock''s order (the portable edition keeps no per-backend state)'
--% extension-body C uuid_generate_v7
--% portable-body plpgsql
AS $$
DECLARE
    us constant pg_catalog.int8 := (EXTRACT(epoch FROM pg_catalog.clock_timestamp()) * 1000000)::pg_catalog.int8;
    r constant pg_catalog.bytea := @crypto@.gen_random_bytes(8);
BEGIN
    RETURN (pg_catalog.lpad(pg_catalog.to_hex(us / 1000), 12, '0')
            || '7' || pg_catalog.lpad(pg_catalog.to_hex((us % 1000) * 4096 / 1000), 3, '0')
            || pg_catalog.encode(pg_catalog.set_byte(r, 0, (pg_catalog.get_byte(r, 0) & 63) | 128), 'hex'))::pg_catalog.uuid;
END
$$

--% function uuid_v7_to_timestamptz(id uuid)
--% returns timestamptz
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'The time a version 7 UUID carries, to the millisecond; NULL when the UUID is not version 7 of the RFC 9562 variant'
--% extension-body C uuid_v7_to_timestamptz
--% portable-body plpgsql
AS $$
DECLARE
    b constant pg_catalog.bytea := pg_catalog.uuid_send(id);
    ms pg_catalog.int8;
BEGIN
    IF pg_catalog.get_byte(b, 6) >> 4 <> 7 OR (pg_catalog.get_byte(b, 8) & 192) <> 128 THEN
        RETURN NULL;
    END IF;
    ms := ('x' || pg_catalog.lpad(pg_catalog.left(pg_catalog.encode(b, 'hex'), 12), 16, '0'))::bit(64)::pg_catalog.int8;
    -- Whole seconds through float8 are exact (below 2^53 microseconds' worth of factor), the
    -- milliseconds added as an interval.
    RETURN pg_catalog.to_timestamp((ms / 1000)::pg_catalog.float8) + (ms % 1000) * '1 millisecond'::pg_catalog.interval;
END
$$

--% extension
-- STABLE as in pg_uuidv7: a bound such as id >= uuid_timestamptz_to_v7('2026-12-01', true) is
-- computed once and can use an index; only the random bits below the time vary between calls.

--% function uuid_timestamptz_to_v7(ts timestamptz, zero boolean DEFAULT false)
--% returns uuid
--% markings STABLE STRICT PARALLEL SAFE
--% comment
'A version 7 UUID for the time ts (milliseconds and their 12-bit fraction), with random bits below it, or zero bits when zero is true: the lowest such UUID, for range scans; a time before 1970 or after 10889 is an error'
--% extension-body C uuid_timestamptz_to_v7
--% portable-body plpgsql
AS $$
DECLARE
    us pg_catalog.int8;
    r pg_catalog.bytea;
BEGIN
    IF NOT pg_catalog.isfinite(ts) OR ts < pg_catalog.to_timestamp(0)
       OR ts >= pg_catalog.to_timestamp(0) + pg_catalog.make_interval(secs => 281474976710.656) THEN
        -- Shown in ISO form whatever DateStyle is, as the extension shows it (the setting goes
        -- back when the error ends the transaction or the caller's subtransaction).
        PERFORM pg_catalog.set_config('DateStyle', 'ISO', true);
        RAISE EXCEPTION 'timestamp out of range for a version 7 UUID: "%"', ts::pg_catalog.text
            USING ERRCODE = 'datetime_field_overflow',
                  DETAIL = 'A version 7 UUID holds the Unix time in 48 bits of milliseconds: from 1970-01-01 00:00:00 UTC to 10889-08-02 05:31:50.655 UTC.';
    END IF;
    us := (EXTRACT(epoch FROM ts) * 1000000)::pg_catalog.int8;
    r := CASE WHEN zero THEN '\x8000000000000000'::pg_catalog.bytea ELSE @crypto@.gen_random_bytes(8) END;
    RETURN (pg_catalog.lpad(pg_catalog.to_hex(us / 1000), 12, '0')
            || '7' || pg_catalog.lpad(pg_catalog.to_hex((us % 1000) * 4096 / 1000), 3, '0')
            || pg_catalog.encode(pg_catalog.set_byte(r, 0, (pg_catalog.get_byte(r, 0) & 63) | 128), 'hex'))::pg_catalog.uuid;
END
$$

--% function generate_typeid(prefix text DEFAULT '')
--% returns text
--% markings VOLATILE STRICT PARALLEL SAFE
--% comment
'A new TypeID (spec 0.3.0): the prefix, "_" unless the prefix is empty, and a new uuid_generate_v7() in 26 characters of base32; an invalid prefix is an error'
--% extension-body C generate_typeid
--% portable-body plpgsql
AS $$
BEGIN
    IF prefix <> '' AND NOT @schema@.is_valid_prefix(prefix) THEN
        RAISE EXCEPTION 'invalid TypeID prefix "%"', @schema@._idconv_shown(prefix)
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A TypeID prefix is empty, or 1 to 63 characters of lowercase a-z and "_" that start and end with a letter.';
    END IF;
    RETURN CASE WHEN prefix = '' THEN '' ELSE prefix || '_' END
           || @schema@._idconv_typeid_suffix(@schema@.uuid_generate_v7());
END
$$

--% function is_typeid(id text, prefix text DEFAULT NULL)
--% returns boolean
--% markings IMMUTABLE PARALLEL SAFE
--% comment
'True when id is a TypeID (spec 0.3.0), with that prefix when one is given ('''' for none; NULL: any prefix); never raises'
--% extension-body C is_typeid
--% portable-body plpgsql
AS $$
BEGIN
    IF id IS NULL THEN
        RETURN NULL;
    END IF;
    IF prefix IS NULL THEN
        RETURN @schema@._idconv_typeid_problem(id) IS NULL;
    END IF;
    IF pg_catalog.octet_length(id) <> pg_catalog.octet_length(prefix) + (CASE WHEN prefix = '' THEN 0 ELSE 1 END) + 26 THEN
        RETURN false;
    END IF;
    IF prefix <> '' AND (pg_catalog.substr(id, pg_catalog.length(prefix) + 1, 1) <> '_'
                         OR pg_catalog.left(id, pg_catalog.length(prefix)) <> prefix OR NOT @schema@.is_valid_prefix(prefix)) THEN
        RETURN false;
    END IF;
    RETURN pg_catalog.right(id, 26) COLLATE pg_catalog."C" ~ '^[0-7][0-9a-hjkmnp-tv-z]+$'
           AND pg_catalog.octet_length(pg_catalog.right(id, 26)) = 26;
END
$$

--% function typeid_to_uuid(id text)
--% returns uuid
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'The UUID a TypeID encodes (any version); anything that is not a TypeID is an error (22P02)'
--% extension-body C typeid_to_uuid
--% portable-body plpgsql
AS $$
DECLARE
    problem constant pg_catalog.text := @schema@._idconv_typeid_problem(id);
    suffix pg_catalog.text;
    b pg_catalog.varbit := B'';
BEGIN
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'invalid input syntax for a TypeID: "%"', @schema@._idconv_shown(id)
            USING ERRCODE = 'invalid_text_representation', DETAIL = problem;
    END IF;
    suffix := pg_catalog.right(id, 26);
    FOR i IN 1..26 LOOP
        b := b || (pg_catalog.strpos('0123456789abcdefghjkmnpqrstvwxyz', pg_catalog.substr(suffix, i, 1)) - 1)::bit(5);
    END LOOP;
    RETURN (pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.substring(b, 3, 32)::bit(32)::pg_catalog.int4), 8, '0')
            || pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.substring(b, 35, 32)::bit(32)::pg_catalog.int4), 8, '0')
            || pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.substring(b, 67, 32)::bit(32)::pg_catalog.int4), 8, '0')
            || pg_catalog.lpad(pg_catalog.to_hex(pg_catalog.substring(b, 99, 32)::bit(32)::pg_catalog.int4), 8, '0'))::pg_catalog.uuid;
END
$$

--% function uuid_to_typeid(prefix text, id uuid)
--% returns text
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'The TypeID of a UUID of any version with the prefix ('''' for none); an invalid prefix is an error'
--% extension-body C uuid_to_typeid
--% portable-body plpgsql
AS $$
BEGIN
    IF prefix <> '' AND NOT @schema@.is_valid_prefix(prefix) THEN
        RAISE EXCEPTION 'invalid TypeID prefix "%"', @schema@._idconv_shown(prefix)
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A TypeID prefix is empty, or 1 to 63 characters of lowercase a-z and "_" that start and end with a letter.';
    END IF;
    RETURN CASE WHEN prefix = '' THEN '' ELSE prefix || '_' END || @schema@._idconv_typeid_suffix(id);
END
$$

--% function typeid_prefix(id text)
--% returns text
--% markings IMMUTABLE STRICT PARALLEL SAFE
--% comment
'The prefix of a TypeID ('''' for an unprefixed one), or NULL when id is not a TypeID'
--% extension-body C typeid_prefix
--% portable-body plpgsql
AS $$
BEGIN
    IF @schema@._idconv_typeid_problem(id) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    IF pg_catalog.octet_length(id) = 26 THEN
        RETURN '';
    END IF;
    RETURN pg_catalog.left(id, -27);
END
$$

