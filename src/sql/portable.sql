-- The frame of the portable edition (portable/idconv.sql), which src/sql/build.py fills in:
-- @@version@@ (idconv.control's default_version), @@latin_fold@@ (src/core/tables/latin_fold.inc
-- as a SQL constant), @@unicode_version@@ (the Unicode version of that table) and @@statements@@
-- (the objects of src/sql/idconv.sql, each a statement of the array). This comment is not copied.

-- idconv portable edition: equal to idconv @@version@@ (the C++ extension's idconv--@@version@@.sql).
--
-- For hosted PostgreSQL (Supabase, Neon, RDS, Cloud SQL, Azure), where idconv's shared library
-- cannot be installed: the same functions, argument names and defaults, return types, markings,
-- SQLSTATEs and messages, written in SQL and PL/pgSQL over pgcrypto. What cannot be the same is
-- listed in docs/hosted.md ("Differences"). Needs PostgreSQL 14 or later and pgcrypto; no
-- superuser, only CREATE on the target schema and USAGE on pgcrypto's.
--
--   CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;  -- Supabase has it already
--   CREATE SCHEMA IF NOT EXISTS ids;
--   SET search_path = ids;   -- the objects go into the first schema of search_path
--   \i idconv.sql            -- or paste this file into a migration
--   RESET search_path;
--
-- Running it again is harmless: the functions are replaced, the registry and its rows stay.
--
-- The statements below carry placeholders (@schema@, @crypto@, ...) that the block fills in with
-- the target schema and pgcrypto's schema, quoted, so that every function finds its own schema's
-- objects and pgcrypto's by name, whatever the caller's search_path. The functions that run per
-- row set no search_path of their own (that costs a setting's save and restore, about 7 us, per
-- call, and keeps a SQL function from being inlined): the SQL validators, which are inlined into
-- the caller's query, name their operators with OPERATOR(pg_catalog.x); the PL/pgSQL ones name
-- functions and types in full and leave operators to the caller's search_path, where pg_catalog
-- comes first unless the caller puts it later (docs/hosted.md). The other functions pin
-- search_path to pg_catalog.

DO $idconv_portable$
DECLARE
    target constant text := pg_catalog.current_schema();
    crypto text;
    pairs text;
    encoding constant text := pg_catalog.getdatabaseencoding();
    fold_from text := '';
    fold_to text := '';
    fold_multi text := 'folded';
    entry text[];
    ch text;
    stmt text;
    r_bounds text[] := '{}';
    -- Latin letters slugify spells in ASCII: the table of src/core/tables/latin_fold.inc
    -- (Unicode @@unicode_version@@), code point in hex and its spelling. The differential test runs slugify
    -- over every entry against the extension.
    latin_fold constant text :=
@@latin_fold@@
    -- What each generator declares and runs to make an id: the CUID2 construction, with c_time
    -- set and {letter}, {salt}, {counter36} (the counter in base 36) and {fingerprint} standing
    -- for its other inputs;
    -- head is what comes before the id ('' or a prefix and "_"). Written for few statements:
    -- in PL/pgSQL a statement costs more than a function call inside one.
    construct_variables constant text := $m$
    c_time pg_catalog.int8;
    c_counter pg_catalog.int8;
    c_length pg_catalog.int4;
    head pg_catalog.text;
    r pg_catalog.bytea;
    x pg_catalog.bytea;
    d_lo pg_catalog.numeric;
    f pg_catalog.float8;
    q pg_catalog.numeric;
    parts pg_catalog.int8[];
    s pg_catalog.text := '';$m$;
    -- The inputs, from pgcrypto's CSPRNG in one call: 32 bits for the letter (each letter's odds
    -- off by at most 2^-27), 24 for the counter, whose base-36 digits are "1" and six random hex
    -- digits (a number from 36^6 to 2 * 36^6), 128 for the fingerprint, 4 per salt character.
    -- Drawn per call, not kept per process: see docs/hosted.md, "Differences". r holds them as
    -- hex digits in a bytea, and the digest is kept as a bytea: slices of a bytea cost the same
    -- at any offset, while text is read from its start to find a character.
    random_inputs constant text := $m$
    r := pg_catalog.decode(pg_catalog.encode(@crypto@.gen_random_bytes(24 + (c_length + 1) / 2), 'hex'), 'escape');
    c_time := pg_catalog.floor(pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()) * 1000)::pg_catalog.int8;$m$;
    random_letter constant text :=
        $m$pg_catalog.chr(97 + (('x' || pg_catalog.encode(pg_catalog.substring(r, 1, 8), 'escape'))::pg_catalog.bit(32)::pg_catalog.int8 % 26)::pg_catalog.int4)$m$;
    random_salt constant text := $m$pg_catalog.substring(r, 49, c_length)$m$;
    random_fingerprint constant text := $m$pg_catalog.substring(r, 17, 32)$m$;
    random_counter36 constant text := $m$('1'::pg_catalog.bytea || pg_catalog.substring(r, 9, 6))$m$;
    construct constant text := $m$
    x := @crypto@.digest(
             -- base36(time): 8 digits from 1972 to 2059
             CASE WHEN c_time >= 78364164096 AND c_time < 2821109907456
                  THEN @pairs4:c_time@
                  ELSE pg_catalog.decode(@schema@._idconv_base36(c_time), 'escape') END
             || {salt}
             || {counter36}
             || {fingerprint}, 'sha3-512');
    -- The digest's leading 112 bits as a number T (168 bits for ids over 16 characters, 224 over
    -- 24): the digest D lies in [T * 2^400, (T + 1) * 2^400) (2^344, 2^288).
    d_lo := CASE WHEN c_length > 24 THEN @top_int4:x@ WHEN c_length > 16 THEN @top_int3:x@ ELSE @top_int2:x@ END;
    -- log36 of the digest, from its leading 56 bits: its count of digits is floor(f) + 1 unless
    -- f is within 1e-9 of a whole number, or the leading bits are too few to tell.
    f := CASE WHEN pg_catalog.substring(x, 1, 3) <> pg_catalog.decode('000000', 'hex')
              THEN (pg_catalog.ln(('x' || pg_catalog.encode(pg_catalog.substring(x, 1, 7), 'hex'))::pg_catalog.bit(56)::pg_catalog.int8::pg_catalog.float8)
                    + 456 * 0.6931471805599453::pg_catalog.float8) / 3.58351893845611::pg_catalog.float8
              ELSE 0 END;
    IF f - pg_catalog.floor(f) > 1e-9 AND f - pg_catalog.floor(f) < 1 - 1e-9 THEN
        -- The reference drops the first digit, then takes substring(1, length) of the rest, which
        -- skips one more: the body is digits 2 .. length, the last length - 1 digits of the
        -- leading length + 1, i.e. of q = floor(D / 36^k), k = floor(f) - length. With
        -- Rlo <= 2^400 / 36^k <= Rhi (2^344, 2^288; exact decimals from the block's tables),
        -- floor(T * Rlo) <= q <= floor((T + 1) * Rhi): when the two bounds agree they are q. (Two
        -- products of short numbers: dividing the 512-bit digest costs several times more.)
        q := pg_catalog.trunc(d_lo * (CASE WHEN c_length > 24 THEN @r_lo288@ WHEN c_length > 16 THEN @r_lo344@ ELSE @r_lo400@ END)
                                     [pg_catalog.floor(f)::pg_catalog.int4 - c_length]);
        IF q = pg_catalog.trunc((d_lo + 1) * (CASE WHEN c_length > 24 THEN @r_hi288@ WHEN c_length > 16 THEN @r_hi344@ ELSE @r_hi400@ END)
                                             [pg_catalog.floor(f)::pg_catalog.int4 - c_length]) THEN
            -- Its last 32 digits in pieces of 12, 12 and 8 (fewer when fewer are needed), of which
            -- the id keeps the last length - 1.
            parts := ARRAY[pg_catalog.mod(q, 4738381338321616896::pg_catalog.numeric)::pg_catalog.int8,
                           CASE WHEN c_length > 13 THEN pg_catalog.mod(pg_catalog.div(q, 4738381338321616896::pg_catalog.numeric), 4738381338321616896::pg_catalog.numeric)::pg_catalog.int8 END,
                           CASE WHEN c_length > 25 THEN pg_catalog.mod(pg_catalog.div(q, 22452257707354557240087211123792674816::pg_catalog.numeric), 4738381338321616896::pg_catalog.numeric)::pg_catalog.int8 END];
            RETURN head || {letter} || pg_catalog.encode(pg_catalog.substring(
                CASE WHEN c_length <= 13 THEN ''::pg_catalog.bytea
                     WHEN c_length <= 17 THEN @pairs2:parts[2]@
                     WHEN c_length <= 25 THEN @pairs6:parts[2]@
                     ELSE @pairs4:parts[3]@ || @pairs6:parts[2]@ END
                || @pairs6:parts[1]@,
                -- the last length - 1 of its 12, 16, 24 or 32 digits
                CASE WHEN c_length <= 13 THEN 14 WHEN c_length <= 17 THEN 18 WHEN c_length <= 25 THEN 26 ELSE 34 END - c_length), 'escape');
        END IF;
    END IF;
    -- Otherwise (odds about 2^-24): every digit of the whole digest. One that small gives an id
    -- shorter than asked when there are not enough digits (odds about 2^-337), as the reference.
    d_lo := @digest_number:x@;
    WHILE d_lo > 0 LOOP
        s := pg_catalog.substr('0123456789abcdefghijklmnopqrstuvwxyz', pg_catalog.mod(d_lo, 36::pg_catalog.numeric)::pg_catalog.int4 + 1, 1) || s;
        d_lo := pg_catalog.div(d_lo, 36::pg_catalog.numeric);
    END LOOP;
    IF s = '' THEN
        s := '0';
    END IF;
    RETURN head || {letter} || pg_catalog.substr(s, 3, c_length - 1);$m$;
    statements text[] := ARRAY[
@@statements@@
    ];
    m text[];
    expansion text;
BEGIN
    IF target IS NULL THEN
        RAISE EXCEPTION 'no schema to install idconv into'
            USING ERRCODE = 'invalid_schema_name', HINT = 'SET search_path = <schema>; before running idconv.sql.';
    END IF;
    IF target IN ('pg_catalog', 'information_schema') OR target LIKE 'pg\_%' THEN
        RAISE EXCEPTION 'idconv cannot be installed into schema "%"', target
            USING ERRCODE = 'invalid_schema_name', HINT = 'SET search_path = <schema>; before running idconv.sql.';
    END IF;
    -- portable/idconv-tle.sql runs this file as the script of the Trusted Language Extension idconv,
    -- whose pg_extension row exists while its script runs: that script sets the flag first.
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
               WHERE e.extname = 'idconv' AND n.nspname = target)
       AND pg_catalog.current_setting('idconv_portable.extension_script', true) IS DISTINCT FROM 'idconv' THEN
        RAISE EXCEPTION 'the extension idconv is installed in schema "%"', target
            USING ERRCODE = 'duplicate_object', HINT = 'Install the portable edition into another schema, or use the extension alone.';
    END IF;
    SELECT n.nspname INTO crypto
    FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pgcrypto';
    IF crypto IS NULL THEN
        RAISE EXCEPTION 'idconv''s portable edition needs the extension pgcrypto'
            USING ERRCODE = 'undefined_object',
                  HINT = 'CREATE EXTENSION pgcrypto WITH SCHEMA extensions; (Supabase has it there already)';
    END IF;

    -- The 1296 pairs of base-36 digits, "00" to "zz", as one bytea constant: two bytes at a
    -- computed offset cost the same at any offset (text would be read from its start).
    SELECT '''\x' || string_agg(pg_catalog.encode(pg_catalog.convert_to(a.c || b.c, 'SQL_ASCII'), 'hex'), ''
                                ORDER BY a.i, b.i) || '''::bytea'
    INTO pairs
    FROM (SELECT i, substr('0123456789abcdefghijklmnopqrstuvwxyz', i + 1, 1) AS c FROM generate_series(0, 35) i) a,
         (SELECT i, substr('0123456789abcdefghijklmnopqrstuvwxyz', i + 1, 1) AS c FROM generate_series(0, 35) i) b;

    -- The fold table in this database's encoding. In UTF8 every entry; in LATIN1 those it can
    -- hold (a code point below 256 is that byte); elsewhere none (docs/hosted.md).
    FOR entry IN SELECT regexp_split_to_array(e, ':')
                 FROM regexp_split_to_table(btrim(latin_fold), ' +') e LOOP
        CONTINUE WHEN encoding <> 'UTF8' AND (encoding <> 'LATIN1' OR ('x' || lpad(entry[1], 8, '0'))::bit(32)::int > 255);
        ch := chr(('x' || lpad(entry[1], 8, '0'))::bit(32)::int);
        IF length(entry[2]) = 1 THEN
            fold_from := fold_from || ch;
            fold_to := fold_to || entry[2];
        ELSE
            fold_multi := format('pg_catalog.replace(%s, %L, %L)', fold_multi, ch, entry[2]);
        END IF;
    END LOOP;

    -- The bounds Rlo and Rhi of 2^(512 - b) / 36^k for the CUID2 construction, for k = 60 .. 99
    -- (what digests of 488 bits and more need) and b = 112, 168 and 224 leading bits: b's decimal
    -- digits plus 13 places, so that (T + 1) * (Rhi - Rlo) < 10^-12. Elements are indexed by k.
    SELECT array_agg(format('%L::pg_catalog.numeric[]', '[60:99]={' || t || '}') ORDER BY b, hi)
    INTO r_bounds
    FROM (SELECT b, hi, string_agg(((pg_catalog.div(round(2::pg_catalog.numeric ^ (512 - b)) * round(10::pg_catalog.numeric ^ e),
                                                    round(36::pg_catalog.numeric ^ k)) + hi)
                                    * ('1e-' || e)::pg_catalog.numeric)::text, ',' ORDER BY k) AS t
          FROM (VALUES (112, 47), (168, 64), (224, 81)) AS w(b, e), generate_series(0, 1) AS hi, generate_series(60, 99) AS k
          GROUP BY b, hi) AS bounds;

    FOREACH stmt IN ARRAY statements LOOP
        stmt := replace(stmt, '@construct_variables@', construct_variables);
        stmt := replace(stmt, '@random_inputs@', random_inputs);
        stmt := replace(stmt, '@construct_random@', replace(replace(replace(replace(construct,
                        '{letter}', random_letter), '{salt}', random_salt), '{fingerprint}', random_fingerprint),
                        '{counter36}', random_counter36));
        stmt := replace(stmt, '@construct@', replace(replace(replace(replace(construct,
                        '{letter}', 'letter'), '{salt}', 'pg_catalog.convert_to(salt, pg_catalog.getdatabaseencoding())'),
                        '{fingerprint}', 'pg_catalog.convert_to(fingerprint, pg_catalog.getdatabaseencoding())'),
                        '{counter36}', 'pg_catalog.decode(@schema@._idconv_base36(c_counter), ''escape'')'));
        stmt := replace(stmt, '@r_lo400@', r_bounds[1]);
        stmt := replace(stmt, '@r_hi400@', r_bounds[2]);
        stmt := replace(stmt, '@r_lo344@', r_bounds[3]);
        stmt := replace(stmt, '@r_hi344@', r_bounds[4]);
        stmt := replace(stmt, '@r_lo288@', r_bounds[5]);
        stmt := replace(stmt, '@r_hi288@', r_bounds[6]);
        -- The adoption procedures' placeholders (src/sql/build.py, EXTENSION_SCHEMA): this
        -- edition names its objects in full, so their search_path is pg_catalog's alone.
        stmt := replace(stmt, '@search_path@', '''pg_catalog, pg_temp''');
        stmt := replace(stmt, '@schema_name@', quote_literal(quote_ident(target)));
        stmt := replace(stmt, '@schema@', quote_ident(target));
        stmt := replace(stmt, '@crypto@', quote_ident(crypto));
        stmt := replace(stmt, '@combining@',
                        CASE WHEN encoding = 'UTF8'
                             THEN '''[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]'''
                             ELSE '''(?!x)x''' END);
        stmt := replace(stmt, '@fold_multi@', fold_multi);
        stmt := replace(stmt, '@fold_from@', quote_literal(fold_from));
        stmt := replace(stmt, '@fold_to@', quote_literal(fold_to));
        -- @pairsN:EXPR@: the 2N base-36 digits of the bigint EXPR (below 36^2N), as bytea.
        LOOP
            m := regexp_match(stmt, '@pairs([0-9]):([^@]*)@');
            EXIT WHEN m IS NULL;
            SELECT string_agg(format('pg_catalog.substring(%s, ((%s OPERATOR(pg_catalog./) %s::pg_catalog.int8) OPERATOR(pg_catalog.%%) 1296)::pg_catalog.int4 OPERATOR(pg_catalog.*) 2 OPERATOR(pg_catalog.+) 1, 2)',
                                     '@pairs@', m[2], (1296::pg_catalog.numeric ^ k)::pg_catalog.int8), ' OPERATOR(pg_catalog.||) ' ORDER BY k DESC)
            INTO expansion FROM generate_series(0, m[1]::int - 1) k;
            stmt := replace(stmt, '@pairs' || m[1] || ':' || m[2] || '@', expansion);
        END LOOP;
        -- @digest_number:X@: the 64-byte digest X as one numeric, in nine 56-bit pieces and a byte.
        LOOP
            m := regexp_match(stmt, '@digest_number:([^@]*)@');
            EXIT WHEN m IS NULL;
            SELECT string_agg(format('((''x'' OPERATOR(pg_catalog.||) pg_catalog.encode(pg_catalog.substring(%s, %s, 7), ''hex''))::pg_catalog.bit(56)::pg_catalog.int8::pg_catalog.numeric OPERATOR(pg_catalog.*) %s::pg_catalog.numeric)',
                                     m[1], 7 * k + 1, round(2::pg_catalog.numeric ^ (456 - 56 * k))), ' OPERATOR(pg_catalog.+) ' ORDER BY k)
                   || format(' OPERATOR(pg_catalog.+) pg_catalog.get_byte(%s, 63)::pg_catalog.numeric', m[1])
            INTO expansion FROM generate_series(0, 8) k;
            stmt := replace(stmt, '@digest_number:' || m[1] || '@', expansion);
        END LOOP;
        -- @top_intN:X@: the leading 56N bits of the 64-byte digest X as one number, in N 56-bit pieces.
        LOOP
            m := regexp_match(stmt, '@top_int([0-9]):([^@]*)@');
            EXIT WHEN m IS NULL;
            SELECT '(' || string_agg(format('((''x'' || pg_catalog.encode(pg_catalog.substring(%s, %s, 7), ''hex''))::pg_catalog.bit(56)::pg_catalog.int8::pg_catalog.numeric * %s::pg_catalog.numeric)',
                                            m[2], 7 * k + 1, round(2::pg_catalog.numeric ^ (56 * (m[1]::int - 1 - k)))), ' + ' ORDER BY k) || ')'
            INTO expansion FROM generate_series(0, m[1]::int - 1) k;
            stmt := replace(stmt, '@top_int' || m[1] || ':' || m[2] || '@', expansion);
        END LOOP;
        -- @is_uuid_text:X@: X is a UUID in its 36-character form, any case. (No bounded repetition:
        -- PostgreSQL expands it into a much slower automaton.)
        LOOP
            m := regexp_match(stmt, '@is_uuid_text:([^@]*)@');
            EXIT WHEN m IS NULL;
            expansion := format('(pg_catalog.octet_length(%1$s) = 36 AND pg_catalog.substr(%1$s, 9, 1) = ''-'' AND pg_catalog.substr(%1$s, 14, 1) = ''-'' '
                                'AND pg_catalog.substr(%1$s, 19, 1) = ''-'' AND pg_catalog.substr(%1$s, 24, 1) = ''-'' '
                                'AND %1$s COLLATE pg_catalog."C" ~ ''^[0-9a-fA-F]+-[0-9a-fA-F]+-[0-9a-fA-F]+-[0-9a-fA-F]+-[0-9a-fA-F]+$'')', m[1]);
            stmt := replace(stmt, '@is_uuid_text:' || m[1] || '@', expansion);
        END LOOP;
        -- @v5_of:H@: the UUID of a SHA-1 digest H: its first 16 bytes, version 5, RFC variant.
        LOOP
            m := regexp_match(stmt, '@v5_of:([^@]*)@');
            EXIT WHEN m IS NULL;
            expansion := format('pg_catalog.encode(pg_catalog.set_byte(pg_catalog.set_byte(pg_catalog.substring(%1$s, 1, 16), 6, '
                                '(pg_catalog.get_byte(%1$s, 6) OPERATOR(pg_catalog.&) 15) OPERATOR(pg_catalog.|) 80), 8, '
                                '(pg_catalog.get_byte(%1$s, 8) OPERATOR(pg_catalog.&) 63) OPERATOR(pg_catalog.|) 128), ''hex'')::pg_catalog.uuid',
                                m[1]);
            stmt := replace(stmt, '@v5_of:' || m[1] || '@', expansion);
        END LOOP;
        stmt := replace(stmt, '@pairs@', pairs);
        -- PL/pgSQL functions pin search_path, so their operators need no schema (and then take
        -- their usual precedence, which OPERATOR() would not).
        IF stmt LIKE '%LANGUAGE plpgsql%' THEN
            stmt := regexp_replace(stmt, 'OPERATOR\(pg_catalog\.([^)]+)\)', '\1', 'g');
        END IF;
        EXECUTE stmt;
    END LOOP;
END
$idconv_portable$;
