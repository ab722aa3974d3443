-- id_kind and audit_id_column: what a polluted id column holds.
SELECT id, id_kind(id) AS kind
FROM (VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'),
             ('usr_ght4k2jxm7pqbv01'), ('user_account_ght4k2jxm7pqbv01'), ('usr_ght4k2jxm7pqbv0'),
             ('335517149097361411'), ('0'), ('cmk07b7n4000q08l2h3g7d9xz'), ('tz4a98xxat96iws9zmbrgj3a'),
             ('u-dev-001'), ('tenant-apollo-001'), ('u000'), ('e16b83eb'), (repeat('z', 63)), (repeat('z', 64)),
             ('USR_ght4k2jxm7pqbv01'), ('hello world'), ('日本'), ('')) v(id);
-- Never raises, whatever the text; NULL in, NULL out.
SELECT id_kind(repeat('a', 1048576)) AS one_mb, id_kind(E'\n') AS newline, id_kind(chr(1)) AS control,
       id_kind(NULL) IS NULL AS strict;
-- Generated ids classify as what they are.
SELECT id_kind(generate_prefixed_id('usr')) AS prefixed, id_kind(generate_cuid2()) AS cuid2,
       id_kind(gen_random_uuid()::text) AS uuid;

-- A column with every convention a team went through, under names that need quoting.
CREATE SCHEMA "Legacy App";
CREATE TABLE "Legacy App"."Container Instances" ("Customer ID" text, n int);
INSERT INTO "Legacy App"."Container Instances" ("Customer ID", n)
SELECT v, g FROM (VALUES ('u-dev-001'), ('u000'), ('cmk07b7n4000q08l2h3g7d9xz'), ('usr_ght4k2jxm7pqbv01'),
                         ('usr_hkt4k2jxm7pqbv02'), ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), (NULL)) v(v),
     generate_series(1, 2) g;
INSERT INTO "Legacy App"."Container Instances" ("Customer ID") VALUES ('u-dev-001');
SELECT * FROM audit_id_column('"Legacy App"."Container Instances"', 'Customer ID');
-- Non-text columns are audited through their text form.
SELECT * FROM audit_id_column('"Legacy App"."Container Instances"', 'n');
-- A name that is not there is an error, and no name reaches SQL unquoted.
SELECT * FROM audit_id_column('"Legacy App"."Container Instances"', 'customer id');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM audit_id_column('"Legacy App"."Container Instances"', 'n"); DROP TABLE "Legacy App"."Container Instances"; --');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM audit_id_column('"Legacy App".missing', 'x');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS still_there FROM "Legacy App"."Container Instances";
-- A column named like an injection is audited as the column it is.
ALTER TABLE "Legacy App"."Container Instances" ADD COLUMN "x"") IS NULL; --" text DEFAULT 'usr_ght4k2jxm7pqbv01';
SELECT * FROM audit_id_column('"Legacy App"."Container Instances"', 'x") IS NULL; --');
-- It classifies whatever search_path says.
SET search_path = "Legacy App";
SELECT kind, rows FROM public.audit_id_column('"Container Instances"', 'Customer ID') WHERE kind = 'slug';
RESET search_path;
-- The same rows as grouping id_kind per row, over more rows than one batch of the extension's
-- cursor, with values stored compressed and out of line (one the smallest of its kind).
CREATE TABLE "Legacy App".many (v text);
ALTER TABLE "Legacy App".many ALTER COLUMN v SET STORAGE EXTERNAL;
INSERT INTO "Legacy App".many
SELECT CASE WHEN g % 7 = 0 THEN NULL WHEN g % 5 = 0 THEN 'u-' || g ELSE g::text END FROM generate_series(1, 2500) g;
INSERT INTO "Legacy App".many VALUES (repeat('#', 100000)), (repeat('~', 100000)), ('~');
ALTER TABLE "Legacy App".many ALTER COLUMN v SET STORAGE MAIN;
INSERT INTO "Legacy App".many VALUES (repeat('!', 200000));
SELECT kind, rows, length(example) AS example_length, left(example, 3) AS example_start
FROM audit_id_column('"Legacy App".many', 'v');
SELECT count(*) AS differences FROM (
  (SELECT * FROM audit_id_column('"Legacy App".many', 'v')
   EXCEPT ALL SELECT id_kind(v), count(*), min(v COLLATE "C") FROM "Legacy App".many GROUP BY 1)
  UNION ALL
  (SELECT id_kind(v), count(*), min(v COLLATE "C") FROM "Legacy App".many GROUP BY 1
   EXCEPT ALL SELECT * FROM audit_id_column('"Legacy App".many', 'v'))) d;
DROP TABLE "Legacy App".many;
DROP SCHEMA "Legacy App" CASCADE;
