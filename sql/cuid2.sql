-- generate_cuid2 and is_cuid2. Random output is checked by its properties, never by value.

-- Shape and length, default 24.
SELECT length(id) AS len, id ~ '^[a-z][0-9a-z]{23}$' AS shaped, is_cuid2(id) AS valid
FROM (SELECT generate_cuid2() AS id) s;

-- Every allowed length gives an id of exactly that length and shape.
SELECT count(*) AS lengths_ok
FROM generate_series(2, 32) AS len
WHERE length(generate_cuid2(len)) = len
  AND generate_cuid2(len) ~ '^[a-z][0-9a-z]+$';

-- 100k ids: all distinct, all well formed.
SELECT count(*) AS total, count(DISTINCT id) AS distinct_ids,
       bool_and(id ~ '^[a-z][0-9a-z]{23}$') AS all_shaped
FROM (SELECT generate_cuid2() AS id FROM generate_series(1, 100000)) s;

-- The first letter is uniform over a-z: every letter appears, and a chi-square statistic over
-- 104k draws (25 degrees of freedom) stays under 70 (exceeded by chance with odds ~4e-6).
WITH letters AS (
  SELECT left(generate_cuid2(2), 1) AS l FROM generate_series(1, 104000)
), counts AS (
  SELECT l, count(*) AS c FROM letters GROUP BY l
)
SELECT count(*) AS letters_seen, sum((c - 4000.0) ^ 2 / 4000.0) < 70 AS uniform FROM counts;

-- The body uses all 36 base-36 characters.
SELECT count(DISTINCT ch) AS body_chars
FROM (SELECT regexp_split_to_table(substr(generate_cuid2(32), 2), '') AS ch
      FROM generate_series(1, 2000)) s;

-- Volatile: one call per row, not one per statement.
SELECT count(DISTINCT generate_cuid2()) AS per_row FROM generate_series(1, 10);

-- Errors: out-of-range lengths name the range; NULL in, NULL out (STRICT).
SELECT generate_cuid2(1);
\echo :LAST_ERROR_SQLSTATE
SELECT generate_cuid2(33);
\echo :LAST_ERROR_SQLSTATE
SELECT generate_cuid2(0);
\echo :LAST_ERROR_SQLSTATE
SELECT generate_cuid2(-2147483648);
\echo :LAST_ERROR_SQLSTATE
SELECT generate_cuid2(NULL) IS NULL AS null_in_null_out;

-- is_cuid2: the reference's isCuid rule.
SELECT id, is_cuid2(id) AS valid
FROM (VALUES ('ab'), ('a0'), ('a'), (''), ('0abc'), ('Abc'), ('abC'), ('ab-c'), ('ab_c'),
             ('cmk07b7n4000q08l2h3g7d9xz'), ('u000'), ('u-dev-001'), ('abcé'),
             (repeat('a', 32)), (repeat('a', 33))) v(id);
SELECT is_cuid2('abcd', 4, 4) AS exact, is_cuid2('abcd', 5) AS too_short,
       is_cuid2('abcd', 2, 3) AS too_long, is_cuid2(repeat('a', 40), 2, 40) AS wider_bounds,
       is_cuid2('abcd', 5, 3) AS empty_range;

-- Validators never raise, whatever the text.
SELECT is_cuid2(repeat('a', 1048576)) AS one_mb,
       is_cuid2(repeat('a', 1048576), 2, 2000000) AS one_mb_wide,
       is_cuid2(E'ab\ncd') AS newline, is_cuid2(E'ab\tc') AS tab,
       is_cuid2(chr(1) || 'abc') AS control, is_cuid2('日本語') AS cjk,
       is_cuid2('ab', -1, -1) AS negative_bounds;
SELECT is_cuid2(NULL) IS NULL AS null_in_null_out;

