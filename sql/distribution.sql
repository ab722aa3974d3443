-- Distribution of generate_prefixed_id('usr') bodies (16-char CUID2) over 100,000 ids. Every count
-- must be within ±10% of its expected value, which is at least 6 standard deviations for each
-- (letters: sd 1.6%; chars 3..16: sd 0.5%; buckets: sd 1.4%, plus up to 1.8% skew inherited from the
-- digest, see bench/collision), so a false failure has odds below 1 in 10^8 per run.
-- bench/collision runs the same checks on 10^7 ids with tighter limits.
CREATE TEMP TABLE dist AS
SELECT prefixed_id_body(generate_prefixed_id('usr')) AS b FROM generate_series(1, 100000);

-- a. No duplicates.
SELECT count(*) = 100000 AS all_rows, count(DISTINCT b) = 100000 AS no_duplicates FROM dist;

-- b. First char (random letter): all 26 letters, each 100000/26 ± 10%.
SELECT count(*) = 26 AS all_letters, bool_and(c ~ '^[a-z]$') AS only_letters,
       bool_and(abs(n - 100000 / 26.0) <= 0.1 * 100000 / 26.0) AS letters_within_10pct
FROM (SELECT left(b, 1) AS c, count(*) AS n FROM dist GROUP BY 1) s;

-- c. Chars 3..16 (the reference's id.slice(2)): all 36 base-36 chars, each 14 * 100000/36 ± 10%.
SELECT count(*) = 36 AS all_chars, bool_and(c ~ '^[0-9a-z]$') AS only_base36,
       bool_and(abs(n - 1400000 / 36.0) <= 0.1 * 1400000 / 36.0) AS chars_within_10pct
FROM (SELECT substr(b, k, 1) AS c, count(*) AS n FROM dist, generate_series(3, 16) AS k GROUP BY 1) s;

-- d. The body after its letter as a base-36 fraction in [0, 1) (its first 6 chars, v / 36^6), in 20
-- buckets: each 100000/20 ± 10%.
SELECT count(*) = 20 AS all_buckets, bool_and(bucket BETWEEN 0 AND 19) AS buckets_in_range,
       bool_and(abs(n - 5000) <= 500) AS buckets_within_10pct
FROM (SELECT div(v * 20, 36 ^ 6::numeric) AS bucket, count(*) AS n
      FROM dist, LATERAL (SELECT sum((strpos('0123456789abcdefghijklmnopqrstuvwxyz', substr(b, 2 + i, 1)) - 1)
                                     * 36 ^ (5 - i)::numeric) AS v
                          FROM generate_series(0, 5) AS i) f
      GROUP BY 1) s;
