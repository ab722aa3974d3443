-- idconv portable edition: equal to idconv 0.4.0 (the C++ extension's idconv--0.4.0.sql).
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
    -- (Unicode 14.0.0), code point in hex and its spelling. The differential test runs slugify
    -- over every entry against the extension.
    latin_fold constant text :=
        'C0:a C1:a C2:a C3:a C4:a C5:a C6:ae C7:c C8:e C9:e CA:e CB:e CC:i CD:i CE:i CF:i D0:d D1:n '
        'D2:o D3:o D4:o D5:o D6:o D8:o D9:u DA:u DB:u DC:u DD:y DE:th DF:ss E0:a E1:a E2:a E3:a E4:a '
        'E5:a E6:ae E7:c E8:e E9:e EA:e EB:e EC:i ED:i EE:i EF:i F0:d F1:n F2:o F3:o F4:o F5:o F6:o '
        'F8:o F9:u FA:u FB:u FC:u FD:y FE:th FF:y 100:a 101:a 102:a 103:a 104:a 105:a 106:c 107:c '
        '108:c 109:c 10A:c 10B:c 10C:c 10D:c 10E:d 10F:d 110:d 111:d 112:e 113:e 114:e 115:e 116:e '
        '117:e 118:e 119:e 11A:e 11B:e 11C:g 11D:g 11E:g 11F:g 120:g 121:g 122:g 123:g 124:h 125:h '
        '126:h 127:h 128:i 129:i 12A:i 12B:i 12C:i 12D:i 12E:i 12F:i 130:i 131:i 132:ij 133:ij 134:j '
        '135:j 136:k 137:k 138:k 139:l 13A:l 13B:l 13C:l 13D:l 13E:l 13F:l 140:l 141:l 142:l 143:n '
        '144:n 145:n 146:n 147:n 148:n 149:n 14A:ng 14B:ng 14C:o 14D:o 14E:o 14F:o 150:o 151:o '
        '152:oe 153:oe 154:r 155:r 156:r 157:r 158:r 159:r 15A:s 15B:s 15C:s 15D:s 15E:s 15F:s 160:s '
        '161:s 162:t 163:t 164:t 165:t 166:t 167:t 168:u 169:u 16A:u 16B:u 16C:u 16D:u 16E:u 16F:u '
        '170:u 171:u 172:u 173:u 174:w 175:w 176:y 177:y 178:y 179:z 17A:z 17B:z 17C:z 17D:z 17E:z '
        '17F:s 180:b 181:b 182:b 183:b 187:c 188:c 18A:d 18B:d 18C:d 191:f 192:f 193:g 195:hv 197:i '
        '198:k 199:k 19A:l 19D:n 19E:n 1A0:o 1A1:o 1A4:p 1A5:p 1AB:t 1AC:t 1AD:t 1AE:t 1AF:u 1B0:u '
        '1B2:v 1B3:y 1B4:y 1B5:z 1B6:z 1C4:dz 1C5:dz 1C6:dz 1C7:lj 1C8:lj 1C9:lj 1CA:nj 1CB:nj '
        '1CC:nj 1CD:a 1CE:a 1CF:i 1D0:i 1D1:o 1D2:o 1D3:u 1D4:u 1D5:u 1D6:u 1D7:u 1D8:u 1D9:u 1DA:u '
        '1DB:u 1DC:u 1DE:a 1DF:a 1E0:a 1E1:a 1E6:g 1E7:g 1E8:k 1E9:k 1EA:o 1EB:o 1EC:o 1ED:o 1F0:j '
        '1F1:dz 1F2:dz 1F3:dz 1F4:g 1F5:g 1F8:n 1F9:n 1FA:a 1FB:a 200:a 201:a 202:a 203:a 204:e '
        '205:e 206:e 207:e 208:i 209:i 20A:i 20B:i 20C:o 20D:o 20E:o 20F:o 210:r 211:r 212:r 213:r '
        '214:u 215:u 216:u 217:u 218:s 219:s 21A:t 21B:t 21E:h 21F:h 221:d 226:a 227:a 228:e 229:e '
        '22A:o 22B:o 22C:o 22D:o 22E:o 22F:o 230:o 231:o 232:y 233:y 234:l 235:n 236:t 237:j 23A:a '
        '23B:c 23C:c 23D:l 23E:t 23F:s 240:z 243:b 244:u 246:e 247:e 248:j 249:j 24A:q 24B:q 24C:r '
        '24D:r 24E:y 24F:y 1E00:a 1E01:a 1E02:b 1E03:b 1E04:b 1E05:b 1E06:b 1E07:b 1E08:c 1E09:c '
        '1E0A:d 1E0B:d 1E0C:d 1E0D:d 1E0E:d 1E0F:d 1E10:d 1E11:d 1E12:d 1E13:d 1E14:e 1E15:e 1E16:e '
        '1E17:e 1E18:e 1E19:e 1E1A:e 1E1B:e 1E1C:e 1E1D:e 1E1E:f 1E1F:f 1E20:g 1E21:g 1E22:h 1E23:h '
        '1E24:h 1E25:h 1E26:h 1E27:h 1E28:h 1E29:h 1E2A:h 1E2B:h 1E2C:i 1E2D:i 1E2E:i 1E2F:i 1E30:k '
        '1E31:k 1E32:k 1E33:k 1E34:k 1E35:k 1E36:l 1E37:l 1E38:l 1E39:l 1E3A:l 1E3B:l 1E3C:l 1E3D:l '
        '1E3E:m 1E3F:m 1E40:m 1E41:m 1E42:m 1E43:m 1E44:n 1E45:n 1E46:n 1E47:n 1E48:n 1E49:n 1E4A:n '
        '1E4B:n 1E4C:o 1E4D:o 1E4E:o 1E4F:o 1E50:o 1E51:o 1E52:o 1E53:o 1E54:p 1E55:p 1E56:p 1E57:p '
        '1E58:r 1E59:r 1E5A:r 1E5B:r 1E5C:r 1E5D:r 1E5E:r 1E5F:r 1E60:s 1E61:s 1E62:s 1E63:s 1E64:s '
        '1E65:s 1E66:s 1E67:s 1E68:s 1E69:s 1E6A:t 1E6B:t 1E6C:t 1E6D:t 1E6E:t 1E6F:t 1E70:t 1E71:t '
        '1E72:u 1E73:u 1E74:u 1E75:u 1E76:u 1E77:u 1E78:u 1E79:u 1E7A:u 1E7B:u 1E7C:v 1E7D:v 1E7E:v '
        '1E7F:v 1E80:w 1E81:w 1E82:w 1E83:w 1E84:w 1E85:w 1E86:w 1E87:w 1E88:w 1E89:w 1E8A:x 1E8B:x '
        '1E8C:x 1E8D:x 1E8E:y 1E8F:y 1E90:z 1E91:z 1E92:z 1E93:z 1E94:z 1E95:z 1E96:h 1E97:t 1E98:w '
        '1E99:y 1E9A:a 1E9B:s 1E9C:s 1E9D:s 1E9E:ss 1EA0:a 1EA1:a 1EA2:a 1EA3:a 1EA4:a 1EA5:a 1EA6:a '
        '1EA7:a 1EA8:a 1EA9:a 1EAA:a 1EAB:a 1EAC:a 1EAD:a 1EAE:a 1EAF:a 1EB0:a 1EB1:a 1EB2:a 1EB3:a '
        '1EB4:a 1EB5:a 1EB6:a 1EB7:a 1EB8:e 1EB9:e 1EBA:e 1EBB:e 1EBC:e 1EBD:e 1EBE:e 1EBF:e 1EC0:e '
        '1EC1:e 1EC2:e 1EC3:e 1EC4:e 1EC5:e 1EC6:e 1EC7:e 1EC8:i 1EC9:i 1ECA:i 1ECB:i 1ECC:o 1ECD:o '
        '1ECE:o 1ECF:o 1ED0:o 1ED1:o 1ED2:o 1ED3:o 1ED4:o 1ED5:o 1ED6:o 1ED7:o 1ED8:o 1ED9:o 1EDA:o '
        '1EDB:o 1EDC:o 1EDD:o 1EDE:o 1EDF:o 1EE0:o 1EE1:o 1EE2:o 1EE3:o 1EE4:u 1EE5:u 1EE6:u 1EE7:u '
        '1EE8:u 1EE9:u 1EEA:u 1EEB:u 1EEC:u 1EED:u 1EEE:u 1EEF:u 1EF0:u 1EF1:u 1EF2:y 1EF3:y 1EF4:y '
        '1EF5:y 1EF6:y 1EF7:y 1EF8:y 1EF9:y 1EFA:ll 1EFB:ll ';
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
-- CUID2 -------------------------------------------------------------------------------------------

-- A caller's value as the extension's messages show it: at most 80 bytes, cut on a character
-- boundary, "..." when cut.
$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_shown(value text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_shown(text) IS
'idconv portable: a value as messages show it, cut to 80 bytes'
$s$,

-- A non-negative bigint in base 36, as JavaScript's toString(36) writes it. Inlined into its
-- caller (a SQL function of one expression).
$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_base36(v bigint)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT COALESCE(NULLIF(pg_catalog.ltrim(pg_catalog.encode(
           pg_catalog.substring(@pairs@, ((v OPERATOR(pg_catalog./) 4738381338321616896::pg_catalog.int8)::pg_catalog.int4
                                          OPERATOR(pg_catalog.*) 2 OPERATOR(pg_catalog.+) 2), 1)
           OPERATOR(pg_catalog.||) @pairs6:(v OPERATOR(pg_catalog.%) 4738381338321616896::pg_catalog.int8)@,
           'escape'), '0'), ''), '0')
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_base36(bigint) IS
'idconv portable: a non-negative bigint in base 36'
$s$,

-- The CUID2 construction, as src/core/cuid2.cpp (and @paralleldrive/cuid2 3.3.0) make it:
--   letter + base36(SHA3-512(base36(time_ms) || salt || base36(counter) || fingerprint))[2 .. length]
-- with the digest read as a big-endian integer. The block writes it out (@construct@) in each
-- generator, so that an id costs one PL/pgSQL call; this function runs the same statements on
-- given inputs, and is checked against test/unit/vectors/cuid2.tsv, the vectors the extension's
-- unit tests check.
$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_cuid2_construct(letter text, time_ms bigint, salt text,
                                                           counter bigint, fingerprint text, length int)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_cuid2_construct(text, bigint, text, bigint, text, int) IS
'idconv portable: the CUID2 construction from its inputs (letter, time in ms, salt, counter, fingerprint, length)'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.generate_cuid2(length int DEFAULT 24)
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.generate_cuid2(int) IS
'A new CUID2 of the given length (2 to 32, default 24), made as @paralleldrive/cuid2 makes it, from a CSPRNG'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.is_cuid2(id text, min_length int DEFAULT 2, max_length int DEFAULT 32)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.is_cuid2(text, int, int) IS
'True when id matches ^[a-z][0-9a-z]+$ and its length is within [min_length, max_length]; never raises'
$s$,

-- Prefixed ids ------------------------------------------------------------------------------------

$s$
CREATE OR REPLACE FUNCTION @schema@.generate_prefixed_id(prefix text, body_length int DEFAULT 16)
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.generate_prefixed_id(text, int) IS
'A new prefixed id: prefix, "_", and a CUID2 body of body_length characters (2 to 32, default 16)'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.is_valid_prefix(prefix text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
-- A text over 63 bytes is not one: the pattern then reads '' (repeat(prefix, 0)), which it
-- rejects, so a long text costs nothing. (No bounded repetition in the pattern: PostgreSQL's
-- regular expressions expand it into a much slower automaton.)
SELECT pg_catalog.repeat(prefix, (pg_catalog.octet_length(prefix) OPERATOR(pg_catalog.<=) 63)::pg_catalog.int4)
         COLLATE pg_catalog."C" OPERATOR(pg_catalog.~) '^[a-z](?:[a-z_]*[a-z])?$'
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@.is_valid_prefix(text) IS
'True when prefix follows the TypeID prefix grammar: 1 to 63 characters of [a-z_], first and last a letter; never raises'
$s$,

-- A prefixed id is at most 96 bytes (63 + 1 + 32). The body has no "_", so the "_" before it is
-- the last one. With a prefix given (a CHECK's usual form) the id must start with that prefix and
-- "_", and the rest be a body: a pattern that begins with the prefix's letters runs several times
-- slower in PostgreSQL's regular expressions than one on the body alone.
$s$
CREATE OR REPLACE FUNCTION @schema@.is_prefixed_id(id text, prefix text DEFAULT NULL, body_length int DEFAULT 16)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.is_prefixed_id(text, text, int) IS
'True when id is a valid prefix, "_", and a CUID2 body of exactly body_length characters, with that prefix when one is given (NULL: any prefix); never raises'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.prefixed_id_prefix(id text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.prefixed_id_prefix(text) IS
'The prefix of a prefixed id (the part before the last "_"), or NULL when id is not a prefixed id'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.prefixed_id_body(id text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.prefixed_id_body(text) IS
'The CUID2 body of a prefixed id (the part after the last "_"), or NULL when id is not a prefixed id'
$s$,

-- Canonical subject ids ---------------------------------------------------------------------------

-- SHA-1 over the namespace's 16 bytes and the name's bytes in the database encoding
-- (convert_to(…, 'SQL_ASCII') hands them over unconverted).
$s$
CREATE OR REPLACE FUNCTION @schema@.uuidv5(namespace uuid, name text)
RETURNS uuid
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    h constant bytea := @crypto@.digest(pg_catalog.uuid_send(namespace) OPERATOR(pg_catalog.||)
                                        pg_catalog.convert_to(name, 'SQL_ASCII'), 'sha1');
BEGIN
    RETURN @v5_of:h@;
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@.uuidv5(uuid, text) IS
'RFC 9562 UUIDv5: SHA-1 over the namespace and the bytes of name in the database encoding; equals uuid-ossp''s uuid_generate_v5'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.normalize_subject(subject text, namespace uuid)
RETURNS uuid
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.normalize_subject(text, uuid) IS
'The canonical subject id: a subject in the 36-character UUID form (any case) as that UUID, any other as uuidv5(namespace, subject), bytes as given; an empty subject is an error'
$s$,

-- The namespace from idconv.subject_namespace, or the extension's error for it.
$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_namespace()
RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_namespace() IS
'idconv portable: the namespace UUID from idconv.subject_namespace, or an error saying how to set it'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.normalize_subject(subject text)
RETURNS uuid
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.normalize_subject(text) IS
'normalize_subject(subject, namespace) with the namespace from the setting idconv.subject_namespace'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.sha1_subject_uuid(subject text)
RETURNS uuid
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    h constant bytea := @crypto@.digest(pg_catalog.convert_to(subject, 'SQL_ASCII'), 'sha1');
BEGIN
    RETURN @v5_of:h@;
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@.sha1_subject_uuid(text) IS
'SHA-1 of the bare subject (no namespace), first 16 bytes, version 5 and RFC variant bits set: for matching rows stored by apps that used this mapping'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.uuid_version(uuid)
RETURNS int
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.uuid_version(uuid) IS
'The version field of a UUID of the RFC 9562 variant, NULL for other variants (such as the nil and max UUIDs)'
$s$,

-- The request's subject: the sub of request.jwt.claims, else request.jwt.claim.sub, else the
-- setting named by idconv.subject_setting. Claims that are not JSON raise PostgreSQL's own json
-- error (22P02, as the extension's): catching it to reword it would take a subtransaction, which
-- a parallel worker (where a policy's current_subject_id() may run) cannot start.
$s$
CREATE OR REPLACE FUNCTION @schema@.current_subject_id()
RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.current_subject_id() IS
'The canonical id of the request''s subject: the sub of request.jwt.claims, else request.jwt.claim.sub, else the setting named by idconv.subject_setting, normalized with normalize_subject(text); NULL when there is none'
$s$,

-- An older install's two-argument version would make calls ambiguous.
$s$
DO $drop$ BEGIN
    IF pg_catalog.to_regprocedure('@schema@._idconv_row_key(oid, anyelement)') IS NOT NULL THEN
        DROP FUNCTION @schema@._idconv_row_key(oid, anyelement);
    END IF;
END $drop$
$s$,

-- The primary key of a row as the extension's messages show it: "(a, b)=(1, x)", the columns in
-- the key's order. With check_privileges, NULL when the caller may not read the key: row-level
-- security applies to it, or it lacks SELECT on the table and on some key column (as
-- PostgreSQL's own messages decide).
$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_row_key(rel oid, r anyelement, check_privileges boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql STABLE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_row_key(oid, anyelement, boolean) IS
'idconv portable: the primary key of a row of the table, as messages show it; NULL when checking privileges and the caller may not read it'
$s$,

-- The detail of a message logged when an owner column changes (an owner admin's override, a
-- rename cascade): the row's key only when show_key and the caller may read it. (The extension
-- also writes the key to the server log in any case; PL/pgSQL has one detail for both.) `why`
-- ends it.
$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_owner_change_detail(rel oid, r anyelement, old_owner uuid, new_owner uuid, why text, show_key boolean)
RETURNS text
LANGUAGE plpgsql STABLE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_owner_change_detail(oid, anyelement, uuid, uuid, text, boolean) IS
'idconv portable: the detail of the message logged when an owner admin or a rename cascade sets an owner'
$s$,

-- Whether the key column col of rel no longer holds old_key and holds new_key: what a rename of
-- the key left. A fresh snapshot (VOLATILE), which sees the statement's change of the key. With
-- row_security off, row-level security that would hide rows from the caller is an error (42501),
-- not a wrong answer.
$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_key_renamed(rel oid, col int2, old_key uuid, new_key uuid)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_key_renamed(oid, int2, uuid, uuid) IS
'idconv portable: whether a key column no longer holds the old key and holds the new one (a rename of the key)'
$s$,

-- Whether an UPDATE changed a column of the partition key of any table rel is a partition of.
-- Expression keys are not checked.
$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_partition_key_changed(rel oid, was jsonb, now_ jsonb)
RETURNS boolean
LANGUAGE sql STABLE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_partition_key_changed(oid, jsonb, jsonb) IS
'idconv portable: whether an update changed a partition key column of a table the relation is a partition of'
$s$,

-- The checks the extension's triggers make before anything else: the named column exists; the
-- trigger is fired as its function requires and declared for INSERT and UPDATE of every column.
-- The triggers raise the errors themselves, so that the errors carry no extra context.
$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_trigger_column(rel oid, column_name text)
RETURNS int
LANGUAGE plpgsql STABLE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_trigger_column(oid, text) IS
'idconv portable: the number of a user column of the table, NULL when it has none of that name'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_trigger_fired_right(rel oid, trigger_name name, want_when text,
                                                               fired_when text, fired_level text, fired_op text)
RETURNS boolean
LANGUAGE plpgsql STABLE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_trigger_fired_right(oid, name, text, text, text, text) IS
'idconv portable: whether a row trigger fired at the time its function requires and is declared for INSERT and UPDATE of every column'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.stamp_subject()
RETURNS trigger
LANGUAGE plpgsql
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
    rekey_run pg_catalog.int8;
    rename_log pg_catalog.text;
    rename_why pg_catalog.text;
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
        -- referenced table, the new one there). So does rekey's move of the referenced key
        -- (_rekey_owner_move). The AFTER twin accepts exactly the noted change.
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
                rename_log := 'foreign key cascade renamed';
                rename_why := pg_catalog.format('the referenced key renamed in %s (ON UPDATE CASCADE of "%s"), in a statement of role "%s"',
                                                pg_catalog.quote_ident((SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = fk.confrelid)), fk.conname, acting);
            END IF;
        ELSIF old_v IS NOT NULL AND new_v IS NOT NULL THEN
            rekey_run := @schema@._rekey_owner_move(TG_RELID, @schema@._idconv_trigger_column(TG_RELID, col)::pg_catalog.int2, old_v, new_v);
            IF rekey_run IS NOT NULL THEN
                rename_log := 'rekey renamed';
                rename_why := pg_catalog.format('the referenced key moved by rekey (run %s), in a statement of role "%s"', rekey_run, acting);
            END IF;
        END IF;
        IF rename_log IS NOT NULL THEN
            pending := pg_catalog.current_setting('idconv_portable.renamed', true);
            IF pending IS NULL OR pending NOT LIKE tag || '%' THEN
                pending := tag;
            END IF;
            PERFORM pg_catalog.set_config('idconv_portable.renamed', pending || ' ' || pg_catalog.md5(TG_RELID::pg_catalog.text || ':' || OLD::pg_catalog.text || ':' || old_v::pg_catalog.text || ':' || new_v::pg_catalog.text), true);
            RAISE LOG 'idconv: % "%" of a row in %.%', rename_log, col, pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME)
                USING DETAIL = @schema@._idconv_owner_change_detail(TG_RELID, NEW, old_v, new_v, rename_why, NOT fk_action);
            RETURN NEW;
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.stamp_subject() IS
'Row trigger declared twice, with the owner column as argument and without WHEN: BEFORE INSERT OR UPDATE sets the column to current_subject_id() on INSERT and refuses changes on UPDATE, except where ON UPDATE CASCADE of a foreign key on the owner column alone renames the referenced key (logged; but not, for a subject that is no owner admin, onto or off its own id); AFTER INSERT OR UPDATE OR DELETE checks the stored rows (no later trigger changed the owner or moved the row to another partition). Members of idconv.owner_admin_role are exempt (logged); inside a foreign-key action the role the session runs as counts, not the table owner the action runs as'
$s$,

-- Prefix registry ---------------------------------------------------------------------------------

$s$
CREATE TABLE IF NOT EXISTS @schema@.id_prefixes (
    entity      text PRIMARY KEY CHECK (octet_length(entity) BETWEEN 1 AND 63),
    prefix      text NOT NULL UNIQUE CHECK (@schema@.is_valid_prefix(prefix)),
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    body        text NOT NULL DEFAULT 'cuid2' CHECK (body IN ('cuid2', 'typeid'))
)
$s$,
$s$
COMMENT ON TABLE @schema@.id_prefixes IS
'idconv''s prefix registry: which entity each id prefix stands for, and whether its ids are prefixed CUID2s or TypeIDs (see register_prefix, generate_id_for, entity_of)'
$s$,
-- A registry made by an earlier portable edition gets the body column (its rows are CUID2s).
$s$
ALTER TABLE @schema@.id_prefixes ADD COLUMN IF NOT EXISTS body text NOT NULL DEFAULT 'cuid2' CHECK (body IN ('cuid2', 'typeid'))
$s$,

$s$
GRANT SELECT ON @schema@.id_prefixes TO PUBLIC
$s$,
-- 0.3.0 added the body argument: an earlier portable edition's three-argument function goes.
$s$
DO $drop$ BEGIN
    IF pg_catalog.to_regprocedure('@schema@.register_prefix(text, text, text)') IS NOT NULL THEN
        DROP FUNCTION @schema@.register_prefix(text, text, text);
    END IF;
END $drop$
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.register_prefix(entity text, prefix text, description text DEFAULT NULL, body text DEFAULT 'cuid2')
RETURNS text
LANGUAGE plpgsql VOLATILE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.register_prefix(text, text, text, text) IS
'Registers the prefix of an entity in id_prefixes and returns it; body is ''cuid2'' (prefixed CUID2 ids) or ''typeid'' (TypeIDs); an invalid prefix or body is an error, and so is an entity or prefix already registered'
$s$,

-- Reads the registry on every call: there is no per-backend copy to keep current.
$s$
CREATE OR REPLACE FUNCTION @schema@.generate_id_for(entity text)
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.generate_id_for(text) IS
'A new id with the prefix registered for the entity, with the body registered for it: a 16-character CUID2 or a TypeID; an unregistered entity is an error'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.entity_of(id text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.entity_of(text) IS
'The entity whose registered prefix the id carries, for a prefixed CUID2 or a TypeID alike, or NULL'
$s$,

-- Citus: the registry on every node ---------------------------------------------------------------

-- As the extension's, with the schema filled in: the portable edition is no extension to look up.
$s$
CREATE OR REPLACE FUNCTION @schema@.id_prefixes_mirror()
RETURNS trigger
LANGUAGE plpgsql
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.id_prefixes_mirror() IS
'Trigger on the reference table id_prefix_registry that distribute_registry() makes: writes each change into the id_prefixes of the node it fires on'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.distribute_registry()
RETURNS regclass
LANGUAGE plpgsql VOLATILE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.distribute_registry() IS
'On a Citus coordinator: makes the reference table id_prefix_registry from id_prefixes, with a copy on every node whose trigger keeps that node''s id_prefixes equal to it, so that register_prefix (which then writes it) reaches every node; an error without Citus'
$s$,

-- Classification and audits -----------------------------------------------------------------------

$s$
CREATE OR REPLACE FUNCTION @schema@.id_kind(id text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.id_kind(text) IS
'What kind of id the text is, first match wins: uuid, prefixed, integer, typeid, cuid, cuid2, slug, token, other'
$s$,

-- The extension reads the relation as its owner, in a security-restricted operation; SQL cannot
-- start one, and a SECURITY DEFINER function would have to belong to each table's owner. So the
-- portable edition reads as the caller, and only where nothing the owner controls runs: code of
-- the owner's (a cast to text of the column's type, a view's body, policies that apply, the remote
-- side of a foreign table under it) runs only for the owner itself (docs/hosted.md,
-- "Differences"). The caller's own checks are the extension's. It needs no privilege beyond the
-- caller's: no role other than the caller runs the query that calls id_kind.
$s$
CREATE OR REPLACE FUNCTION @schema@.audit_id_column(tbl regclass, col name)
RETURNS TABLE (kind text, rows bigint, example text)
LANGUAGE plpgsql STABLE STRICT
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.audit_id_column(regclass, name) IS
'One row per id_kind found in the column: the kind (NULL for NULL values), how many rows, and the smallest value as an example; reads the table as the caller, and refuses one whose reading runs code of another role (portable edition)'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.audit_subject_references(schema_name name DEFAULT NULL, profiles regclass DEFAULT NULL)
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
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@.audit_subject_references(name, regclass) IS
'One row per problem with a user-reference column: forbidden_name (user_id, created_by, owner_id), not_uuid, no_foreign_key (to profiles when given), no_index'
$s$,

-- Tenant slugs ------------------------------------------------------------------------------------

$s$
CREATE OR REPLACE FUNCTION @schema@.is_slug(text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
-- As is_valid_prefix: over 63 bytes, the pattern reads '' and rejects it.
SELECT pg_catalog.repeat($1, (pg_catalog.octet_length($1) OPERATOR(pg_catalog.<=) 63)::pg_catalog.int4)
         COLLATE pg_catalog."C" OPERATOR(pg_catalog.~) '^[a-z0-9]+(?:-[a-z0-9]+)*$'
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@.is_slug(text) IS
'True when the text is 1 to 63 characters of [a-z0-9] runs joined by single "-", with no "-" at either end; never raises'
$s$,

-- The extension's slugify reads the text until the slug has 65 characters; this one reads it in
-- pieces that double in size, so a long text that is all separators costs time in proportion to
-- its length, and one that makes a long slug costs one short piece.
$s$
CREATE OR REPLACE FUNCTION @schema@.slugify(text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.slugify(text) IS
'A slug of the text: lower-case, Latin diacritics folded to ASCII, other runs of characters as one "-", cut to 63 on a word boundary; NULL when nothing is left'
$s$,

-- Deferred checks ---------------------------------------------------------------------------------

-- The extension skips a row version that a later statement of the transaction updated or deleted
-- (that one has an event of its own). PL/pgSQL cannot see a row version's identity, so when the
-- column is NULL this looks for a live row equal to the one checked (by primary key, then whole
-- row): none means a later statement changed it. Where row-level security could hide the live
-- row from the caller, a NULL column is an error without looking (fail closed).
$s$
CREATE OR REPLACE FUNCTION @schema@.require_filled_at_commit()
RETURNS trigger
LANGUAGE plpgsql
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.require_filled_at_commit() IS
'Constraint trigger (AFTER INSERT OR UPDATE, DEFERRABLE INITIALLY DEFERRED, FOR EACH ROW); arguments: a column, then optionally an exemption column and its exempt values. At commit the column must not be NULL unless exempt'
$s$,

-- Time-ordered ids: UUIDv7 and TypeID -------------------------------------------------------------

-- The 128 bits of a UUID in the 26 base32 characters of TypeID (two zero bits in front).
$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_typeid_suffix(id uuid)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_typeid_suffix(uuid) IS
'idconv portable: a UUID in the 26 base32 characters of a TypeID'
$s$,

-- Why id is not a TypeID (spec 0.3.0), as the extension's details say it, or NULL when it is one.
$s$
CREATE OR REPLACE FUNCTION @schema@._idconv_typeid_problem(id text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@._idconv_typeid_problem(text) IS
'idconv portable: why a text is not a TypeID, NULL when it is one'
$s$,

-- rand_b: 62 bits from pgcrypto's CSPRNG, below the RFC variant bits. The extension keeps the last
-- time per backend so that each UUID is greater than the one before; PL/pgSQL keeps nothing
-- between calls, so the order is the clock's (docs/hosted.md).
$s$
CREATE OR REPLACE FUNCTION @schema@.uuid_generate_v7()
RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.uuid_generate_v7() IS
'A new RFC 9562 version 7 UUID: Unix milliseconds, a 12-bit fraction of the millisecond, 62 bits from a CSPRNG; in the clock''s order (the portable edition keeps no per-backend state)'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.uuid_v7_to_timestamptz(id uuid)
RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.uuid_v7_to_timestamptz(uuid) IS
'The time a version 7 UUID carries, to the millisecond; NULL when the UUID is not version 7 of the RFC 9562 variant'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.uuid_timestamptz_to_v7(ts timestamptz, zero boolean DEFAULT false)
RETURNS uuid
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.uuid_timestamptz_to_v7(timestamptz, boolean) IS
'A version 7 UUID for the time ts (milliseconds and their 12-bit fraction), with random bits below it, or zero bits when zero is true: the lowest such UUID, for range scans; a time before 1970 or after 10889 is an error'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.generate_typeid(prefix text DEFAULT '')
RETURNS text
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.generate_typeid(text) IS
'A new TypeID (spec 0.3.0): the prefix, "_" unless the prefix is empty, and a new uuid_generate_v7() in 26 characters of base32; an invalid prefix is an error'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.is_typeid(id text, prefix text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.is_typeid(text, text) IS
'True when id is a TypeID (spec 0.3.0), with that prefix when one is given ('''' for none; NULL: any prefix); never raises'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.typeid_to_uuid(id text)
RETURNS uuid
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.typeid_to_uuid(text) IS
'The UUID a TypeID encodes (any version); anything that is not a TypeID is an error (22P02)'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.uuid_to_typeid(prefix text, id uuid)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.uuid_to_typeid(text, uuid) IS
'The TypeID of a UUID of any version with the prefix ('''' for none); an invalid prefix is an error'
$s$,

$s$
CREATE OR REPLACE FUNCTION @schema@.typeid_prefix(id text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
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
$s$,
$s$
COMMENT ON FUNCTION @schema@.typeid_prefix(text) IS
'The prefix of a TypeID ('''' for an unprefixed one), or NULL when id is not a TypeID'
$s$,

-- Adoption: rekey, convert and repair what already exists -----------------------------------------

$s$
CREATE OR REPLACE FUNCTION @schema@._adopt_in_transaction_block()
RETURNS boolean
LANGUAGE sql VOLATILE PARALLEL RESTRICTED
-- SQL cannot tell over every protocol (transaction_timestamp() = statement_timestamp() holds for
-- "BEGIN; CALL ..." sent as one query and fails for a CALL over the extended protocol): the
-- portable edition answers false and lets the procedure's first COMMIT refuse the block (2D000).
AS $$ SELECT false $$
$s$,
$s$
COMMENT ON FUNCTION @schema@._adopt_in_transaction_block() IS
'idconv: whether this CALL runs inside a transaction block (an adoption procedure refuses it with 25001)'
$s$,

-- subject_kind: the provider shape of a JWT sub (the extension's is src/core/classify.cpp's). The table and
-- the sources are in docs/adopting.md. 'supabase' is the one shape Supabase Auth issues (a
-- lower-case RFC 9562 version 4 UUID); any other UUID text is 'uuid'.
$s$
CREATE OR REPLACE FUNCTION @schema@.subject_kind(subject text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    -- The length, '-' and '|' tests come first because they are cheaper than the regular
    -- expressions, which then run at most twice for any subject. The expressions have no bounded
    -- repetition ({8}, {15,18}): PostgreSQL expands that into an automaton several times slower
    -- (4.6 s against under 1 s for 1M Zitadel subs); the lengths and the dashes' places, tested
    -- apart, fix the same shapes. An expression of ASCII classes matches ASCII text only, so
    -- character places are byte places there.
    SELECT CASE
        WHEN pg_catalog.octet_length(subject) OPERATOR(pg_catalog.=) 36
             AND pg_catalog.substr(subject, 9, 1) OPERATOR(pg_catalog.=) '-' AND pg_catalog.substr(subject, 14, 1) OPERATOR(pg_catalog.=) '-'
             AND pg_catalog.substr(subject, 19, 1) OPERATOR(pg_catalog.=) '-' AND pg_catalog.substr(subject, 24, 1) OPERATOR(pg_catalog.=) '-'
             AND subject OPERATOR(pg_catalog.~) '^[0-9A-Fa-f]+-[0-9A-Fa-f]+-[0-9A-Fa-f]+-[0-9A-Fa-f]+-[0-9A-Fa-f]+$' THEN
            CASE WHEN pg_catalog.substr(subject, 15, 1) OPERATOR(pg_catalog.=) '4'
                      AND pg_catalog.substr(subject, 20, 1) OPERATOR(pg_catalog.=) ANY ('{8,9,a,b}'::pg_catalog.text[])
                      AND subject OPERATOR(pg_catalog.~) '^[0-9a-f-]+$' THEN 'supabase'
                 ELSE 'uuid' END
        WHEN pg_catalog.octet_length(subject) OPERATOR(pg_catalog.>=) 16 AND pg_catalog.octet_length(subject) OPERATOR(pg_catalog.<=) 19
             AND subject OPERATOR(pg_catalog.~) '^[1-9][0-9]+$' THEN 'zitadel'
        WHEN pg_catalog.strpos(subject, '|') OPERATOR(pg_catalog.>) 0
             AND subject OPERATOR(pg_catalog.~) '^[a-z0-9][a-z0-9-]*(\|[A-Za-z0-9._~@+-]+)+$' THEN 'auth0'
        WHEN pg_catalog.octet_length(subject) OPERATOR(pg_catalog.=) 32
             AND subject OPERATOR(pg_catalog.~) '^user_[0-9A-Za-z]+$' THEN 'clerk'
        WHEN pg_catalog.octet_length(subject) OPERATOR(pg_catalog.=) 28
             AND subject OPERATOR(pg_catalog.~) '^[0-9A-Za-z]+$' THEN 'firebase'
        ELSE 'other'
    END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@.subject_kind(text) IS
'The shape of a provider subject: uuid, supabase (lower-case v4 UUID), zitadel, auth0, clerk, firebase or other; never raises'
$s$,

-- The adoption procedures (docs/adopting.md): rekey, rekey_all and resolve_key (seed 004),
-- convert_subject_column and finish_subject_column with subject_kind (seed 003), and the tables
-- and helpers they share. One text for both editions.
--
-- The procedures commit batch by batch, so none has a SET clause (a procedure with one cannot
-- COMMIT). Each pins search_path with set_config(..., true) at the start of every transaction it
-- opens: to pg_catalog and, in the extension, idconv's schema as pg_extension says (the extension
-- is relocatable; src/sql/build.py writes that lookup); the portable edition names its objects in
-- full. The
-- helpers that name idconv's objects run under that pinned path and have no SET clause either.

-- No identity columns and so no sequences: a tool that compares a schema with its own model
-- (drizzle-kit push) drops every sequence it does not know, and fails on the extension's. run_id
-- comes from _adopt_next_run_id (below); the quarantine's key is the quarantined value's place.
$s$
CREATE TABLE IF NOT EXISTS @schema@.id_adopt_runs (
    run_id      bigint PRIMARY KEY,
    procedure   text NOT NULL,
    arguments   jsonb NOT NULL,
    state       text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
    phase       text,
    progress    jsonb NOT NULL DEFAULT '{}',
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    UNIQUE (procedure, arguments)
)
$s$,
$s$
COMMENT ON TABLE @schema@.id_adopt_runs IS
'One row per adoption run (convert_subject_column, rekey, ...): its arguments, phase and cursor; a second CALL with the same arguments resumes it'
$s$,
-- The next run's id: one more than the largest, under a transaction-level advisory lock so that two
-- runs starting at once take turns (the second reads the first's row once it has committed: each
-- statement of a VOLATILE PL/pgSQL function takes a new snapshot). A run's first transaction is
-- short, so the wait is too.
$s$
CREATE OR REPLACE FUNCTION @schema@._adopt_next_run_id()
RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(1768843638, 1);  -- 'idco' in ASCII, 1: the runs' ids
    RETURN coalesce((SELECT max(r.run_id) FROM @schema@.id_adopt_runs r), 0) OPERATOR(pg_catalog.+) 1;
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._adopt_next_run_id() IS
'idconv adoption: the next id_adopt_runs.run_id (the largest plus one, runs starting at once taking turns)'
$s$,
$s$
ALTER TABLE @schema@.id_adopt_runs ALTER COLUMN run_id SET DEFAULT @schema@._adopt_next_run_id()
$s$,
$s$
CREATE TABLE IF NOT EXISTS @schema@.id_quarantine (
    relation       regclass NOT NULL,
    row_key        text NOT NULL,
    column_name    name NOT NULL,
    value          text,
    reason         text NOT NULL,
    run_id         bigint REFERENCES @schema@.id_adopt_runs,
    quarantined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (relation, row_key, column_name)
)
$s$,
$s$
COMMENT ON TABLE @schema@.id_quarantine IS
'Values an adoption procedure would not guess at: the row (which stays in its table), the column, the value and why'
$s$,
-- relation is regclass, not oid: a dump restores it by name (an oid would point elsewhere), and
-- pg_upgrade keeps table oids, so it accepts regclass columns.
$s$
CREATE TABLE IF NOT EXISTS @schema@.key_aliases (
    relation    regclass NOT NULL,
    old_key     text NOT NULL,
    new_key     text NOT NULL,
    run_id      bigint REFERENCES @schema@.id_adopt_runs,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (relation, old_key)
)
$s$,
$s$
COMMENT ON TABLE @schema@.key_aliases IS
'Old key -> current key of every row rekey moved, kept for good (resolve_key reads it)'
$s$,
-- rekey's flattening (a -> b, then b -> c: a -> c) and rekey_all's "not a key this run made" look
-- aliases up by their new key.
$s$
CREATE INDEX IF NOT EXISTS key_aliases_new_key ON @schema@.key_aliases (relation, new_key)
$s$,
-- One primary-key probe, inlined into the caller's query. The SQL-standard body binds
-- key_aliases when the function is made, so the caller's search_path does not matter. Aliases
-- are kept flattened (a -> b then b -> c stores a -> c): one lookup.
$s$
CREATE OR REPLACE FUNCTION @schema@.resolve_key(tbl regclass, key text)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
RETURN COALESCE((SELECT a.new_key FROM @schema@.key_aliases a
                  WHERE a.relation OPERATOR(pg_catalog.=) tbl AND a.old_key OPERATOR(pg_catalog.=) key), key)
$s$,
$s$
COMMENT ON FUNCTION @schema@.resolve_key(regclass, text) IS
'The current key of a row of tbl for an old key that rekey moved, or the key itself'
$s$,
-- The start of every transaction of an adoption procedure: a pinned search_path and the caller's
-- lock_timeout (a positive interval, 22023 otherwise: 0 would wait for ever), both local to the
-- transaction.
$s$
CREATE OR REPLACE FUNCTION @schema@._adopt_tx(lock_timeout interval)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    IF lock_timeout IS NULL OR lock_timeout <= interval '0' THEN
        RAISE EXCEPTION 'lock_timeout must be a positive interval, not %', coalesce(lock_timeout::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value', HINT = 'For example lock_timeout => ''500ms''.';
    END IF;
    PERFORM pg_catalog.set_config('lock_timeout', @schema@._adopt_ms(lock_timeout), true),
            -- A batch's plan is estimated over the whole table and crossed jit_above_cost, and
            -- compiling it took longer than running it (45x the single UPDATE at 1M rows).
            pg_catalog.set_config('jit', 'off', true);
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._adopt_tx(interval) IS
'idconv adoption: the settings of each transaction of a procedure (search_path, lock_timeout, jit off)'
$s$,
-- An interval as the setting lock_timeout takes it: whole milliseconds, at least 1.
$s$
CREATE OR REPLACE FUNCTION @schema@._adopt_ms(lock_timeout interval)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT greatest(1, ceil(extract(epoch FROM lock_timeout) * 1000))::bigint::text || 'ms'
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._adopt_ms(interval) IS
'idconv adoption: an interval as whole milliseconds, at least 1, for the setting lock_timeout'
$s$,
-- The pause before a retry: 50 to 250 ms, random, so that two retrying sessions drift apart.
$s$
CREATE OR REPLACE FUNCTION @schema@._adopt_jitter()
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.pg_sleep(0.05 + pg_catalog.random() * 0.2);
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._adopt_jitter() IS
'idconv adoption: the pause before a retry, 50 to 250 ms at random'
$s$,
-- The end of a batch's retries: after 20 lock timeouts or deadlocks the procedure stops with
-- 55P03, its run left to resume. (Before that the caller pauses, _adopt_jitter, and tries again.)
$s$
CREATE OR REPLACE FUNCTION @schema@._adopt_give_up(attempt integer, what text, lock_timeout interval, procname text,
                                                   detail text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    IF attempt >= 20 AND detail IS NULL THEN
        RAISE EXCEPTION 'could not % within lock_timeout (%) in 20 tries', what, @schema@._adopt_ms(lock_timeout)
            USING ERRCODE = 'lock_not_available', HINT = format('CALL %s again with the same arguments to resume.', procname);
    ELSIF attempt >= 20 THEN
        RAISE EXCEPTION 'could not % within lock_timeout (%) in 20 tries', what, @schema@._adopt_ms(lock_timeout)
            USING ERRCODE = 'lock_not_available', DETAIL = detail,
                  HINT = format('CALL %s again with the same arguments to resume.', procname);
    END IF;
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._adopt_give_up(integer, text, interval, text, text) IS
'idconv adoption: stops a procedure with 55P03 after 20 lock timeouts of one batch, its run left to resume'
$s$,
-- Refuses a CALL inside a transaction block, before any change, with 25001 as VACUUM does.
-- The extension asks PostgreSQL (_adopt_in_transaction_block, in C); the portable edition cannot
-- tell from SQL over every protocol, so its test is the COMMIT that follows: harmless in
-- autocommit, refused in a transaction block (2D000) before anything changed.
$s$
CREATE OR REPLACE PROCEDURE @schema@._adopt_require_autocommit(procname text)
LANGUAGE plpgsql
AS $$
BEGIN
    IF @schema@._adopt_in_transaction_block() THEN
        RAISE EXCEPTION '% cannot run inside a transaction block', procname
            USING ERRCODE = 'active_sql_transaction',
                  HINT = 'CALL it on its own, outside BEGIN ... COMMIT: it commits batch by batch.';
    END IF;
    COMMIT;
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
END
$$
$s$,
$s$
COMMENT ON PROCEDURE @schema@._adopt_require_autocommit(text) IS
'idconv adoption: refuses a CALL inside a transaction block (25001) before any change'
$s$,
-- Runs DDL in a transaction of its own with lock_timeout, retrying a lock timeout or deadlock
-- after a pause, then commits it together with the run's new phase. Gives up with 55P03 after
-- `tries` attempts, leaving the run where it was (resumable).
--
-- Each attempt waits at most 200 ms (or lock_timeout, if shorter): every writer that comes after
-- a waiting DDL lock request queues behind it, so the attempt's wait is the writers' stall. At
-- 1M rows with two writers, 500 ms attempts stalled them 510 ms behind an autovacuum of the
-- table. More, shorter attempts then stand in for the one long wait.
$s$
CREATE OR REPLACE PROCEDURE @schema@._adopt_ddl(run bigint, statements text[], new_phase text,
                                                lock_timeout interval, tries integer DEFAULT 100)
LANGUAGE plpgsql
AS $$
DECLARE
    attempt integer := 0;
    stmt text;
    wait interval := least(lock_timeout, interval '200 ms');
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
                RAISE EXCEPTION 'could not get the lock for "%" within % in % tries', new_phase, @schema@._adopt_ms(wait), tries
                    USING ERRCODE = 'lock_not_available',
                          DETAIL = pg_catalog.format('Statement: %s', stmt),
                          HINT = 'A long transaction holds a lock on the table. CALL the procedure again with the same arguments to resume.';
            END IF;
        END;
        PERFORM @schema@._adopt_jitter();
    END LOOP;
    COMMIT;
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
END
$$
$s$,
$s$
COMMENT ON PROCEDURE @schema@._adopt_ddl(bigint, text[], text, interval, integer) IS
'idconv adoption: DDL in a transaction of its own under a short lock_timeout, retried, committed with the run''s phase'
$s$,
-- The run of `procedure` with these arguments: created when new (committed), else as it was left.
$s$
CREATE OR REPLACE FUNCTION @schema@._adopt_run(procedure text, arguments jsonb)
RETURNS @schema@.id_adopt_runs
LANGUAGE plpgsql VOLATILE
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
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._adopt_run(text, jsonb) IS
'idconv adoption: the run of a procedure with these arguments, made when new'
$s$,
-- The single-column primary key an adoption procedure walks in batches and names rows by (42P10
-- when there is none).
$s$
CREATE OR REPLACE FUNCTION @schema@._adopt_primary_key(tbl regclass, purpose text, OUT key_col name, OUT key_type text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer;
BEGIN
    SELECT count(*), min(a.attname), min(format_type(a.atttypid, a.atttypmod))
      INTO n, key_col, key_type
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = tbl AND i.indisprimary;
    IF n IS DISTINCT FROM 1 THEN
        RAISE EXCEPTION 'table "%" has no single-column primary key', tbl::text
            USING ERRCODE = 'invalid_column_reference',
                  DETAIL = format('The %s goes through the table in batches by its key and quarantines rows by it.', purpose),
                  HINT = 'Add a single-column primary key (for example an identity column) first.';
    END IF;
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._adopt_primary_key(regclass, text) IS
'idconv adoption: the single-column primary key a procedure walks in batches (42P10 when there is none)'
$s$,
-- Why a subject is not converted (NULL: it is): empty, untrimmed, or a shape not in `accept`
-- (NULL accept: every shape but 'other').
$s$
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
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._subject_reason(text, text[]) IS
'idconv adoption: why convert_subject_column would quarantine a subject (NULL: it converts it)'
$s$,
-- What convert_subject_column and finish_subject_column check before changing anything: the
-- table's single-column key, the column, the profiles' key. Raises the errors of ADOPT.md.
$s$
CREATE OR REPLACE FUNCTION @schema@._subject_target(tbl regclass, col name, profiles regclass,
                                                    OUT key_col name, OUT key_type text,
                                                    OUT profile_col name)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    n integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl AND attname = col AND attnum > 0 AND NOT attisdropped) THEN
        RAISE EXCEPTION 'column "%" of relation "%" does not exist', col, tbl::text
            USING ERRCODE = 'undefined_column';
    END IF;
    SELECT k.key_col, k.key_type INTO key_col, key_type FROM @schema@._adopt_primary_key(tbl, 'conversion') k;
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
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._subject_target(regclass, name, regclass) IS
'idconv adoption: the checks of convert_subject_column and finish_subject_column (key, column, profiles)'
$s$,
-- The key column: key_column, or the single-column primary key. 42703 / 42P10.
$s$
CREATE OR REPLACE FUNCTION @schema@._rekey_key_column(tbl regclass, key_column name)
RETURNS smallint LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS
$$
DECLARE
    att smallint;
BEGIN
    IF key_column IS NULL THEN
        SELECT c.conkey[1] INTO att FROM pg_constraint c
         WHERE c.conrelid = tbl AND c.contype = 'p' AND cardinality(c.conkey) = 1;
        IF att IS NULL THEN
            RAISE EXCEPTION 'table % has no single-column primary key', tbl
                USING ERRCODE = 'invalid_column_reference',
                      HINT = 'Name the key with key_column => ''col'': a column with a single-column primary key or unique constraint.';
        END IF;
        RETURN att;
    END IF;
    SELECT a.attnum INTO att FROM pg_attribute a
     WHERE a.attrelid = tbl AND a.attname = key_column AND a.attnum > 0 AND NOT a.attisdropped;
    IF att IS NULL THEN
        RAISE EXCEPTION 'column "%" of relation % does not exist', key_column, tbl
            USING ERRCODE = 'undefined_column';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_index i
                    WHERE i.indrelid = tbl AND i.indisunique AND i.indisvalid AND i.indnkeyatts = 1
                      AND i.indkey[0] = att AND i.indpred IS NULL AND i.indexprs IS NULL) THEN
        RAISE EXCEPTION 'column "%" of relation % is not a single-column primary or unique key', key_column, tbl
            USING ERRCODE = 'invalid_column_reference',
                  HINT = 'rekey moves the value of a single-column PRIMARY KEY or UNIQUE column and its references.';
    END IF;
    RETURN att;
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._rekey_key_column(regclass, name) IS
'idconv adoption: the key column rekey moves (42703, 42P10)'
$s$,
-- The moves, in the order they run: one per (table, column) that holds the key, directly (an FK
-- whose referenced columns contain the key) or through a chain of composite FKs. Each carries the
-- UPDATE that moves one batch (or everything: lim NULL) together with the rows that reference the
-- moving rows through FKs containing the column (recursively). Refuses (0A000) what one statement
-- cannot move: a cycle of such FKs, or a table referencing itself through one.
$s$
CREATE OR REPLACE FUNCTION @schema@._rekey_plan(tbl regclass, keyatt smallint)
RETURNS TABLE (label text, rel regclass, att smallint, depth int, sql_batch text, sql_all text, sql_left text)
LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    n record;
    cyc record;
BEGIN
    -- every (fk, referencing table, column) that carries the key, with its depth in the chain
    CREATE TEMP TABLE IF NOT EXISTS _rekey_edges (con oid, parent_rel oid, parent_att smallint, rel oid, att smallint, depth int) ON COMMIT DROP;
    TRUNCATE _rekey_edges;
    WITH RECURSIVE e AS (
        SELECT c.oid AS con, c.confrelid AS parent_rel, c.confkey[i] AS parent_att, c.conrelid AS rel,
               c.conkey[i] AS att, 0 AS depth, ARRAY[c.oid] AS path, false AS cycle
          FROM pg_constraint c, generate_subscripts(c.confkey, 1) i
         WHERE c.contype = 'f' AND c.conparentid = 0 AND c.confrelid = tbl AND c.confkey[i] = keyatt
        UNION ALL
        SELECT d.oid, d.confrelid, d.confkey[i], d.conrelid, d.conkey[i], e.depth + 1, e.path || d.oid,
               d.oid = ANY (e.path) OR d.conrelid = e.rel
          FROM e JOIN pg_constraint d ON d.contype = 'f' AND d.conparentid = 0 AND d.confrelid = e.rel
               CROSS JOIN LATERAL generate_subscripts(d.confkey, 1) i
         WHERE d.confkey[i] = e.att AND NOT e.cycle
    )
    INSERT INTO _rekey_edges SELECT e.con, e.parent_rel, e.parent_att, e.rel, e.att, e.depth FROM e
     WHERE NOT e.cycle
       AND NOT (e.depth = 0 AND e.rel = tbl::oid AND e.att = keyatt);
    SELECT c.conname, c.conrelid::regclass AS r INTO cyc FROM pg_constraint c
     WHERE c.oid IN (
        WITH RECURSIVE e AS (
            SELECT c2.conrelid AS rel, c2.conkey[i] AS att, ARRAY[c2.oid] AS path, false AS cycle, c2.oid AS con
              FROM pg_constraint c2, generate_subscripts(c2.confkey, 1) i
             WHERE c2.contype = 'f' AND c2.conparentid = 0 AND c2.confrelid = tbl AND c2.confkey[i] = keyatt
            UNION ALL
            SELECT d.conrelid, d.conkey[i], e.path || d.oid, d.oid = ANY (e.path) OR d.conrelid = e.rel, d.oid
              FROM e JOIN pg_constraint d ON d.contype = 'f' AND d.conparentid = 0 AND d.confrelid = e.rel
                   CROSS JOIN LATERAL generate_subscripts(d.confkey, 1) i
             WHERE d.confkey[i] = e.att AND NOT e.cycle)
        SELECT e.con FROM e WHERE e.cycle)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'rekey cannot move %''s key online: foreign key % on % closes a cycle of foreign keys that contain it', tbl, cyc.conname, cyc.r
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'A table that references itself through a composite foreign key containing the key (or a cycle of them) cannot be moved in batches; move it in one transaction (ON UPDATE CASCADE) in a maintenance window.';
    END IF;
    FOR n IN
        SELECT e.rel, e.att, max(e.depth) AS depth FROM _rekey_edges e
         GROUP BY e.rel, e.att ORDER BY max(e.depth), e.rel::regclass::text, e.att
    LOOP
        label := format('%s.%s', n.rel::regclass, (SELECT attname FROM pg_attribute WHERE attrelid = n.rel AND attnum = n.att));
        rel := n.rel; att := n.att; depth := n.depth;
        sql_batch := @schema@._rekey_stmt(n.rel, n.att, true);
        sql_all := @schema@._rekey_stmt(n.rel, n.att, false);
        sql_left := format('SELECT count(*) FROM %s WHERE %I = ANY ($1::%s[])', n.rel::regclass,
                           (SELECT attname FROM pg_attribute WHERE attrelid = n.rel AND attnum = n.att),
                           (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = n.rel AND attnum = n.att));
        RETURN NEXT;
    END LOOP;
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._rekey_plan(regclass, smallint) IS
'idconv adoption: rekey''s moves, one per referencing (table, column), in the order they run'
$s$,
-- The statement for one move: $1 the old keys (text[]), $2 the new keys in the same order, $3 the
-- batch size. Returns bigint[]: rows moved per table in the order of the labels it also returns
-- (text[]). Each UPDATE joins the old -> new pairs (m); a moved row returns its new key (the column
-- "idconv: key") for the rows that reference it through a composite FK.
$s$
CREATE OR REPLACE FUNCTION @schema@._rekey_stmt(root oid, root_att smallint, batched boolean)
RETURNS text LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS
$$
DECLARE
    ctes text[] := '{}';
    counts text[] := '{}';
    labels text[] := '{}';
    q record;
    d record;
    k int := 0;
    colname text;
    coltype text;
    ret text;
    others_child text;
    others_parent text;
    guard text := '';
    -- queue of (alias, rel, att); BFS over the FKs containing the column
    qa text[] := ARRAY['u0'];
    qr oid[] := ARRAY[root];
    qt smallint[] := ARRAY[root_att];
    qcond text[] := ARRAY[NULL::text];
    i int := 1;
BEGIN
    WHILE i <= cardinality(qa) LOOP
        SELECT attname, format_type(atttypid, atttypmod) INTO colname, coltype
          FROM pg_attribute WHERE attrelid = qr[i] AND attnum = qt[i];
        -- the columns the children's FKs need from this table's moved rows
        SELECT string_agg(DISTINCT format('t.%I', a.attname), ', ') INTO ret
          FROM pg_constraint c, generate_subscripts(c.confkey, 1) j, pg_attribute a
         WHERE c.contype = 'f' AND c.conparentid = 0 AND c.confrelid = qr[i] AND qt[i] = ANY (c.confkey)
           AND c.conrelid <> qr[i] AND c.confkey[j] <> qt[i] AND a.attrelid = qr[i] AND a.attnum = c.confkey[j];
        IF i = 1 THEN
            -- rows whose composite FK (containing the column) points at a parent still under the
            -- old key move with that parent, not on their own
            SELECT string_agg(format(' AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.%I = t.%I%s)',
                                     c.confrelid::regclass,
                                     (SELECT attname FROM pg_attribute WHERE attrelid = c.confrelid AND attnum = c.confkey[array_position(c.conkey, qt[1])]),
                                     colname,
                                     (SELECT string_agg(format(' AND p.%I = t.%I',
                                                (SELECT attname FROM pg_attribute WHERE attrelid = c.confrelid AND attnum = c.confkey[j]),
                                                (SELECT attname FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = c.conkey[j])), '')
                                        FROM generate_subscripts(c.conkey, 1) j WHERE c.conkey[j] <> qt[1])), '')
              INTO guard
              FROM pg_constraint c
             WHERE c.contype = 'f' AND c.conparentid = 0 AND c.conrelid = root AND root_att = ANY (c.conkey)
               AND cardinality(c.conkey) > 1
               AND EXISTS (SELECT 1 FROM _rekey_edges e WHERE e.con = c.oid);
            ctes := ctes || format(
                '%s AS (UPDATE %s t SET %I = m.new FROM unnest($1::%s[], $2::%s[]) AS m (old, new) WHERE t.%I = m.old AND %s RETURNING 1, t.%I AS "idconv: key"%s)',
                qa[i], qr[i]::regclass, colname, coltype, coltype, colname,
                CASE WHEN batched
                     THEN format('t.ctid = ANY (ARRAY(SELECT t.ctid FROM %s t WHERE t.%I = ANY ($1::%s[])%s LIMIT $3 FOR UPDATE OF t SKIP LOCKED))',
                                 qr[i]::regclass, colname, coltype, coalesce(guard, ''))
                     ELSE format('true%s', coalesce(guard, '')) END,
                colname, coalesce(', ' || ret, ''));
        ELSE
            ctes := ctes || format('%s AS (UPDATE %s t SET %I = m.new FROM unnest($1::%s[], $2::%s[]) AS m (old, new) WHERE t.%I = m.old AND %s RETURNING 1, t.%I AS "idconv: key"%s)',
                                   qa[i], qr[i]::regclass, colname, coltype, coltype, colname, qcond[i],
                                   colname, coalesce(', ' || ret, ''));
        END IF;
        counts := counts || format('(SELECT count(*) FROM %s)', qa[i]);
        labels := labels || format('%s.%s', qr[i]::regclass, colname);
        FOR d IN
            SELECT c.oid, c.conrelid, c.conkey, c.confkey, c.conkey[array_position(c.confkey, qt[i])] AS catt
              FROM pg_constraint c
             WHERE c.contype = 'f' AND c.conparentid = 0 AND c.confrelid = qr[i] AND qt[i] = ANY (c.confkey)
               AND c.conrelid <> qr[i]
             ORDER BY c.oid
        LOOP
            k := k + 1;
            SELECT string_agg(format('t.%I', (SELECT attname FROM pg_attribute WHERE attrelid = d.conrelid AND attnum = d.conkey[j])), ', ' ORDER BY j),
                   string_agg(format('%I', (SELECT attname FROM pg_attribute WHERE attrelid = qr[i] AND attnum = d.confkey[j])), ', ' ORDER BY j)
              INTO others_child, others_parent
              FROM generate_subscripts(d.confkey, 1) j WHERE d.confkey[j] <> qt[i];
            qa := qa || ('u' || k);
            qr := qr || d.conrelid;
            qt := qt || d.catt::smallint;
            -- the row's parent moved in this statement: same new key, same other columns
            qcond := qcond || format('(m.new%s) IN (SELECT "idconv: key"%s FROM %s)',
                                     coalesce(', ' || others_child, ''), coalesce(', ' || others_parent, ''), qa[i]);
        END LOOP;
        i := i + 1;
    END LOOP;
    RETURN format('WITH %s SELECT ARRAY[%s]::bigint[], %L::text[]',
                  array_to_string(ctes, ', '), array_to_string(counts, ', '), labels);
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._rekey_stmt(oid, smallint, boolean) IS
'idconv adoption: the statement that moves one batch of a referencing table with the rows that reference it'
$s$,
-- What the copy needs and what rekey refuses about the table itself. Returns the columns parked
-- as NULL in the copy (other UNIQUE constraints/indexes), refuses 0A000 what it cannot park.
$s$
CREATE OR REPLACE FUNCTION @schema@._rekey_parked(tbl regclass, keyatt smallint)
RETURNS smallint[] LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS
$$
DECLARE
    ix record;
    parked smallint[] := '{}';
    nullable smallint[];
    bad text;
BEGIN
    SELECT conname INTO bad FROM pg_constraint WHERE conrelid = tbl AND contype = 'x' LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'rekey cannot copy a row of % under a new key: exclusion constraint % would refuse the copy', tbl, bad
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'Move this key in one transaction in a maintenance window.';
    END IF;
    FOR ix IN
        SELECT i.indexrelid::regclass AS name, i.indkey::int2[] AS cols, i.indexprs IS NOT NULL AS expr,
               coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nnd
          FROM pg_index i
         WHERE i.indrelid = tbl AND i.indisunique AND NOT (keyatt = ANY (i.indkey::int2[]))
    LOOP
        SELECT array_agg(a.attnum) INTO nullable FROM pg_attribute a
         WHERE a.attrelid = tbl AND a.attnum = ANY (ix.cols) AND NOT a.attnotnull;
        IF ix.expr OR ix.nnd OR nullable IS NULL THEN
            RAISE EXCEPTION 'rekey cannot copy a row of % under a new key: unique index % has no nullable column to leave empty in the copy', tbl, ix.name
                USING ERRCODE = 'feature_not_supported',
                      DETAIL = 'While references move, the old row and its copy under the new key both exist; every other unique value of the copy is left NULL until the old row is deleted.',
                      HINT = 'Make one of its columns nullable (ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL) for the move, or move this key in one transaction.';
        END IF;
        parked := parked || nullable;
    END LOOP;
    SELECT c.conname INTO bad FROM pg_constraint c
     WHERE c.contype = 'f' AND c.confrelid = tbl AND c.confkey && parked AND NOT (keyatt = ANY (c.confkey)) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'rekey cannot move a row of %: foreign key % references another of its unique columns', tbl, bad
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'rekey moves references to the key column only.';
    END IF;
    RETURN parked;
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._rekey_parked(regclass, smallint) IS
'idconv adoption: the other unique columns rekey leaves NULL in the copy (0A000 when one cannot be)'
$s$,
-- The column list of the copy and of the final refresh. The copy's values read the old row as t and
-- the new key as m.new.
$s$
CREATE OR REPLACE FUNCTION @schema@._rekey_columns(tbl regclass, keyatt smallint, parked smallint[],
                                                    OUT ins_cols text, OUT ins_vals text, OUT upd_cols text[], OUT keyname text, OUT keytype text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS
$$
SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum),
       string_agg(CASE WHEN a.attnum = keyatt THEN format('m.new::%s', format_type(a.atttypid, a.atttypmod))
                       WHEN a.attnum = ANY (parked) THEN 'NULL'
                       ELSE format('t.%I', a.attname) END, ', ' ORDER BY a.attnum),
       coalesce(array_agg(format('%I', a.attname) ORDER BY a.attnum) FILTER (WHERE a.attnum <> keyatt AND a.attidentity <> 'a'), '{}'),
       (SELECT format('%I', attname) FROM pg_attribute WHERE attrelid = tbl AND attnum = keyatt),
       (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = tbl AND attnum = keyatt)
  FROM pg_attribute a
 WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._rekey_columns(regclass, smallint, smallint[]) IS
'idconv adoption: the column lists of rekey''s copy and final update'
$s$,
-- The settings of every transaction rekey opens (a procedure with a SET clause could not COMMIT):
-- lock_timeout, a pinned search_path, and the markers triggers can test: the phase, and the run
-- (empty while the copy, which creates it, is not committed).
$s$
CREATE OR REPLACE FUNCTION @schema@._rekey_settings(lt text, phase text, rid bigint)
RETURNS void LANGUAGE sql AS
$$
SELECT pg_catalog.set_config('lock_timeout', lt, true),
       pg_catalog.set_config('search_path', @search_path@, true),
       pg_catalog.set_config('idconv_adopt.rekey', phase, true),
       pg_catalog.set_config('idconv_adopt.rekey_run', coalesce(rid::pg_catalog.text, ''), true);
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._rekey_settings(text, text, bigint) IS
'idconv adoption: the settings of each transaction rekey opens'
$s$,
-- Whether this statement is rekey's move of the owner column col of rel from old_owner to
-- new_owner: the column alone references a key (by a foreign key of any action) that the running
-- rekey run (or rekey_all's chunk under way) named by this transaction's marker moves from exactly
-- old_owner to exactly new_owner.
-- stamp_subject() (both editions) lets such a change through, as it lets ON UPDATE CASCADE's
-- rename through: the row keeps its owner, under the owner's new key. The marker is a setting
-- anyone can set, but it only names a run; the run's row, which only roles that may run the
-- adoption procedures can write, says which change it makes. Returns the run, or NULL.
$s$
CREATE OR REPLACE FUNCTION @schema@._rekey_owner_move(rel oid, col int2, old_owner uuid, new_owner uuid)
RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS
$$
DECLARE
    marker constant text := current_setting('idconv_adopt.rekey_run', true);
    runs text;
    run record;
    fk record;
BEGIN
    IF current_setting('idconv_adopt.rekey', true) IS DISTINCT FROM 'move'
       AND current_setting('idconv_adopt.rekey', true) IS DISTINCT FROM 'finish'
       OR marker IS NULL OR marker !~ '^[0-9]{1,18}$' THEN
        RETURN NULL;
    END IF;
    -- (named in full: this function's search_path is pg_catalog's; a role that may not read the
    -- runs runs no rekey)
    runs := @schema_name@ || '.id_adopt_runs';
    IF NOT has_table_privilege(runs, 'SELECT') THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT r.run_id, r.procedure, r.arguments, r.progress -> ''chunk'' AS chunk FROM %s r
                     WHERE r.run_id = $1 AND r.procedure IN (''rekey'', ''rekey_all'') AND r.state = ''running''', runs)
       INTO run USING marker::bigint;
    IF run.run_id IS NULL THEN
        RETURN NULL;
    END IF;
    FOR fk IN SELECT c.confrelid, a.attname FROM pg_constraint c
                JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = c.confkey[1]
               WHERE c.conrelid = rel AND c.contype = 'f' AND c.conkey = ARRAY[col]::int2[] LOOP
        -- (the keys are cast only for the run's own table, whose key they are)
        IF (run.arguments ->> 'relid')::oid = fk.confrelid
           AND run.arguments ->> 'key_column' = trim(both '"' from quote_ident(fk.attname)) THEN
            IF run.procedure = 'rekey' THEN
                IF (run.arguments ->> 'old_key')::uuid = old_owner AND (run.arguments ->> 'new_key')::uuid = new_owner THEN
                    RETURN run.run_id;
                END IF;
            -- rekey_all: a pair of the chunk under way
            ELSIF EXISTS (SELECT 1 FROM jsonb_array_elements_text(run.chunk -> 'old') WITH ORDINALITY AS o (k, i)
                            JOIN jsonb_array_elements_text(run.chunk -> 'new') WITH ORDINALITY AS n (k, i) USING (i)
                           WHERE o.k::uuid = old_owner AND n.k::uuid = new_owner) THEN
                RETURN run.run_id;
            END IF;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._rekey_owner_move(oid, int2, uuid, uuid) IS
'idconv adoption: the running rekey run (named by the transaction''s marker) that moves an owner column''s referenced key from old to new, or NULL'
$s$,
-- Adds one statement's rows moved per (table, column) to the run's counters.
$s$
CREATE OR REPLACE FUNCTION @schema@._rekey_count(moved jsonb, got bigint[], labels text[])
RETURNS jsonb LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS
$$
SELECT moved || coalesce(jsonb_object_agg(l.label, coalesce((moved ->> l.label)::bigint, 0) + l.n), '{}')
  FROM unnest(labels, got) AS l (label, n);
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._rekey_count(jsonb, bigint[], text[]) IS
'idconv adoption: adds a statement''s moved rows to rekey''s counters'
$s$,
-- After a lock timeout or deadlock: sleep 50-250 ms at random, or after 40 tries give up with
-- 55P03, marking the run (if any) failed so that a second CALL resumes it.
$s$
CREATE OR REPLACE PROCEDURE @schema@._adopt_backoff(rid bigint, INOUT tries int, lt text, what text)
LANGUAGE plpgsql AS
$$
BEGIN
    tries := tries + 1;
    IF tries >= 40 THEN
        IF rid IS NOT NULL THEN
            UPDATE @schema@.id_adopt_runs r SET state = 'failed', updated_at = pg_catalog.clock_timestamp() WHERE r.run_id = rid;
            COMMIT;
            PERFORM pg_catalog.set_config('search_path', @search_path@, true);
        END IF;
        RAISE EXCEPTION 'rekey: gave up after % lock timeouts of % %', tries, lt, what
            USING ERRCODE = 'lock_not_available',
                  HINT = CASE WHEN rid IS NULL THEN 'Nothing changed; CALL again later.'
                              ELSE 'The run is kept: CALL again with the same arguments to resume.' END;
    END IF;
    PERFORM pg_catalog.pg_sleep(0.05 + pg_catalog.random() * 0.2);
END
$$
$s$,
$s$
COMMENT ON PROCEDURE @schema@._adopt_backoff(bigint, int, text, text) IS
'idconv adoption: after a lock timeout, a pause, or 55P03 after 40 tries'
$s$,
$s$
CREATE OR REPLACE PROCEDURE @schema@.rekey(tbl regclass, old_key text, new_key text,
                                           lock_timeout interval DEFAULT '500ms',
                                           batch_size int DEFAULT 500,
                                           dry_run boolean DEFAULT false,
                                           key_column name DEFAULT NULL)
LANGUAGE plpgsql AS
$$
DECLARE
    v_old constant text := old_key;
    v_new constant text := new_key;
    lt text;
    keyatt smallint;
    parked smallint[];
    cols record;
    args jsonb;
    run record;
    rid bigint;
    plan jsonb;
    p jsonb;
    tries int;
    races int := 0;
    ok boolean;
    chk record;
    left_over bigint;
BEGIN
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    CALL @schema@._adopt_require_autocommit('rekey');
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    IF v_old IS NULL OR v_new IS NULL OR batch_size IS NULL OR batch_size < 1 OR lock_timeout IS NULL OR lock_timeout <= '0'::interval THEN
        RAISE EXCEPTION 'rekey: old_key, new_key, a positive batch_size and lock_timeout are required'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    lt := (extract(epoch FROM lock_timeout) * 1000)::bigint::text || 'ms';
    keyatt := @schema@._rekey_key_column(tbl, key_column);
    parked := @schema@._rekey_parked(tbl, keyatt);
    cols := @schema@._rekey_columns(tbl, keyatt, parked);
    args := jsonb_build_object('relation', tbl::text, 'relid', tbl::oid, 'key_column', trim(both '"' from cols.keyname),
                               'old_key', v_old, 'new_key', v_new);
    SELECT * INTO run FROM @schema@.id_adopt_runs r WHERE r.procedure = 'rekey' AND r.arguments = args;
    IF FOUND AND run.state = 'done' THEN
        RAISE NOTICE 'rekey: % already moved from % to % (run %)', tbl, v_old, v_new, run.run_id;
        RETURN;
    END IF;
    IF v_old = v_new THEN
        RAISE EXCEPTION 'rekey: the new key equals the old key' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    plan := @schema@._rekey_plan_json(tbl, keyatt);

    IF run.run_id IS NULL THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %s = $1::%s)', tbl, cols.keyname, cols.keytype) INTO ok USING v_old;
        IF NOT ok THEN
            RAISE EXCEPTION 'rekey: % has no row with key %', tbl, quote_literal(v_old)
                USING ERRCODE = 'no_data_found';
        END IF;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %s = $1::%s)', tbl, cols.keyname, cols.keytype) INTO ok USING v_new;
        IF ok THEN
            RAISE EXCEPTION 'rekey: % already has a row with key %', tbl, quote_literal(v_new)
                USING ERRCODE = 'unique_violation', HINT = 'Pick a new key that no row uses.';
        END IF;
        IF EXISTS (SELECT 1 FROM @schema@.key_aliases a WHERE a.relation = tbl AND a.old_key = v_new) THEN
            RAISE EXCEPTION 'rekey: % is an old key of % (key_aliases)', quote_literal(v_new), tbl
                USING ERRCODE = 'unique_violation',
                      DETAIL = 'resolve_key() maps it to another row; reusing it would make old references ambiguous.';
        END IF;
        -- the table's CHECKs on the copy as it will be inserted (key replaced, parked columns NULL)
        FOR chk IN SELECT c.conname, pg_get_expr(c.conbin, c.conrelid) AS expr FROM pg_constraint c
                    WHERE c.conrelid = tbl AND c.contype = 'c' LOOP
            EXECUTE format('SELECT (%s) IS NOT FALSE FROM (SELECT %s FROM %s t, (VALUES ($2)) AS m (new) WHERE t.%s = $1::%s) AS s (%s)',
                           chk.expr, cols.ins_vals, tbl, cols.keyname, cols.keytype, cols.ins_cols)
               INTO ok USING v_old, v_new;
            IF NOT ok THEN
                RAISE EXCEPTION 'rekey: new key % violates check constraint "%" of %', quote_literal(v_new), chk.conname, tbl
                    USING ERRCODE = 'check_violation', DETAIL = format('CHECK (%s)', chk.expr);
            END IF;
        END LOOP;
        -- the type's own rules (domains, uuid syntax...) fail here with their own SQLSTATE
        EXECUTE format('SELECT $1::%s', cols.keytype) USING v_new;
    END IF;

    IF dry_run THEN
        RAISE NOTICE 'rekey (dry run): % key % -> % (column %, parked as NULL in the copy: %)', tbl, v_old, v_new,
            cols.keyname, coalesce((SELECT string_agg(attname, ', ') FROM pg_attribute WHERE attrelid = tbl AND attnum = ANY (parked)), 'none');
        FOR p IN SELECT * FROM jsonb_array_elements(plan) LOOP
            EXECUTE p ->> 'left' INTO left_over USING ARRAY[v_old];
            RAISE NOTICE 'rekey (dry run): would move % rows of %', left_over, p ->> 'label';
        END LOOP;
        RETURN;
    END IF;

    -- step 1: the copy and the run row commit together
    IF run.run_id IS NULL THEN
        tries := 0;
        LOOP
            BEGIN
                PERFORM @schema@._rekey_settings(lt, 'copy', NULL);
                INSERT INTO @schema@.id_adopt_runs (procedure, arguments, phase, progress)
                VALUES ('rekey', args, 'moving', jsonb_build_object('moved', '{}'::jsonb))
                RETURNING run_id INTO rid;
                EXECUTE @schema@._rekey_copy_sql(tbl, cols.ins_cols, cols.ins_vals, cols.keyname, cols.keytype)
                   USING ARRAY[v_old], ARRAY[v_new];
                ok := true;
            EXCEPTION WHEN lock_not_available OR deadlock_detected THEN ok := false;
            END;
            COMMIT;
            PERFORM pg_catalog.set_config('search_path', @search_path@, true);
            EXIT WHEN ok;
            CALL @schema@._adopt_backoff(NULL, tries, lt, 'copying the row');
        END LOOP;
    ELSE
        rid := run.run_id;
        UPDATE @schema@.id_adopt_runs r SET state = 'running', updated_at = clock_timestamp() WHERE r.run_id = rid;
        COMMIT;
        PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    END IF;
    CALL @schema@._rekey_move(tbl, rid, ARRAY[v_old], ARRAY[v_new], plan, cols.keyname, cols.keytype, cols.upd_cols, lt, batch_size, true);
    RAISE NOTICE 'rekey: % moved from % to % (run %)', tbl, v_old, v_new, rid;
END
$$
$s$,
$s$
COMMENT ON PROCEDURE @schema@.rekey(regclass, text, text, interval, int, boolean, name) IS
'Moves one row''s key and every reference to it (any ON UPDATE action, composite FKs, self-references) in batches, online; old -> new kept in key_aliases; resumable'
$s$,
-- rekey's moves as JSON: label, and the statements that move a batch, move everything, and count
-- what is left (_rekey_stmt's parameters).
$s$
CREATE OR REPLACE FUNCTION @schema@._rekey_plan_json(tbl regclass, keyatt smallint)
RETURNS jsonb LANGUAGE sql VOLATILE AS
$$
SELECT coalesce(jsonb_agg(jsonb_build_object('label', m.label, 'batch', m.sql_batch, 'all', m.sql_all, 'left', m.sql_left)
                          ORDER BY m.ord), '[]')
  FROM @schema@._rekey_plan(tbl, keyatt) WITH ORDINALITY AS m (label, rel, att, depth, sql_batch, sql_all, sql_left, ord);
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._rekey_plan_json(regclass, smallint) IS
'idconv adoption: rekey''s moves as a JSON array, in the order they run'
$s$,
-- The copy of the rows under old keys $1 (text[]) with the new keys $2 in the same order.
$s$
CREATE OR REPLACE FUNCTION @schema@._rekey_copy_sql(tbl regclass, ins_cols text, ins_vals text, keyname text, keytype text)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS
$$
SELECT format('INSERT INTO %1$s (%2$s) OVERRIDING SYSTEM VALUE SELECT %3$s FROM %1$s t JOIN unnest($1::%5$s[], $2::text[]) AS m (old, new) ON t.%4$s = m.old',
              tbl, ins_cols, ins_vals, keyname, keytype);
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._rekey_copy_sql(regclass, text, text, text, text) IS
'idconv adoption: the INSERT that copies rows under their new keys'
$s$,
-- Steps 2 and 3 of a move whose copies exist (rekey: one key; rekey_all: a chunk of keys): the
-- references in batches, until a whole round moves nothing (rows the application held are left to
-- step 3), then the short final transaction. whole: the run is this one move (rekey), marked done
-- at the end; else a rekey_all chunk, whose progress moves on.
$s$
CREATE OR REPLACE PROCEDURE @schema@._rekey_move(tbl regclass, rid bigint, olds text[], news text[], plan jsonb,
                                                 keyname text, keytype text, upd_cols text[], lt text,
                                                 batch_size int, whole boolean)
LANGUAGE plpgsql AS
$$
DECLARE
    p jsonb;
    moved jsonb;
    got bigint[];
    got_labels text[];
    round_moved bigint;
    total bigint;
    tries int;
    races int := 0;
    ok boolean;
    saved jsonb;
    held bigint;
    left_over bigint;
    gone_old text[];
    gone_new text[];
    kept_old text[];
    kept_new text[];
    i int;
BEGIN
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    moved := coalesce((SELECT r.progress -> 'moved' FROM @schema@.id_adopt_runs r WHERE r.run_id = rid), '{}');
    LOOP
        round_moved := 0;
        FOR p IN SELECT * FROM jsonb_array_elements(plan) LOOP
            LOOP
                tries := 0;
                LOOP
                    BEGIN
                        PERFORM @schema@._rekey_settings(lt, 'move', rid);
                        EXECUTE p ->> 'batch' INTO got, got_labels USING olds, news, batch_size;
                        total := 0;
                        moved := @schema@._rekey_count(moved, got, got_labels);
                        total := got[1];
                        UPDATE @schema@.id_adopt_runs r
                           SET progress = jsonb_set(r.progress, '{moved}', moved), updated_at = clock_timestamp()
                         WHERE r.run_id = rid;
                        ok := true;
                    EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
                        ok := false;
                        moved := coalesce((SELECT r.progress -> 'moved' FROM @schema@.id_adopt_runs r WHERE r.run_id = rid), '{}');
                    WHEN foreign_key_violation OR restrict_violation THEN
                        -- (23001 is ON UPDATE RESTRICT's SQLSTATE from PostgreSQL 18 on; 23503 before)
                        -- A row the application committed during the statement references a row
                        -- the statement moved (a task under a project of a composite chain): the
                        -- statement's snapshot did not see it, the end-of-statement check does. The
                        -- next try sees it and moves it too.
                        races := races + 1;
                        IF races > 20 THEN
                            RAISE;
                        END IF;
                        ok := false;
                        moved := coalesce((SELECT r.progress -> 'moved' FROM @schema@.id_adopt_runs r WHERE r.run_id = rid), '{}');
                    END;
                    COMMIT;
                    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
                    EXIT WHEN ok;
                    CALL @schema@._adopt_backoff(rid, tries, lt, 'moving ' || (p ->> 'label'));
                END LOOP;
                round_moved := round_moved + total;
                EXIT WHEN total < batch_size;
            END LOOP;
        END LOOP;
        EXIT WHEN round_moved = 0;
    END LOOP;

    tries := 0;
    LOOP
        BEGIN
            PERFORM @schema@._rekey_settings(lt, 'finish', rid);
            EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %s t WHERE t.%s = ANY ($1::%s[]) FOR UPDATE) s', tbl, keyname, keytype)
               INTO held USING olds;
            EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %s t WHERE t.%s = ANY ($1::%s[]) FOR UPDATE) s', tbl, keyname, keytype)
               USING news;
            -- Old rows the application deleted during the move (or while the run was stopped): their
            -- copies go too, below, unless rows the move gave them still reference them.
            gone_old := '{}';
            gone_new := '{}';
            kept_old := '{}';
            kept_new := '{}';
            IF held <> cardinality(olds) THEN
                EXECUTE format('SELECT coalesce(array_agg(m.old ORDER BY m.i), ''{}''), coalesce(array_agg(m.new ORDER BY m.i), ''{}'')
                                  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS m (old, new, i)
                                 WHERE NOT EXISTS (SELECT 1 FROM %s t WHERE t.%s = m.old::%s)', tbl, keyname, keytype)
                   INTO gone_old, gone_new USING olds, news;
            END IF;
            LOOP
                round_moved := 0;
                FOR p IN SELECT * FROM jsonb_array_elements(plan) LOOP
                    EXECUTE p ->> 'all' INTO got, got_labels USING olds, news;
                    moved := @schema@._rekey_count(moved, got, got_labels);
                    round_moved := round_moved + got[1];
                END LOOP;
                EXIT WHEN round_moved = 0;
            END LOOP;
            -- the old rows as they are now (locked, their own references moved), for the copies
            EXECUTE format('SELECT jsonb_object_agg(t.%s::text, to_jsonb(t)) FROM %s t WHERE t.%s = ANY ($1::%s[])', keyname, tbl, keyname, keytype)
               INTO saved USING olds;
            -- invariant: nothing left under the old keys. (Rows under the new keys are not bounded by
            -- the count moved: the application rightly writes a new key where it copies it from a
            -- parent row that already moved, e.g. a task under a moved project.)
            FOR p IN SELECT * FROM jsonb_array_elements(plan) LOOP
                EXECUTE p ->> 'left' INTO left_over USING olds;
                IF left_over <> 0 THEN
                    RAISE EXCEPTION 'rekey: % rows of % still hold an old key', left_over, p ->> 'label'
                        USING ERRCODE = 'internal_error', HINT = 'Nothing of the final step was kept; CALL again to resume.';
                END IF;
            END LOOP;
            -- a deleted old row's copy is deleted under the table's foreign keys (ON DELETE CASCADE,
            -- SET NULL...), as the application's DELETE would have been had the move not run; a copy
            -- that rows still reference under RESTRICT or NO ACTION is kept, with its alias
            FOR i IN 1 .. cardinality(gone_old) LOOP
                BEGIN
                    EXECUTE format('DELETE FROM %s t WHERE t.%s = $1::%s', tbl, keyname, keytype) USING gone_new[i];
                    RAISE WARNING 'rekey: the row of % with key % was deleted during the move; its copy under % is deleted too',
                        tbl, quote_literal(gone_old[i]), quote_literal(gone_new[i]);
                EXCEPTION WHEN foreign_key_violation OR restrict_violation THEN
                    kept_old := kept_old || gone_old[i];
                    kept_new := kept_new || gone_new[i];
                    RAISE WARNING 'rekey: the row of % with key % was deleted during the move; its copy under % is kept', tbl, quote_literal(gone_old[i]), quote_literal(gone_new[i])
                        USING DETAIL = SQLERRM,
                              HINT = 'Rows the move gave the new key reference it; delete them and the row to finish the application''s delete.';
                END;
            END LOOP;
            EXECUTE format('DELETE FROM %s t WHERE t.%s = ANY ($1::%s[])', tbl, keyname, keytype) USING olds;
            IF cardinality(upd_cols) > 0 THEN
                -- (not for deleted old rows: saved has no entry for them)
                EXECUTE format('UPDATE %1$s t SET (%2$s) = (SELECT %3$s FROM jsonb_populate_record(NULL::%1$s, $1 -> m.old::text) r) '
                               'FROM unnest($2::%5$s[], $3::%5$s[]) AS m (old, new) WHERE t.%4$s = m.new AND $1 ? m.old::text',
                               tbl, array_to_string(upd_cols, ', '), (SELECT string_agg('r.' || c, ', ') FROM unnest(upd_cols) c),
                               keyname, keytype)
                   USING saved, olds, news;
            END IF;
            UPDATE @schema@.key_aliases a SET new_key = m.new
              FROM unnest(olds, news) AS m (old, new)
             WHERE a.relation = tbl AND a.new_key = m.old;
            INSERT INTO @schema@.key_aliases (relation, old_key, new_key, run_id)
            SELECT tbl, m.old, m.new, rid FROM unnest(olds, news) AS m (old, new)
             WHERE m.old <> ALL (gone_old) OR m.old = ANY (kept_old);
            -- progress: 'deleted' lists the old keys whose rows the application deleted meanwhile
            -- (their copies deleted too), 'kept' those whose copies stay
            IF whole THEN
                UPDATE @schema@.id_adopt_runs r
                   SET state = 'done', phase = 'done',
                       progress = jsonb_set(r.progress, '{moved}', moved)
                                  || jsonb_build_object('deleted', to_jsonb(ARRAY(SELECT g FROM unnest(gone_old) g WHERE g <> ALL (kept_old))), 'kept', to_jsonb(kept_old)),
                       updated_at = clock_timestamp(), finished_at = clock_timestamp()
                 WHERE r.run_id = rid;
            ELSE
                UPDATE @schema@.id_adopt_runs r
                   SET progress = (r.progress - 'chunk')
                                  || jsonb_build_object('moved', moved, 'last', r.progress -> 'chunk' -> 'last',
                                                        'done', (r.progress ->> 'done')::bigint + cardinality(olds) - cardinality(gone_old) + cardinality(kept_old),
                                                        'deleted', coalesce(r.progress -> 'deleted', '[]') || to_jsonb(ARRAY(SELECT g FROM unnest(gone_old) g WHERE g <> ALL (kept_old))),
                                                        'kept', coalesce(r.progress -> 'kept', '[]') || to_jsonb(kept_old)),
                       updated_at = clock_timestamp()
                 WHERE r.run_id = rid;
            END IF;
            ok := true;
        EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
            ok := false;
            moved := coalesce((SELECT r.progress -> 'moved' FROM @schema@.id_adopt_runs r WHERE r.run_id = rid), '{}');
        WHEN foreign_key_violation OR restrict_violation THEN
            races := races + 1;  -- as in step 2
            IF races > 20 THEN
                RAISE;
            END IF;
            ok := false;
            moved := coalesce((SELECT r.progress -> 'moved' FROM @schema@.id_adopt_runs r WHERE r.run_id = rid), '{}');
        END;
        COMMIT;
        PERFORM pg_catalog.set_config('search_path', @search_path@, true);
        EXIT WHEN ok;
        CALL @schema@._adopt_backoff(rid, tries, lt, 'in the final step');
    END LOOP;
END
$$
$s$,
$s$
COMMENT ON PROCEDURE @schema@._rekey_move(regclass, bigint, text[], text[], jsonb, text, text, text[], text, int, boolean) IS
'idconv adoption: moves the references of copied rows in batches, then deletes the old rows in one short transaction (rekey and rekey_all)'
$s$,
-- New keys for every row (or the rows matching only_where), batch_size rows at a time, with
-- rekey's guarantees for each. generator and only_where are SQL evaluated with the caller's
-- search_path, e.g. rekey_all('users', 'generate_prefixed_id(''usr'')', 'NOT is_prefixed_id(id, ''usr'')').
-- Progress: the last old key done (in key order), and the chunk under way (its old and new keys),
-- committed with its copies, so that a resume finishes that chunk with the same new keys.
$s$
CREATE OR REPLACE PROCEDURE @schema@.rekey_all(tbl regclass, generator text, only_where text DEFAULT NULL,
                                               lock_timeout interval DEFAULT '500ms',
                                               batch_size int DEFAULT 500,
                                               dry_run boolean DEFAULT false,
                                               key_column name DEFAULT NULL)
LANGUAGE plpgsql AS
$$
DECLARE
    user_path constant text := pg_catalog.current_setting('search_path');
    lt text;
    keyatt smallint;
    cols record;
    args jsonb;
    run record;
    rid bigint;
    plan jsonb;
    cur jsonb;
    olds text[];
    news text[];
    last_key text;
    n bigint;
    nk text;
    next_sql text;
    tries int;
    ok boolean;
BEGIN
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    CALL @schema@._adopt_require_autocommit('rekey_all');
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    IF generator IS NULL THEN
        RAISE EXCEPTION 'rekey_all: generator is required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 OR lock_timeout IS NULL OR lock_timeout <= '0'::interval THEN
        RAISE EXCEPTION 'rekey_all: a positive batch_size and lock_timeout are required'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    lt := (extract(epoch FROM lock_timeout) * 1000)::bigint::text || 'ms';
    keyatt := @schema@._rekey_key_column(tbl, key_column);
    cols := @schema@._rekey_columns(tbl, keyatt, @schema@._rekey_parked(tbl, keyatt));
    args := jsonb_build_object('relation', tbl::text, 'relid', tbl::oid, 'key_column', trim(both '"' from cols.keyname),
                               'generator', generator, 'only_where', only_where);
    -- the next chunk after the cursor, in key order, without the new keys this run made; each with
    -- its new key (in the key's type, as text). OFFSET 0 keeps the NOT EXISTS a probe of
    -- key_aliases_new_key per row: as an anti-join, planned on key_aliases' statistics from before
    -- the run, it read every alias of the table for each row (the run slowed down as it went).
    next_sql := format('SELECT array_agg(s.k ORDER BY s.o), array_agg(s.nk ORDER BY s.o), (array_agg(s.k ORDER BY s.o DESC))[1]
                          FROM (SELECT t.%1$s AS o, t.%1$s::text AS k, ((%5$s)::%6$s)::text AS nk FROM %2$s t
                                 WHERE ($1::text IS NULL OR t.%1$s > $1::%6$s) AND (%3$s)
                                   AND NOT EXISTS (SELECT 1 FROM %4$s.key_aliases a
                                                    WHERE a.relation = $3 AND a.new_key = t.%1$s::text AND a.run_id = $2 OFFSET 0)
                                 ORDER BY t.%1$s LIMIT $4) s',
                       cols.keyname, tbl, coalesce(only_where, 'true'), @schema_name@, generator, cols.keytype);
    -- generator and only_where: the caller's names, and their errors now, before any change
    PERFORM pg_catalog.set_config('search_path', user_path, true);
    EXECUTE format('SELECT count(*) FROM %s t WHERE (%s)', tbl, coalesce(only_where, 'true')) INTO n;
    EXECUTE format('SELECT ((%s)::%s)::text', generator, cols.keytype) INTO nk;
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    SELECT * INTO run FROM @schema@.id_adopt_runs r WHERE r.procedure = 'rekey_all' AND r.arguments = args;
    IF FOUND AND run.state = 'done' THEN
        RAISE NOTICE 'rekey_all: % already done (run %)', tbl, run.run_id;
        RETURN;
    END IF;
    IF dry_run THEN
        RAISE NOTICE 'rekey_all (dry run): would give % rows of % new keys, e.g. %', n, tbl, quote_literal(nk);
        RETURN;
    END IF;
    plan := @schema@._rekey_plan_json(tbl, keyatt);
    IF run.run_id IS NULL THEN
        INSERT INTO @schema@.id_adopt_runs (procedure, arguments, phase, progress)
        VALUES ('rekey_all', args, 'moving', jsonb_build_object('last', NULL, 'done', 0, 'moved', '{}'::jsonb))
        RETURNING run_id INTO rid;
    ELSE
        rid := run.run_id;
        UPDATE @schema@.id_adopt_runs r SET state = 'running', updated_at = clock_timestamp() WHERE r.run_id = rid;
    END IF;
    COMMIT;
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    LOOP
        SELECT r.progress INTO cur FROM @schema@.id_adopt_runs r WHERE r.run_id = rid;
        IF cur -> 'chunk' IS NOT NULL THEN
            -- a resume: the chunk's copies committed with it
            olds := ARRAY(SELECT jsonb_array_elements_text(cur -> 'chunk' -> 'old'));
            news := ARRAY(SELECT jsonb_array_elements_text(cur -> 'chunk' -> 'new'));
        ELSE
            -- step 1 for a chunk: its new keys, the copies and the chunk in progress commit together
            tries := 0;
            LOOP
                BEGIN
                    PERFORM @schema@._rekey_settings(lt, 'copy', rid);
                    PERFORM pg_catalog.set_config('search_path', user_path, true);
                    EXECUTE next_sql INTO olds, news, last_key USING cur ->> 'last', rid, tbl, batch_size;
                    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
                    IF olds IS NOT NULL THEN
                        IF EXISTS (SELECT 1 FROM @schema@.key_aliases a WHERE a.relation = tbl AND a.old_key = ANY (news)) THEN
                            RAISE EXCEPTION 'rekey_all: the generator made a key that is an old key of % (key_aliases)', tbl
                                USING ERRCODE = 'unique_violation',
                                      DETAIL = 'resolve_key() maps it to another row; reusing it would make old references ambiguous.';
                        END IF;
                        EXECUTE @schema@._rekey_copy_sql(tbl, cols.ins_cols, cols.ins_vals, cols.keyname, cols.keytype)
                           USING olds, news;
                        UPDATE @schema@.id_adopt_runs r
                           SET progress = r.progress || jsonb_build_object('chunk', jsonb_build_object('old', to_jsonb(olds), 'new', to_jsonb(news), 'last', last_key)),
                               updated_at = clock_timestamp()
                         WHERE r.run_id = rid;
                    END IF;
                    ok := true;
                EXCEPTION WHEN lock_not_available OR deadlock_detected THEN ok := false;
                END;
                COMMIT;
                PERFORM pg_catalog.set_config('search_path', @search_path@, true);
                EXIT WHEN ok;
                CALL @schema@._adopt_backoff(rid, tries, lt, 'copying rows');
            END LOOP;
            EXIT WHEN olds IS NULL;
        END IF;
        CALL @schema@._rekey_move(tbl, rid, olds, news, plan, cols.keyname, cols.keytype, cols.upd_cols, lt, batch_size, false);
    END LOOP;
    UPDATE @schema@.id_adopt_runs r SET state = 'done', phase = 'done', updated_at = clock_timestamp(), finished_at = clock_timestamp()
     WHERE r.run_id = rid;
    COMMIT;
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    RAISE NOTICE 'rekey_all: % rows of % have new keys (run %)', (SELECT r.progress ->> 'done' FROM @schema@.id_adopt_runs r WHERE r.run_id = rid), tbl, rid;
END
$$
$s$,
$s$
COMMENT ON PROCEDURE @schema@.rekey_all(regclass, text, text, interval, int, boolean, name) IS
'Gives every row of tbl (or those matching only_where) a new key from generator, each with rekey''s guarantees; resumable'
$s$,
$s$
CREATE OR REPLACE PROCEDURE @schema@.convert_subject_column(
    tbl regclass, col name, profiles regclass,
    new_col name DEFAULT 'subject_id',
    namespace uuid DEFAULT NULL,
    accept text[] DEFAULT NULL,
    ensure_profiles boolean DEFAULT true,
    lock_timeout interval DEFAULT '500ms',
    batch_size integer DEFAULT 5000,
    dry_run boolean DEFAULT false)
LANGUAGE plpgsql
AS $proc$
DECLARE
    kinds constant text[] := '{uuid,supabase,zitadel,auth0,clerk,firebase,other}';
    idconv_schema text;
    target record;
    ns uuid := namespace;
    setting text;
    args jsonb;
    run record;
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
    attempt integer;
    before_n bigint;
    converted_n bigint;
    quarantined_n bigint;
    r record;
BEGIN
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    CALL @schema@._adopt_require_autocommit('convert_subject_column');
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
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
        PERFORM pg_catalog.set_config('search_path', @search_path@, true);
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
        -- The trigger's own search_path names idconv's schema (a CALL's argument takes no subquery).
        idconv_schema := @schema_name@;
        CALL @schema@._adopt_ddl(run.run_id, ARRAY[
            format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS %I uuid', tbl, new_col),
            format($f$CREATE OR REPLACE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, %11$s, pg_temp AS $body$
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
                END, idconv_schema),
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
        PERFORM pg_catalog.set_config('search_path', @search_path@, true);
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
        -- One statement per batch: the rows, their profiles (in key order, as the trigger's
        -- inserts take them, so that the two never deadlock) and their quarantine entries.
        batch_sql := format($b$
            WITH u AS (
                UPDATE %3$s t SET %6$I = CASE WHEN (%7$s) IS NULL THEN @schema@.normalize_subject(t.%2$I, $4) END
                 WHERE ($1 IS NULL OR t.%1$I > $1::%4$s) AND t.%1$I <= $2::%4$s AND t.%2$I IS NOT NULL
                RETURNING t.%1$I::text AS key, t.%2$I AS value, t.%6$I AS sid,
                          CASE WHEN t.%6$I IS NULL THEN (%7$s) END AS why
            )%5$s,
            q AS (
                INSERT INTO @schema@.id_quarantine AS q (relation, row_key, column_name, value, reason, run_id)
                SELECT $5::pg_catalog.oid, u.key, $6::pg_catalog.name, u.value, u.why, $7 FROM u WHERE u.why IS NOT NULL
                ON CONFLICT (relation, row_key, column_name)
                DO UPDATE SET value = EXCLUDED.value, reason = EXCLUDED.reason, run_id = EXCLUDED.run_id, quarantined_at = EXCLUDED.quarantined_at
            )
            SELECT count(*) FROM u$b$,
            target.key_col, col, tbl, target.key_type,
            CASE WHEN ensure_profiles
                 THEN format(', p AS (INSERT INTO %s (%I) SELECT DISTINCT u.sid FROM u WHERE u.sid IS NOT NULL ORDER BY 1 ON CONFLICT DO NOTHING)',
                             profiles, target.profile_col)
                 ELSE '' END,
            new_col, q_reason);
        WHILE upper_key IS NOT NULL LOOP
            attempt := 0;
            LOOP
                attempt := attempt + 1;
                BEGIN
                    EXECUTE range_sql INTO hi, rows_seen USING cur, upper_key, batch_size;
                    EXECUTE batch_sql USING cur, hi, accept, ns, tbl::oid, col, run.run_id;
                    cur := hi;
                    EXIT;
                EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
                    PERFORM @schema@._adopt_give_up(attempt, pg_catalog.format('lock a batch of "%s"', tbl), lock_timeout, 'convert_subject_column');
                END;
                PERFORM @schema@._adopt_jitter();
                PERFORM @schema@._adopt_tx(lock_timeout);
                cur := run.progress ->> 'cursor';
            END LOOP;
            IF rows_seen = 0 THEN
                UPDATE @schema@.id_adopt_runs SET phase = 'backfilled', updated_at = clock_timestamp()
                 WHERE run_id = run.run_id RETURNING * INTO run;
                COMMIT;
                PERFORM pg_catalog.set_config('search_path', @search_path@, true);
                EXIT;
            END IF;
            UPDATE @schema@.id_adopt_runs
               SET progress = progress || jsonb_build_object('cursor', cur, 'rows', (progress ->> 'rows')::bigint + rows_seen),
                   updated_at = clock_timestamp()
             WHERE run_id = run.run_id RETURNING * INTO run;
            COMMIT;
            PERFORM pg_catalog.set_config('search_path', @search_path@, true);
            PERFORM @schema@._adopt_tx(lock_timeout);
        END LOOP;
        IF upper_key IS NULL THEN
            UPDATE @schema@.id_adopt_runs SET phase = 'backfilled' WHERE run_id = run.run_id RETURNING * INTO run;
            COMMIT;
            PERFORM pg_catalog.set_config('search_path', @search_path@, true);
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

    -- 4. The invariant: every row with a subject is converted or quarantined, with its value: the
    -- rows before equal the rows converted plus the rows quarantined. (That each converted value is
    -- normalize_subject(col, namespace) is what the batches and the trigger write, and what
    -- finish_subject_column checks row by row before it drops anything: hashing every row here
    -- again cost a fifth of the run at 1M rows.)
    EXECUTE format($c$
        SELECT count(*) FILTER (WHERE t.%1$I IS NOT NULL),
               count(*) FILTER (WHERE t.%1$I IS NOT NULL AND t.%2$I IS NOT NULL),
               count(*) FILTER (WHERE t.%2$I IS NULL AND EXISTS (
                   SELECT 1 FROM @schema@.id_quarantine q
                    WHERE q.relation = %4$s::oid AND q.row_key = t.%3$I::text AND q.column_name = %5$L AND q.value = t.%1$I))
          FROM %6$s t$c$, col, new_col, target.key_col, tbl::oid, col, tbl)
      INTO before_n, converted_n, quarantined_n;
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
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    RAISE NOTICE '%', format('convert_subject_column(%s, %s): %s rows converted, %s quarantined (see id_quarantine); next: CREATE INDEX CONCURRENTLY IF NOT EXISTS %I ON %s (%I); then CALL finish_subject_column(%L, %L);',
                             tbl, col, converted_n, quarantined_n, idx, tbl, new_col, tbl::text, col);
END
$proc$
$s$,
$s$
COMMENT ON PROCEDURE @schema@.convert_subject_column(regclass, name, regclass, name, uuid, text[], boolean, interval, integer, boolean) IS
'Adds new_col uuid = normalize_subject(col, namespace) to tbl online: dual-write trigger with the namespace pinned, batched backfill, profiles for accepted shapes, quarantine for the rest, foreign key NOT VALID then validated; resumable'
$s$,
$s$
CREATE OR REPLACE PROCEDURE @schema@.finish_subject_column(
    tbl regclass, col name,
    new_col name DEFAULT 'subject_id',
    lock_timeout interval DEFAULT '500ms',
    dry_run boolean DEFAULT false)
LANGUAGE plpgsql
AS $proc$
DECLARE
    run record;
    target record;
    ns uuid;
    accept text[];
    relname name;
    relschema name;
    idx name;
    bad bigint;
BEGIN
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    CALL @schema@._adopt_require_autocommit('finish_subject_column');
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
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
$proc$
$s$,
$s$
COMMENT ON PROCEDURE @schema@.finish_subject_column(regclass, name, name, interval, boolean) IS
'After convert_subject_column and CREATE INDEX CONCURRENTLY: checks every row is converted or quarantined, then drops the dual-write trigger and the old column'
$s$,

-- The rows a repair_reference run found pointing nowhere, and what became of each: the plan of
-- the run (written once, in one transaction, after the foreign key is in place so that no new
-- bad value can appear), its cursor for resuming, its invariant, and the way to undo it (the old
-- value of every re-pointed row).
--   outcome NULL: not done yet; 're-pointed' (new_value is the target key now in the row);
--   'no target', 'ambiguous mapping', 'mapping to a missing target' (quarantined, see
--   id_quarantine); 'valid meanwhile', 'null meanwhile', 'deleted meanwhile' (the application
--   changed the row before its batch came).
-- run_id is an id_adopt_runs row, without a foreign key: one would make TRUNCATE id_adopt_runs
-- (which the other adoption suites use to start afresh) fail unless it named this table too.
$s$
CREATE TABLE IF NOT EXISTS @schema@.id_repair_log (
    run_id    bigint NOT NULL,
    row_key   text NOT NULL,
    old_value text,
    new_value text,
    outcome   text,
    done_at   timestamptz,
    PRIMARY KEY (run_id, row_key)
)
$s$,
$s$
COMMENT ON TABLE @schema@.id_repair_log IS
'repair_reference: each row found with a value that is no key of the target, its old value and what became of it (re-pointed, quarantined, changed meanwhile); keeps the run resumable and undoable'
$s$,
-- What repair_reference checks before changing anything. Raises the errors of the issue: 42703
-- (column, target column, mapping's old/new), 42P10 (tbl without a single-column primary key,
-- target column without a single-column unique key), 42804 (values that cannot be compared),
-- 42710 (the constraint name taken by another constraint).
$s$
CREATE OR REPLACE FUNCTION @schema@._repair_target(tbl regclass, col name, target regclass, mapping regclass,
                                                   target_column name,
                                                   OUT key_col name, OUT key_type text,
                                                   OUT col_type text, OUT col_notnull boolean,
                                                   OUT target_col name, OUT target_type text,
                                                   OUT eq_op text, OUT fk name, OUT fk_exists boolean,
                                                   OUT fk_valid boolean)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    n integer;
    col_num smallint;
    target_num smallint;
    key_index oid;
    relname name;
    old_type text;
    new_type text;
BEGIN
    SELECT a.attnum, format_type(a.atttypid, a.atttypmod), a.attnotnull INTO col_num, col_type, col_notnull
      FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF col_num IS NULL THEN
        RAISE EXCEPTION 'column "%" of relation "%" does not exist', col, tbl::text
            USING ERRCODE = 'undefined_column';
    END IF;
    SELECT k.key_col, k.key_type INTO key_col, key_type FROM @schema@._adopt_primary_key(tbl, 'repair') k;

    -- The target's key: the given column or the primary key, with a unique index the foreign key
    -- can use (one key column, no predicate or expression, not deferrable, valid).
    IF target_column IS NULL THEN
        SELECT count(*), min(a.attname), min(a.attnum), min(i.indexrelid::bigint)::oid
          INTO n, target_col, target_num, key_index
          FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
         WHERE i.indrelid = target AND i.indisprimary;
        IF n IS DISTINCT FROM 1 THEN
            RAISE EXCEPTION 'table "%" has no single-column primary key to reference', target::text
                USING ERRCODE = 'invalid_column_reference',
                      HINT = 'Name a column with a single-column unique key: target_column => ''...''.';
        END IF;
    ELSE
        SELECT a.attnum INTO target_num FROM pg_attribute a
         WHERE a.attrelid = target AND a.attname = target_column AND a.attnum > 0 AND NOT a.attisdropped;
        IF target_num IS NULL THEN
            RAISE EXCEPTION 'column "%" of relation "%" does not exist', target_column, target::text
                USING ERRCODE = 'undefined_column';
        END IF;
        target_col := target_column;
        SELECT i.indexrelid INTO key_index FROM pg_index i
         WHERE i.indrelid = target AND i.indisunique AND i.indisvalid AND i.indimmediate AND i.indnkeyatts = 1
           AND i.indkey[0] = target_num AND i.indpred IS NULL AND i.indexprs IS NULL
         ORDER BY i.indisprimary DESC LIMIT 1;
        IF key_index IS NULL THEN
            RAISE EXCEPTION 'column "%" of "%" is not a single-column primary or unique key', target_column, target::text
                USING ERRCODE = 'invalid_column_reference',
                      DETAIL = 'A foreign key references a primary key or a unique constraint (or a non-partial unique index) on exactly its columns.';
        END IF;
    END IF;
    SELECT format_type(a.atttypid, a.atttypmod) INTO target_type FROM pg_attribute a WHERE a.attrelid = target AND a.attnum = target_num;
    IF NOT (SELECT i.indisunique AND i.indimmediate AND i.indnkeyatts = 1 FROM pg_index i WHERE i.indexrelid = key_index) THEN
        RAISE EXCEPTION 'the primary key of "%" is deferrable', target::text
            USING ERRCODE = 'invalid_column_reference',
                  DETAIL = 'A foreign key cannot reference a deferrable key.';
    END IF;

    -- The equality of the key's index: what the foreign key compares with, and so what the repair
    -- compares with (citext keys compare case-insensitively, as their foreign key will).
    SELECT format('OPERATOR(%I.%s)', n2.nspname, o.oprname) INTO eq_op
      FROM pg_index i
      JOIN pg_opclass oc ON oc.oid = i.indclass[0]
      JOIN pg_amop ao ON ao.amopfamily = oc.opcfamily AND ao.amopmethod = oc.opcmethod AND ao.amopstrategy = 3
                     AND ao.amoplefttype = oc.opcintype AND ao.amoprighttype = oc.opcintype
      JOIN pg_operator o ON o.oid = ao.amopopr
      JOIN pg_namespace n2 ON n2.oid = o.oprnamespace
     WHERE i.indexrelid = key_index;
    IF eq_op IS NULL THEN
        RAISE EXCEPTION 'the key of "%" has no btree equality', target::text USING ERRCODE = 'invalid_column_reference';
    END IF;
    BEGIN
        EXECUTE format('SELECT NULL::%s %s NULL::%s', col_type, eq_op, target_type);
    EXCEPTION WHEN undefined_function THEN
        RAISE EXCEPTION 'column "%" of "%" (%) cannot be compared with "%"."%" (%)', col, tbl::text, col_type, target::text, target_col, target_type
            USING ERRCODE = 'datatype_mismatch',
                  DETAIL = 'A foreign key needs values of the referencing column that the key''s equality operator accepts.';
    END;

    IF mapping IS NOT NULL THEN
        SELECT min(format_type(a.atttypid, a.atttypmod)) FILTER (WHERE a.attname = 'old'),
               min(format_type(a.atttypid, a.atttypmod)) FILTER (WHERE a.attname = 'new')
          INTO old_type, new_type
          FROM pg_attribute a WHERE a.attrelid = mapping AND a.attname IN ('old', 'new') AND a.attnum > 0 AND NOT a.attisdropped;
        IF old_type IS NULL OR new_type IS NULL THEN
            RAISE EXCEPTION 'mapping table "%" has no column "%"', mapping::text, CASE WHEN old_type IS NULL THEN 'old' ELSE 'new' END
                USING ERRCODE = 'undefined_column',
                      DETAIL = 'The mapping has one row per known repair: old (a value found in the column) and new (the target key it stands for).';
        END IF;
        BEGIN
            EXECUTE format('SELECT NULL::%s %s NULL::%s', old_type, eq_op, col_type);
        EXCEPTION WHEN undefined_function THEN
            RAISE EXCEPTION 'column "old" of mapping "%" (%) cannot be compared with column "%" of "%" (%)', mapping::text, old_type, col, tbl::text, col_type
                USING ERRCODE = 'datatype_mismatch';
        END;
        BEGIN
            EXECUTE format('SELECT NULL::%s %s NULL::%s, NULL::%s::%s', new_type, eq_op, target_type, new_type, col_type);
        EXCEPTION WHEN undefined_function OR cannot_coerce THEN
            RAISE EXCEPTION 'column "new" of mapping "%" (%) cannot be compared with "%"."%" (%) or stored in "%" (%)', mapping::text, new_type, target::text, target_col, target_type, col, col_type
                USING ERRCODE = 'datatype_mismatch';
        END;
    END IF;

    -- The user's foreign key from col to the target key, if there is one: it is used (validated at
    -- the end), never dropped or altered. Otherwise <table>_<col>_fkey is added.
    SELECT c.conname, true, c.convalidated INTO fk, fk_exists, fk_valid
      FROM pg_constraint c
     WHERE c.conrelid = tbl AND c.contype = 'f' AND c.confrelid = target
       AND c.conkey = ARRAY[col_num] AND c.confkey = ARRAY[target_num]
     ORDER BY c.convalidated DESC, c.conname LIMIT 1;
    IF fk IS NULL THEN
        fk_exists := false;
        fk_valid := false;
        SELECT c.relname INTO relname FROM pg_class c WHERE c.oid = tbl;
        fk := left(format('%s_%s_fkey', relname, col), 63);
        IF EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = tbl AND c.conname = fk) THEN
            RAISE EXCEPTION 'constraint "%" of relation "%" already exists and is not a foreign key from "%" to "%"', fk, tbl::text, col, target::text
                USING ERRCODE = 'duplicate_object';
        END IF;
    END IF;
END
$$
$s$,
$s$
COMMENT ON FUNCTION @schema@._repair_target(regclass, name, regclass, regclass, name) IS
'idconv adoption: the checks of repair_reference (columns, keys, types, the constraint''s name)'
$s$,
$s$
CREATE OR REPLACE PROCEDURE @schema@.repair_reference(
    tbl regclass, col name, target regclass,
    mapping regclass DEFAULT NULL,
    target_column name DEFAULT NULL,
    batch_size integer DEFAULT 5000,
    lock_timeout interval DEFAULT '500ms',
    dry_run boolean DEFAULT false,
    keep_values boolean DEFAULT false)
LANGUAGE plpgsql
AS $proc$
DECLARE
    t record;
    args jsonb;
    run record;
    outcome_sql text;
    lock_sql text;
    batch_sql text;
    gone_sql text;
    repoint_sql text;
    null_sql text;
    bad_sql text;
    bad_cond text;
    nulling boolean;
    -- COLLATE "default": text variables otherwise take the collation of the call's name
    -- arguments ("C"), and their comparisons with id_repair_log.row_key could not use its index.
    cur text COLLATE "default";
    passes integer;
    batch text[] COLLATE "default";
    keys text[] COLLATE "default";
    vals text[];
    outcomes text[];
    news text[];
    gone text[] COLLATE "default";
    attempt integer;
    total_n bigint;
    null_n bigint;
    bad_n bigint;
    remaining bigint;
    counts jsonb;
    validated boolean;
    r record;
    reasons constant text[] := '{no target,ambiguous mapping,mapping to a missing target}';
BEGIN
    -- Refused inside a transaction block, before anything else.
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    CALL @schema@._adopt_require_autocommit('repair_reference');
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    PERFORM @schema@._adopt_tx(lock_timeout);

    t := @schema@._repair_target(tbl, col, target, mapping, target_column);
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'batch_size must be positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- A quarantined value is moved out of the row (into id_quarantine) only where the column may
    -- be NULL and the caller did not ask to keep it; otherwise it stays, and so does NOT VALID.
    nulling := NOT keep_values AND NOT t.col_notnull;

    -- What a row's value is: 'null', 'valid' (a key of the target), or what the repair does with it.
    -- A value with two or more distinct mappings is never guessed at.
    outcome_sql := format($o$
        CASE WHEN t.%1$I IS NULL THEN 'null'
             WHEN EXISTS (SELECT 1 FROM %2$s x WHERE x.%3$I %4$s t.%1$I) THEN 'valid'
             WHEN mm.n = 0 THEN 'no target'
             WHEN mm.n > 1 THEN 'ambiguous mapping'
             WHEN NOT EXISTS (SELECT 1 FROM %2$s x WHERE x.%3$I %4$s mm.new) THEN 'mapping to a missing target'
             ELSE 're-pointed' END$o$, col, target, t.target_col, t.eq_op);
    outcome_sql := format('SELECT t.%1$I::text AS k, t.%2$I::text AS v, %3$s AS o, CASE WHEN mm.n = 1 THEN mm.new::text END AS n FROM %4$s t ',
                          t.key_col, col, outcome_sql, tbl)
        || CASE WHEN mapping IS NULL THEN 'CROSS JOIN (SELECT 0 AS n, NULL::text AS new) mm'
                ELSE format('LEFT JOIN LATERAL (SELECT count(DISTINCT m.new) AS n, (array_agg(m.new))[1] AS new FROM %s m WHERE m.old %s t.%I AND m.new IS NOT NULL) mm ON true',
                            mapping, t.eq_op, col) END;
    -- Rows that no key of the target matches.
    bad_cond := format('t.%1$I IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %2$s x WHERE x.%3$I %4$s t.%1$I)',
                       col, target, t.target_col, t.eq_op);
    bad_sql := format('FROM %s t WHERE %s', tbl, bad_cond);

    args := jsonb_build_object('tbl', tbl::text, 'tbl_oid', tbl::oid, 'col', col, 'target', target::text,
                               'target_oid', target::oid, 'target_column', t.target_col,
                               'mapping', mapping::text, 'mapping_oid', mapping::oid, 'keep_values', keep_values);

    IF dry_run THEN
        RAISE NOTICE 'dry run: repair_reference(%, %, %) would:', tbl::text, col, target::text;
        RAISE NOTICE '%', CASE WHEN t.fk_valid THEN format('  use the validated foreign key %s', t.fk)
                               WHEN t.fk_exists THEN format('  use the foreign key %s (NOT VALID)', t.fk)
                               ELSE format('  add foreign key %s (%I) REFERENCES %s (%I) NOT VALID', t.fk, col, target, t.target_col) END;
        -- The mapping is looked up for the rows outside the target only, as the batches do.
        EXECUTE format('SELECT count(*), count(*) FILTER (WHERE t.%I IS NULL) FROM %s t', col, tbl) INTO total_n, null_n;
        EXECUTE 'SELECT count(*) ' || bad_sql INTO bad_n;
        RAISE NOTICE '  leave (valid): % rows', total_n - null_n - bad_n;
        RAISE NOTICE '  leave (NULL): % rows', null_n;
        FOR r IN EXECUTE format('SELECT c.o, count(*) AS n, count(DISTINCT c.v) AS d FROM (%s WHERE %s) c GROUP BY 1 ORDER BY 1 DESC', outcome_sql, bad_cond) LOOP
            RAISE NOTICE '  %: % rows (% values)', CASE r.o WHEN 're-pointed' THEN 're-point' ELSE 'quarantine (' || r.o || ')' END, r.n, r.d;
        END LOOP;
        RAISE NOTICE '%', CASE WHEN nulling THEN format('  set the quarantined values to NULL (kept in id_quarantine), then validate %s', t.fk)
                               ELSE format('  keep the quarantined values in %s, and validate %s only if none is left', tbl, t.fk) END;
        RETURN;
    END IF;

    SELECT * INTO run FROM @schema@.id_adopt_runs x WHERE x.procedure = 'repair_reference' AND x.arguments = args;
    IF run.state = 'done' THEN
        RAISE NOTICE 'repair_reference(%, %, %) is done (run %): %', tbl::text, col, target::text, run.run_id, run.progress::text;
        RETURN;
    END IF;
    IF run.run_id IS NULL THEN
        run := @schema@._adopt_run('repair_reference', args);
        UPDATE @schema@.id_adopt_runs SET phase = 'start', progress = jsonb_build_object('fk', t.fk, 'fk_added', NOT t.fk_exists)
         WHERE run_id = run.run_id RETURNING * INTO run;
        COMMIT;
        PERFORM pg_catalog.set_config('search_path', @search_path@, true);
        PERFORM @schema@._adopt_tx(lock_timeout);
    END IF;

    -- 1. The foreign key, NOT VALID: from here on every new or changed value must be a key of the
    -- target, while legacy rows stay updatable (PostgreSQL checks a foreign key only when the
    -- referencing value changes). SHARE ROW EXCLUSIVE on both tables, catalog only.
    IF run.phase = 'start' THEN
        IF t.fk_exists THEN
            UPDATE @schema@.id_adopt_runs SET phase = 'constrained', updated_at = clock_timestamp() WHERE run_id = run.run_id;
            COMMIT;
            PERFORM pg_catalog.set_config('search_path', @search_path@, true);
        ELSE
            CALL @schema@._adopt_ddl(run.run_id, ARRAY[format(
                'DO $x$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = %s::oid AND conname = %L) THEN ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES %s (%I) NOT VALID; END IF; END $x$',
                tbl::oid, t.fk, tbl, t.fk, col, target, t.target_col)], 'constrained', lock_timeout);
        END IF;
        PERFORM @schema@._adopt_tx(lock_timeout);
        SELECT * INTO run FROM @schema@.id_adopt_runs x WHERE x.run_id = run.run_id;
    END IF;

    -- 2. The plan: every row whose value is no key of the target, once, in one transaction (plain
    -- reads: no lock writers wait for). The foreign key is in place, so the list cannot grow.
    IF run.phase = 'constrained' THEN
        attempt := 0;
        LOOP
            attempt := attempt + 1;
            BEGIN
                -- Plain reads, but an ACCESS SHARE lock queued behind another session's DDL waits
                -- no longer than lock_timeout either.
                EXECUTE format('SELECT count(*), count(*) FILTER (WHERE t.%I IS NULL) FROM %s t', col, tbl) INTO total_n, null_n;
                EXECUTE format('INSERT INTO @schema@.id_repair_log (run_id, row_key, old_value) SELECT $1, t.%I::text, t.%I::text %s ON CONFLICT DO NOTHING',
                               t.key_col, col, bad_sql) USING run.run_id;
                GET DIAGNOSTICS bad_n = ROW_COUNT;
                -- Statistics for the batches' plans: without them the log looks empty, and
                -- every batch read all of this run's rows (35 ms a batch of 200 at 40,000).
                ANALYZE @schema@.id_repair_log;
                EXIT;
            EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
                PERFORM @schema@._adopt_give_up(attempt, pg_catalog.format('read "%s"', tbl), lock_timeout, 'repair_reference');
            END;
            PERFORM @schema@._adopt_jitter();
            PERFORM @schema@._adopt_tx(lock_timeout);
        END LOOP;
        UPDATE @schema@.id_adopt_runs SET phase = 'repairing', updated_at = clock_timestamp(),
               progress = progress || jsonb_build_object('rows', total_n, 'null', null_n, 'valid', total_n - null_n - bad_n,
                                                         'bad', bad_n, 'cursor', NULL, 'passes', 0, 'planned_at', clock_timestamp())
         WHERE run_id = run.run_id RETURNING * INTO run;
        COMMIT;
        PERFORM pg_catalog.set_config('search_path', @search_path@, true);
        PERFORM @schema@._adopt_tx(lock_timeout);
    END IF;

    -- 3. The batches, in the plan's key order. Each locks its rows FOR UPDATE SKIP LOCKED (a row an
    -- application transaction holds is left for a later pass, never waited for), classifies each
    -- by its current value, re-points or quarantines it, and commits that with the plan's outcomes
    -- and the cursor.
    IF run.phase = 'repairing' THEN
        -- Lock first, classify in a second statement: its snapshot is taken once the rows are
        -- locked, so it sees the value a writer committed last and the target rows committed
        -- with it (a FOR UPDATE re-read gets the new row, but its subqueries keep the old snapshot).
        lock_sql := format('SELECT array_agg(c.k) FROM (SELECT t.%1$I::text AS k FROM %2$s t WHERE t.%1$I = ANY ($1::%3$s[]) FOR UPDATE SKIP LOCKED) c',
                           t.key_col, tbl, t.key_type);
        batch_sql := format('SELECT array_agg(c.k), array_agg(c.v), array_agg(c.o), array_agg(c.n) FROM (%s WHERE t.%I = ANY ($1::%s[])) c',
                            outcome_sql, t.key_col, t.key_type);
        gone_sql := format('SELECT array_agg(k) FROM unnest($1) k WHERE NOT k = ANY ($2) AND NOT EXISTS (SELECT 1 FROM %s t WHERE t.%I = k::%s)',
                           tbl, t.key_col, t.key_type);
        -- The keys cast in a subquery: the join is then one index probe per row of the batch.
        repoint_sql := format('UPDATE %1$s t SET %2$I = u.n::%3$s FROM (SELECT x.k::%5$s AS k, x.n FROM unnest($1, $2, $3) x(k, o, n) WHERE x.o = ''re-pointed'') u WHERE t.%4$I = u.k',
                              tbl, col, t.col_type, t.key_col, t.key_type);
        null_sql := format('UPDATE %1$s t SET %2$I = NULL FROM (SELECT x.k::%4$s AS k FROM unnest($1, $2) x(k, o) WHERE x.o = ANY ($3)) u WHERE t.%3$I = u.k',
                           tbl, col, t.key_col, t.key_type);
        cur := run.progress ->> 'cursor';
        passes := (run.progress ->> 'passes')::integer;
        LOOP
            attempt := 0;
            LOOP
                attempt := attempt + 1;
                BEGIN
                    -- Two statements, not "cur IS NULL OR row_key > cur": the cached generic
                    -- plan of that would not bound the index scan, and every batch would walk
                    -- the rows done before it again.
                    IF cur IS NULL THEN
                        batch := ARRAY(SELECT l.row_key FROM @schema@.id_repair_log l
                                        WHERE l.run_id = run.run_id AND l.outcome IS NULL
                                        ORDER BY l.row_key LIMIT batch_size);
                    ELSE
                        batch := ARRAY(SELECT l.row_key FROM @schema@.id_repair_log l
                                        WHERE l.run_id = run.run_id AND l.outcome IS NULL AND l.row_key > cur
                                        ORDER BY l.row_key LIMIT batch_size);
                    END IF;
                    EXIT WHEN cardinality(batch) = 0;
                    EXECUTE lock_sql INTO keys USING batch;
                    keys := COALESCE(keys, '{}');
                    EXECUTE batch_sql INTO keys, vals, outcomes, news USING keys;
                    keys := COALESCE(keys, '{}');
                    EXECUTE gone_sql INTO gone USING batch, keys;
                    EXECUTE repoint_sql USING keys, outcomes, news;
                    IF nulling THEN
                        EXECUTE null_sql USING keys, outcomes, reasons;
                    END IF;
                    INSERT INTO @schema@.id_quarantine AS q (relation, row_key, column_name, value, reason, run_id)
                    SELECT tbl, x.k, col, x.v, x.o, run.run_id FROM unnest(keys, vals, outcomes) x(k, v, o) WHERE x.o = ANY (reasons)
                    ON CONFLICT (relation, row_key, column_name)
                    DO UPDATE SET value = EXCLUDED.value, reason = EXCLUDED.reason, run_id = EXCLUDED.run_id, quarantined_at = EXCLUDED.quarantined_at;
                    UPDATE @schema@.id_repair_log l
                       SET outcome = CASE x.o WHEN 'valid' THEN 'valid meanwhile' WHEN 'null' THEN 'null meanwhile' ELSE x.o END,
                           old_value = x.v, new_value = x.n, done_at = clock_timestamp()
                      FROM unnest(keys, vals, outcomes, news) x(k, v, o, n)
                     WHERE l.run_id = run.run_id AND l.row_key = ANY (keys) AND l.row_key = x.k;
                    IF gone IS NOT NULL THEN
                        UPDATE @schema@.id_repair_log l SET outcome = 'deleted meanwhile', done_at = clock_timestamp()
                         WHERE l.run_id = run.run_id AND l.row_key = ANY (gone);
                    END IF;
                    cur := batch[cardinality(batch)];
                    UPDATE @schema@.id_adopt_runs SET progress = progress || jsonb_build_object('cursor', cur), updated_at = clock_timestamp()
                     WHERE run_id = run.run_id;
                    EXIT;
                EXCEPTION WHEN lock_not_available OR deadlock_detected OR foreign_key_violation THEN
                    -- A lock the batch queued for (the table's, or a target row's for the foreign
                    -- key's check), or a target key the application deleted after the batch read
                    -- it: the batch is rolled back and classified again.
                    PERFORM @schema@._adopt_give_up(attempt, pg_catalog.format('repair a batch of "%s"', tbl), lock_timeout, 'repair_reference', SQLERRM);
                END;
                PERFORM @schema@._adopt_jitter();
                PERFORM @schema@._adopt_tx(lock_timeout);
            END LOOP;
            IF cardinality(batch) = 0 THEN
                -- The end of a pass: rows skipped because the application held them get another
                -- pass after a pause, 50 passes at most.
                IF NOT EXISTS (SELECT 1 FROM @schema@.id_repair_log l WHERE l.run_id = run.run_id AND l.outcome IS NULL) THEN
                    UPDATE @schema@.id_adopt_runs SET phase = 'repaired', updated_at = clock_timestamp(),
                           progress = progress || jsonb_build_object('cursor', NULL, 'repaired_at', clock_timestamp())
                     WHERE run_id = run.run_id RETURNING * INTO run;
                    COMMIT;
                    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
                    EXIT;
                END IF;
                passes := passes + 1;
                cur := NULL;
                UPDATE @schema@.id_adopt_runs SET progress = progress || jsonb_build_object('cursor', NULL, 'passes', passes), updated_at = clock_timestamp()
                 WHERE run_id = run.run_id;
                COMMIT;
                PERFORM pg_catalog.set_config('search_path', @search_path@, true);
                IF passes >= 50 THEN
                    RAISE EXCEPTION 'rows of "%" stayed locked by other transactions through 50 passes', tbl::text
                        USING ERRCODE = 'lock_not_available',
                              DETAIL = (SELECT format('%s rows left, for example %s = %s', count(*), t.key_col, min(l.row_key))
                                          FROM @schema@.id_repair_log l WHERE l.run_id = run.run_id AND l.outcome IS NULL),
                              HINT = 'Look for long transactions (pg_stat_activity, idle in transaction), then CALL repair_reference again with the same arguments to resume.';
                END IF;
                PERFORM @schema@._adopt_jitter();
            ELSE
                COMMIT;
                PERFORM pg_catalog.set_config('search_path', @search_path@, true);
            END IF;
            PERFORM @schema@._adopt_tx(lock_timeout);
        END LOOP;
        PERFORM @schema@._adopt_tx(lock_timeout);
    END IF;

    -- 4. VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE on the table, ROW SHARE on the target: writers
    -- go on) once no row holds a value that is no key of the target. Quarantined values kept in
    -- their rows (keep_values, or a NOT NULL column) leave the foreign key NOT VALID.
    IF run.phase = 'repaired' THEN
        EXECUTE 'SELECT count(*) ' || bad_sql INTO remaining;
        IF remaining = 0 AND NOT (SELECT c.convalidated FROM pg_catalog.pg_constraint c WHERE c.conrelid = tbl AND c.conname = t.fk) THEN
            CALL @schema@._adopt_ddl(run.run_id, ARRAY[format('ALTER TABLE %s VALIDATE CONSTRAINT %I', tbl, t.fk)], 'validated', lock_timeout);
        ELSE
            UPDATE @schema@.id_adopt_runs SET phase = 'validated', updated_at = clock_timestamp() WHERE run_id = run.run_id;
            COMMIT;
            PERFORM pg_catalog.set_config('search_path', @search_path@, true);
        END IF;
        PERFORM @schema@._adopt_tx(lock_timeout);
        run.phase := 'validated';
    END IF;

    -- 5. The invariant. Per class of the plan: every planned row is re-pointed, quarantined, or was
    -- changed or deleted by the application meanwhile; per row: no value in the table is outside
    -- the target unless it is a quarantined row's own value, kept; no re-pointed row holds anything
    -- but a target key or what the application wrote since (a valid key or NULL).
    SELECT jsonb_object_agg(COALESCE(l.outcome, 'pending'), l.n), sum(l.n) INTO counts, bad_n
      FROM (SELECT outcome, count(*) AS n FROM @schema@.id_repair_log WHERE run_id = run.run_id GROUP BY 1) l;
    counts := COALESCE(counts, '{}');
    bad_n := COALESCE(bad_n, 0);
    EXECUTE format('SELECT count(*) %s AND NOT EXISTS (SELECT 1 FROM @schema@.id_quarantine q WHERE q.relation = %s::oid AND q.row_key = t.%I::text AND q.column_name = %L AND q.value = t.%I::text)',
                   bad_sql, tbl::oid, t.key_col, col, col) INTO remaining;
    IF counts ? 'pending' OR bad_n <> (run.progress ->> 'bad')::bigint OR remaining <> 0 THEN
        RAISE EXCEPTION 'repair_reference: the invariant does not hold for "%"."%"', tbl::text, col
            USING ERRCODE = 'internal_error',
                  DETAIL = format('%s rows were planned, %s are accounted for (%s); %s rows hold a value that is no key of %s and not quarantined.',
                                  run.progress ->> 'bad', bad_n, counts::text, remaining, target::text),
                  HINT = 'The run stays resumable: CALL repair_reference again with the same arguments.';
    END IF;
    SELECT c.convalidated INTO validated FROM pg_catalog.pg_constraint c WHERE c.conrelid = tbl AND c.conname = t.fk;
    UPDATE @schema@.id_adopt_runs
       SET state = 'done', phase = 'done', finished_at = clock_timestamp(), updated_at = clock_timestamp(),
           progress = progress || jsonb_build_object('outcomes', counts, 'validated', validated)
     WHERE run_id = run.run_id RETURNING * INTO run;
    COMMIT;
    PERFORM pg_catalog.set_config('search_path', @search_path@, true);
    RAISE NOTICE '%', format('repair_reference(%s, %s, %s): %s rows, %s valid, %s NULL, %s re-pointed, %s quarantined (see id_quarantine), %s changed by others meanwhile',
        tbl, col, target, run.progress ->> 'rows', run.progress ->> 'valid', run.progress ->> 'null',
        COALESCE(counts ->> 're-pointed', '0'),
        COALESCE((counts ->> 'no target')::bigint, 0) + COALESCE((counts ->> 'ambiguous mapping')::bigint, 0) + COALESCE((counts ->> 'mapping to a missing target')::bigint, 0),
        COALESCE((counts ->> 'valid meanwhile')::bigint, 0) + COALESCE((counts ->> 'null meanwhile')::bigint, 0) + COALESCE((counts ->> 'deleted meanwhile')::bigint, 0));
    IF validated THEN
        RAISE NOTICE 'foreign key % is validated', t.fk;
    ELSE
        RAISE WARNING 'foreign key % stays NOT VALID: quarantined values are kept in "%"', t.fk, tbl::text
            USING DETAIL = CASE WHEN keep_values THEN 'keep_values => true keeps them in their rows.'
                                ELSE format('Column "%s" is NOT NULL, so they could not be moved out of their rows.', col) END,
                  HINT = format('New and changed values are checked already. Once the quarantined rows are fixed or deleted: ALTER TABLE %s VALIDATE CONSTRAINT %I;', tbl, t.fk);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i, pg_catalog.pg_attribute a
                    WHERE i.indrelid = tbl AND a.attrelid = tbl AND a.attname = col AND i.indkey[0] = a.attnum) THEN
        RAISE NOTICE '%', format('"%s"."%s" has no index: every DELETE or key UPDATE on %s now scans %s. Consider: CREATE INDEX CONCURRENTLY ON %s (%I);',
                                 tbl, col, target, tbl, tbl, col);
    END IF;
END
$proc$
$s$,
$s$
COMMENT ON PROCEDURE @schema@.repair_reference(regclass, name, regclass, regclass, name, integer, interval, boolean, boolean) IS
'Turns a polluted reference column into a foreign key online: adds it NOT VALID, re-points values the mapping (old -> new) maps to exactly one target key, quarantines the rest (no target, ambiguous mapping, mapping to a missing target), then validates; batched, resumable, dry_run'
$s$
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
