-- The hostile corpus, in a SQL_ASCII database (text holds any byte but 0x00):
--   random      100,000 strings of 0..200 random bytes 0x01-0xFF
--   near        near misses: valid ids, cuid2s, uuids and slugs with one byte changed, added or
--               removed; strings over an alphabet of id characters, separators and UTF-8 letters
--   valid       ids, cuid2s, uuids, integers, cuids and slugs as the generators and rules make them
--   edge        hand-picked edge cases (empty, lone separators, 63/64-char prefixes, bad UTF-8...)
--   big:SHAPE   10 MB strings: random bytes, a valid id repeated, one letter, separators,
--               invalid UTF-8, a UTF-8 letter, digits, "a_" repeated
-- Run by test/cluster/hostile with psql -v ON_ERROR_STOP=1.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION idconv;
CREATE EXTENSION pgcrypto;
CREATE SCHEMA h;
SET search_path = h, public;

-- Bytes as text, 0x00 turned into 0x01. In the hex form a zero byte is an "00" at an even
-- offset; replace() rewrites the matches left to right, and an even-offset "00" is always the
-- start of a match (or its first digit is the "1" of a match that started one digit earlier), so
-- none survives, and convert_from() would reject one if it did.
CREATE FUNCTION nz(b bytea) RETURNS text LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT convert_from(decode(replace(encode(b, 'hex'), '00', '01'), 'hex'), 'SQL_ASCII') $$;

-- One random byte 0x01-0xFF.
CREATE FUNCTION rbyte() RETURNS text LANGUAGE sql VOLATILE
AS $$ SELECT nz(decode(lpad(to_hex(1 + floor(random() * 255)::int), 2, '0'), 'hex')) $$;

-- n characters drawn from an array of pieces.
CREATE FUNCTION pick(pieces text[], n int) RETURNS text LANGUAGE sql VOLATILE
AS $$ SELECT coalesce(string_agg(pieces[1 + floor(random() * cardinality(pieces))::int], ''), '')
      FROM generate_series(1, n) $$;

-- One byte of s changed, or a byte inserted, or one removed.
CREATE FUNCTION mutate(s text) RETURNS text LANGUAGE sql VOLATILE
AS $$
  SELECT CASE op
    WHEN 0 THEN overlay(s PLACING rbyte() FROM pos FOR 1)
    WHEN 1 THEN overlay(s PLACING rbyte() FROM pos FOR 0)
    ELSE overlay(s PLACING '' FROM pos FOR 1) END
  FROM (SELECT floor(random() * 3)::int AS op, 1 + floor(random() * greatest(length(s), 1))::int AS pos) r
$$;

CREATE TABLE corpus (i int PRIMARY KEY, kind text NOT NULL, s text NOT NULL);

-- random: 0..200 bytes each.
INSERT INTO corpus
SELECT g, 'random', nz(substring(gen_random_bytes(200) FROM 1 FOR floor(random() * 201)::int))
FROM generate_series(1, 100000) g;

-- valid: what the generators and the documented rules accept.
CREATE TABLE samples (s text);
INSERT INTO samples
SELECT generate_prefixed_id((ARRAY['usr', 'org', 'user_account', 'a', 'a_b', repeat('z', 63)])[1 + g % 6], 2 + g % 31)
FROM generate_series(1, 2000) g;
INSERT INTO samples SELECT generate_prefixed_id('usr') FROM generate_series(1, 1000);
INSERT INTO samples SELECT generate_cuid2(2 + g % 31) FROM generate_series(1, 2000) g;
INSERT INTO samples
SELECT CASE g % 4 WHEN 0 THEN u WHEN 1 THEN upper(u) WHEN 2 THEN '{' || u || '}' ELSE replace(u, '-', '') END
FROM (SELECT g, gen_random_uuid()::text AS u FROM generate_series(1, 1000) g) x;
INSERT INTO samples SELECT (random() * 10 ^ (1 + g % 25))::numeric(40, 0)::text FROM generate_series(1, 500) g;
INSERT INTO samples SELECT 'c' || pick(string_to_array('abcdefghijklmnopqrstuvwxyz0123456789', NULL), 24) FROM generate_series(1, 500);
INSERT INTO samples
SELECT array_to_string(ARRAY(SELECT pick(string_to_array('abcdefghijklmnopqrstuvwxyz0123456789', NULL), 1 + floor(random() * 8)::int)
                             FROM generate_series(1, 1 + g % 6)), '-')
FROM generate_series(1, 500) g;
INSERT INTO corpus SELECT 200000 + row_number() OVER (), 'valid', s FROM samples;

-- near: one-byte mutations of the valid samples, twice each, and strings over an alphabet that
-- makes near-valid shapes likely.
INSERT INTO corpus SELECT 300000 + row_number() OVER (), 'near', mutate(s) FROM samples, generate_series(1, 2);
INSERT INTO corpus
SELECT 400000 + g, 'near',
       pick(ARRAY['a', 'b', 'c', 'z', 'q', '0', '1', '9', '_', '_', '-', '-', ' ', '.', 'A', 'Z', '|', '{', '"',
                  E'\\', convert_from('\xc389', 'SQL_ASCII'), convert_from('\xc3', 'SQL_ASCII'),
                  convert_from('\xe282ac', 'SQL_ASCII'), convert_from('\xcc81', 'SQL_ASCII'),
                  convert_from('\xff', 'SQL_ASCII'), convert_from('\x01', 'SQL_ASCII')],
            floor(random() * 80)::int)
FROM generate_series(1, 10000) g;

-- edge: hand-picked.
INSERT INTO corpus
SELECT 500000 + row_number() OVER (), 'edge', s FROM unnest(ARRAY[
  '', ' ', '_', '__', '-', '--', 'a', 'a_', '_a', 'a__b', 'a_b_c', 'a-', '-a', 'a--b', 'a-b',
  'usr_', '_usr_ght4k2jxm7pqbv01', 'usr__ght4k2jxm7pqbv01', 'usr_ght4k2jxm7pqbv01_',
  'usr_ght4k2jxm7pqbv01', 'usr_ght4k2jxm7pqbv0', 'usr_ght4k2jxm7pqbv012', 'USR_ght4k2jxm7pqbv01',
  'usr_Ght4k2jxm7pqbv01', 'usr_1ht4k2jxm7pqbv01', ' usr_ght4k2jxm7pqbv01', E'usr_ght4k2jxm7pqbv01\n',
  repeat('a', 63) || '_ght4k2jxm7pqbv01', repeat('a', 64) || '_ght4k2jxm7pqbv01',
  'usr_' || repeat('a', 32), 'usr_' || repeat('a', 33), repeat('a', 32), repeat('a', 33), repeat('a', 63),
  repeat('a', 64), repeat('a-', 31) || 'a', repeat('a-', 32) || 'a', repeat('9', 100), '0', '00',
  'cmk07b7n4000q08l2h3g7d9xz', 'tz4a98xxat96iws9zmbrgj3a', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1', 'g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'u-dev-001', 'u000',
  '335517149097361411', 'auth0|5f7c8ec7c33c6c004bbafe82', 'user_2xQ8pZ3kLmN0vR7sT1uW4yB6cD9',
  '{"sub":"x"}', '{"sub":1}', '{"sub":null}', '{"sub":""}', '{"sub":["x"]}', '[]', 'null', '"x"', '{',
  '{"sub":"\u0000"}', '{"sub":"\ud800"}', '{"sub":"\u00e9"}', '{"a":{"sub":"x"}}', '{"sub":"a","sub":"b"}',
  'Curaway (Ops) -- EU', '%s%s%s%n', '%', E'\\', '''', '"', ''');DROP TABLE corpus;--',
  convert_from('\xc3896d696c652053747261c39f6520c581c3b364c5ba', 'SQL_ASCII'),
  convert_from('\x65cc817465', 'SQL_ASCII'), convert_from('\xe69db1e4baac', 'SQL_ASCII'),
  convert_from('\xc3', 'SQL_ASCII'), convert_from('\xc328', 'SQL_ASCII'), convert_from('\xe282', 'SQL_ASCII'),
  convert_from('\xc0af', 'SQL_ASCII'), convert_from('\xeda080', 'SQL_ASCII'),
  convert_from('\xf4908080', 'SQL_ASCII'), convert_from('\xf888808080', 'SQL_ASCII'),
  convert_from('\xfffe', 'SQL_ASCII'), convert_from('\xefbbbf', 'SQL_ASCII') || 'usr_ght4k2jxm7pqbv01',
  'usr' || convert_from('\xc2a0', 'SQL_ASCII') || 'ght4k2jxm7pqbv01', convert_from('\x01021f7f', 'SQL_ASCII'),
  convert_from('\xcc81', 'SQL_ASCII'), repeat(convert_from('\xcc81', 'SQL_ASCII'), 100),
  repeat(convert_from('\xc389', 'SQL_ASCII'), 100), repeat('_', 200), repeat('-', 200)
]) AS s;

-- big: 10 MB each (the timing test takes the first 1 MB of the same strings).
CREATE TABLE big_random AS
SELECT nz(string_agg(gen_random_bytes(1024), ''::bytea)) AS s FROM generate_series(1, 10240);
INSERT INTO corpus
SELECT 600000 + row_number() OVER (), 'big:' || shape, left(s, 10485760) FROM (VALUES
  ('random', (SELECT s FROM big_random)),
  ('ids', repeat('usr_ght4k2jxm7pqbv01', 524288)),
  ('letter', repeat('a', 10485760)),
  ('separators', repeat('-_ .', 2621440)),
  ('bad-utf8', repeat(convert_from('\xffc328e282c0afeda080f4908080fec3', 'SQL_ASCII'), 655360)),
  ('utf8-letter', repeat(convert_from('\xc389', 'SQL_ASCII'), 5242880)),
  ('digits', repeat('7', 10485760)),
  ('a_', repeat('a_', 5242880))
) AS b(shape, s);
DROP TABLE big_random, samples;
ANALYZE corpus;

SELECT kind, count(*), min(length(s)), max(length(s)) FROM corpus GROUP BY 1 ORDER BY 1;
