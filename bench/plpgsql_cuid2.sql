-- CUID2 (@paralleldrive/cuid2 3.3.0) in plain PL/pgSQL over pgcrypto: the hand-written
-- alternative users write, kept as a benchmark peer for idconv's generate_cuid2().
-- Needs pgcrypto (digest, gen_random_bytes) in the search path. Run with psql -f after
-- CREATE EXTENSION pgcrypto; everything is created in the current schema.
--
--   id = letter + base36(SHA3-512(base36(time_ms) || salt || base36(counter) || fingerprint))
-- with the digest read as one big-endian unsigned integer, its first two base-36 digits dropped
-- and the rest cut to length - 1 chars.

-- numeric because a SHA3-512 digest fits no integer type; one routine serves time, counter,
-- digest and fingerprint. Zero gives '0', as JavaScript's toString(36) does.
CREATE OR REPLACE FUNCTION plpgsql_cuid2_base36(n numeric) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    alphabet constant text := '0123456789abcdefghijklmnopqrstuvwxyz';
    q numeric;
    result text := '';
BEGIN
    IF n < 0 OR n <> trunc(n) THEN
        RAISE EXCEPTION 'plpgsql_cuid2_base36: % is not a non-negative integer', n;
    END IF;
    IF n = 0 THEN
        RETURN '0';
    END IF;
    WHILE n > 0 LOOP
        q := div(n, 36);
        result := substr(alphabet, (n - q * 36)::int + 1, 1) || result;
        n := q;
    END LOOP;
    RETURN result;
END;
$$;

-- The reference's hash() before its slicing, shared by ids and the fingerprint: the digest is
-- read big-endian into a numeric a byte at a time.
CREATE OR REPLACE FUNCTION plpgsql_cuid2_hash36(input text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    d bytea := digest(convert_to(input, 'UTF8'), 'sha3-512');
    n numeric := 0;
BEGIN
    FOR i IN 0 .. octet_length(d) - 1 LOOP
        n := n * 256 + get_byte(d, i);
    END LOOP;
    RETURN plpgsql_cuid2_base36(n);
END;
$$;

-- The reference's createEntropy, from pgcrypto's gen_random_bytes (a CSPRNG, like idconv's), not
-- random(); bytes >= 252 are rejected so that "byte % 36" is unbiased.
CREATE OR REPLACE FUNCTION plpgsql_cuid2_entropy(count int) RETURNS text
LANGUAGE plpgsql VOLATILE STRICT PARALLEL SAFE AS $$
DECLARE
    alphabet constant text := '0123456789abcdefghijklmnopqrstuvwxyz';
    buf bytea;
    b int;
    result text := '';
BEGIN
    WHILE char_length(result) < count LOOP
        buf := gen_random_bytes(count - char_length(result) + 4);
        FOR i IN 0 .. octet_length(buf) - 1 LOOP
            EXIT WHEN char_length(result) >= count;
            b := get_byte(buf, i);
            IF b < 252 THEN
                result := result || substr(alphabet, b % 36 + 1, 1);
            END IF;
        END LOOP;
    END LOOP;
    RETURN result;
END;
$$;

-- Pure, apart from the generator, so it can be checked against test/unit/vectors/cuid2.tsv; a
-- digest too short to fill the id gives a shorter id, as in the reference (odds about 2^-337).
CREATE OR REPLACE FUNCTION plpgsql_cuid2_construct(letter text, time_ms bigint, salt text,
                                                   counter bigint, fingerprint text, length int)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    -- substr(h, 3, length - 1): the reference drops the first digit in hash(), then takes
    -- substring(1, length) of the rest.
    RETURN letter || substr(plpgsql_cuid2_hash36(plpgsql_cuid2_base36(time_ms) || salt
                                                 || plpgsql_cuid2_base36(counter) || fingerprint),
                            3, plpgsql_cuid2_construct.length - 1);
END;
$$;

-- One counter for the database where the reference keeps one per process (starting at a random
-- value below 476782367); it only has to differ between calls.
CREATE SEQUENCE IF NOT EXISTS plpgsql_cuid2_counter;

-- Letter and salt from the CSPRNG; the fingerprint is made once per session and cached in the
-- setting plpgsql_cuid2.fingerprint (the reference hashes JS globals; we hash pid and address).
CREATE OR REPLACE FUNCTION plpgsql_cuid2(length int DEFAULT 24) RETURNS text
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE AS $$
DECLARE
    len constant int := plpgsql_cuid2.length;
    fp text := nullif(current_setting('plpgsql_cuid2.fingerprint', true), '');
    b int;
    letter text;
BEGIN
    IF len < 2 OR len > 32 THEN
        RAISE EXCEPTION 'CUID2 length % is out of range', len
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The length must be between 2 and 32.';
    END IF;

    IF fp IS NULL THEN
        -- substr(h, 2, 32): the reference's hash() drops the first digit, then takes 32.
        fp := rpad(substr(plpgsql_cuid2_hash36(
                      concat_ws(',', pg_backend_pid(), inet_server_addr(), inet_server_port(),
                                current_database(), current_user, clock_timestamp())
                      || plpgsql_cuid2_entropy(32)),
                  2, 32), 32, '0');
        PERFORM set_config('plpgsql_cuid2.fingerprint', fp, false);
    END IF;

    -- A random letter a-z; bytes >= 234 (9 * 26) are rejected so that "byte % 26" is unbiased.
    LOOP
        b := get_byte(gen_random_bytes(1), 0);
        EXIT WHEN b < 234;
    END LOOP;
    letter := chr(ascii('a') + b % 26);

    RETURN plpgsql_cuid2_construct(letter,
                                   floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint,
                                   plpgsql_cuid2_entropy(len),
                                   nextval('plpgsql_cuid2_counter'),
                                   fp,
                                   len);
END;
$$;
