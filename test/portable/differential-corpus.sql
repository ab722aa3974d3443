-- The differential test's inputs: CREATE TABLE corpus (t text), over 100,000 texts. Run in a UTF8
-- database. Deterministic (setseed), so a failure can be replayed.
SELECT setseed(0.14);
CREATE TABLE corpus (t text);
-- Every character from U+0001 to U+2FFF (Latin, combining marks, punctuation, ...), and a sample
-- above it, alone and between letters.
INSERT INTO corpus SELECT chr(c) FROM generate_series(1, 12287) c WHERE c NOT BETWEEN 55296 AND 57343;
INSERT INTO corpus SELECT 'ab' || chr(c) || 'cd' FROM generate_series(1, 12287, 3) c;
INSERT INTO corpus SELECT chr(c) || 'x_' || chr(c) FROM generate_series(12288, 1114111, 97) c WHERE c NOT BETWEEN 55296 AND 57343;
-- Every letter slugify folds, upper and lower, with and without a combining mark, in words.
INSERT INTO corpus SELECT 'Ça ' || chr(c) || 'x ' || chr(c) || chr(769) || '-' || repeat(chr(c), 3)
FROM generate_series(192, 591) c;
INSERT INTO corpus SELECT chr(c) || chr(c + 1) || ' ' || chr(7680 + c % 256) FROM generate_series(192, 591) c;
-- Random texts over the alphabets that matter: id characters, case, separators, a few non-ASCII.
INSERT INTO corpus
SELECT string_agg(substr(alphabet, 1 + floor(random() * length(alphabet))::int, 1), '')
FROM (SELECT g, (ARRAY['abcdefghijklmnopqrstuvwxyz0123456789_',
                       'abcdefghijklmnopqrstuvwxyz_',
                       'abcdef0123456789-ABCDEF',
                       'aZ9 -_.|@éßİ東!Æ' || chr(769) || chr(9) || chr(10),
                       'abcdefghijklmnopqrstuvwxyz0123456789-'])[1 + g % 5] AS alphabet,
             1 + floor(random() * 110)::int AS len
      FROM generate_series(1, 40000) g) s, generate_series(1, 120) k
WHERE k <= len
GROUP BY g;
-- Ids of every kind: prefixed with every shape of prefix and body length, CUID2 of every
-- length, CUID v1, UUIDs in every spelling, integers, slugs, tokens.
INSERT INTO corpus
SELECT p || '_' || generate_cuid2(2 + g % 31)
FROM (SELECT g, (ARRAY['usr', 'org', 'a', 'user_account', 'a_b', repeat('p', 63), repeat('q', 62) || 'r', 'x__y'])[1 + g % 8] AS p
      FROM generate_series(1, 12000) g) s;
INSERT INTO corpus SELECT generate_cuid2(2 + g % 31) FROM generate_series(1, 6000) g;
INSERT INTO corpus SELECT 'c' || substr(md5(g::text) || md5((g + 1)::text), 1, 24) FROM generate_series(1, 3000) g;
INSERT INTO corpus
SELECT CASE g % 6 WHEN 0 THEN u::text WHEN 1 THEN upper(u::text) WHEN 2 THEN replace(u::text, '-', '')
                  WHEN 3 THEN '{' || u || '}' WHEN 4 THEN ' ' || u ELSE left(u::text, 35) END
FROM (SELECT g, gen_random_uuid() AS u FROM generate_series(1, 6000) g) s;
INSERT INTO corpus SELECT (floor(random() * 1e18))::bigint::text FROM generate_series(1, 3000);
INSERT INTO corpus SELECT 'tenant-' || g || '-' || md5(g::text) FROM generate_series(1, 2000) g;
-- Every provider's sub shapes.
INSERT INTO corpus
SELECT CASE g % 8
         WHEN 0 THEN (335517149097361411 + g)::text                              -- Zitadel
         WHEN 1 THEN 'auth0|' || substr(md5(g::text), 1, 24)                      -- Auth0
         WHEN 2 THEN 'google-oauth2|' || (100000000000000000000 + g)::text        -- Auth0 social
         WHEN 3 THEN 'user_2' || substr(encode(sha256(g::text::bytea), 'base64'), 1, 26)  -- Clerk
         WHEN 4 THEN gen_random_uuid()::text                                      -- Supabase Auth
         WHEN 5 THEN 'Ünïcødé.' || g || '@exämple.de'                              -- e-mail
         WHEN 6 THEN 'waad|' || g || '-山田太郎-😀'
         ELSE 'samlp|Okta|' || md5(g::text)
       END
FROM generate_series(1, 16000) g;
-- Edited ids: each character of a prefixed id replaced, in turn, by one that breaks it.
INSERT INTO corpus
SELECT overlay(id PLACING ch FROM pos FOR 1)
FROM (SELECT 'user_account_ght4k2jxm7pqbv01' AS id) i, generate_series(1, 29) pos,
     unnest(ARRAY['A', '_', '-', '0', 'é', ' ', chr(10), 'z', '']) ch;
-- Long texts.
INSERT INTO corpus VALUES (''), (repeat('a', 1048576)), (repeat('_', 100000)), (repeat('Ab ', 350000)),
  ('usr_' || repeat('a', 100000)), (repeat('日本', 50000)), (repeat('é', 70) || ' fin'), (repeat('-', 10000) || 'x'),
  (repeat('word ', 30)), (repeat('x', 63) || '-y'), (repeat('x', 64) || '-y'), (repeat('ab-', 40)),
  (repeat('Straße ', 20)), (repeat('e' || chr(769), 100)), (repeat(chr(769), 1000) || 'a');
