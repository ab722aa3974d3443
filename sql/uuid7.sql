-- uuid_generate_v7, uuid_v7_to_timestamptz, uuid_timestamptz_to_v7
SET timezone = 'UTC';

-- Version 7 of the RFC 9562 variant, every time.
SELECT count(*) AS ids, count(*) FILTER (WHERE uuid_version(id) = 7) AS version_7,
       count(*) FILTER (WHERE substr(id::text, 20, 1) IN ('8', '9', 'a', 'b')) AS rfc_variant,
       count(DISTINCT id) AS distinct_ids
FROM (SELECT uuid_generate_v7() AS id FROM generate_series(1, 10000)) s;

-- Each greater than the one before, in the order made (100,000 in one backend: far more than one
-- per 1/4096 ms).
CREATE TEMP TABLE made (n bigserial, id uuid);
INSERT INTO made (id) SELECT uuid_generate_v7() FROM generate_series(1, 100000);
SELECT count(*) AS pairs, count(*) FILTER (WHERE id < next_id) AS increasing
FROM (SELECT id, lead(id) OVER (ORDER BY n) AS next_id FROM made) s WHERE next_id IS NOT NULL;
DROP TABLE made;

-- The embedded time is now, to the millisecond.
SELECT date_trunc('milliseconds', t0) <= uuid_v7_to_timestamptz(id) AND uuid_v7_to_timestamptz(id) <= t1 AS time_is_now
FROM (SELECT clock_timestamp() AS t0, uuid_generate_v7() AS id, clock_timestamp() AS t1 OFFSET 0) s;

-- RFC 9562 appendix A.6.
SELECT uuid_v7_to_timestamptz('017f22e2-79b0-7cc3-98c4-dc0c0c07398f') AS rfc_example;
-- Not version 7, or not the RFC variant: NULL.
SELECT uuid_v7_to_timestamptz('017f22e2-79b0-4cc3-98c4-dc0c0c07398f') AS v4,
       uuid_v7_to_timestamptz('017f22e2-79b0-7cc3-18c4-dc0c0c07398f') AS ncs_variant,
       uuid_v7_to_timestamptz('00000000-0000-0000-0000-000000000000') AS nil,
       uuid_v7_to_timestamptz(NULL) AS null_arg;

-- A UUID for a time: milliseconds, then the fraction of the millisecond in 12 bits.
SELECT uuid_timestamptz_to_v7('2022-02-22 19:22:22 UTC', true) AS zero_bits,
       uuid_timestamptz_to_v7('2022-02-22 19:22:22.0005 UTC', true) AS half_ms,
       uuid_timestamptz_to_v7('2022-02-22 19:22:22.000999 UTC', zero => true) AS last_us,
       uuid_timestamptz_to_v7('1970-01-01 00:00:00 UTC', true) AS epoch,
       uuid_timestamptz_to_v7('10889-08-02 05:31:50.655999 UTC', true) AS last_ms;
-- Random bits below the time by default.
SELECT substr(a::text, 1, 19) = '017f22e2-79b0-7800-' AS same_time, uuid_version(a) AS version,
       substr(a::text, 20, 1) IN ('8', '9', 'a', 'b') AS rfc_variant, a <> b AS random_below
FROM (SELECT uuid_timestamptz_to_v7('2022-02-22 19:22:22.0005 UTC') AS a,
             uuid_timestamptz_to_v7('2022-02-22 19:22:22.0005 UTC') AS b) s;
-- Back to the millisecond.
SELECT bool_and(uuid_v7_to_timestamptz(uuid_timestamptz_to_v7(ts)) = date_trunc('milliseconds', ts)) AS round_trip
FROM (SELECT timestamptz '2026-12-01' + g * interval '997 microseconds 3 seconds' AS ts FROM generate_series(1, 10000) g) s;
SELECT uuid_timestamptz_to_v7(NULL) AS null_ts, uuid_timestamptz_to_v7(now(), NULL) AS null_zero;

-- Times a UUIDv7 cannot hold.
SELECT uuid_timestamptz_to_v7('1969-12-31 23:59:59.999999 UTC');
SELECT uuid_timestamptz_to_v7('10889-08-02 05:31:50.656 UTC');
SELECT uuid_timestamptz_to_v7('infinity');
SELECT uuid_timestamptz_to_v7('-infinity', true);
-- After the year 294247 a timestamptz's Unix time in µs overflows an int64: refused all the same.
SELECT uuid_timestamptz_to_v7('294248-01-01 00:00:00 UTC');
SELECT uuid_timestamptz_to_v7('294276-12-31 23:59:59.999999 UTC', true);

-- Range scans: the bound is computed once, so the primary key's index answers.
CREATE TEMP TABLE events (id uuid PRIMARY KEY, at timestamptz NOT NULL);
INSERT INTO events
SELECT uuid_timestamptz_to_v7(at), at
FROM (SELECT timestamptz '2026-11-01' + g * interval '1 minute' AS at FROM generate_series(0, 60 * 24 * 60) g) s;
ANALYZE events;
EXPLAIN (COSTS OFF) SELECT count(*) FROM events WHERE id >= uuid_timestamptz_to_v7('2026-12-01', true);
SELECT (SELECT count(*) FROM events WHERE id >= uuid_timestamptz_to_v7('2026-12-01', true)) AS by_id,
       (SELECT count(*) FROM events WHERE at >= '2026-12-01') AS by_time;
DROP TABLE events;

-- As a column default.
CREATE TEMP TABLE orders (id uuid PRIMARY KEY DEFAULT uuid_generate_v7(), n int);
INSERT INTO orders (n) SELECT g FROM generate_series(1, 1000) g;
SELECT count(*) FILTER (WHERE uuid_version(id) = 7) AS v7,
       (SELECT array_agg(n ORDER BY id) FROM orders) = (SELECT array_agg(n ORDER BY n) FROM orders) AS id_order_is_insert_order
FROM orders;
DROP TABLE orders;
