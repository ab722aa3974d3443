-- Cost of slugify and the validators on 1 MB and 10 MB strings of each big shape of the corpus.
-- Per function and shape, the time of one call (time on the CPU: wall time less the time this
-- backend waited for a CPU, see waited_us) is the minimum over 3 runs of a loop of calls
-- (enough calls that a 1 MB loop takes 2 ms or more), the 1 MB and 10 MB runs alternating; a
-- ratio over :remeasure_above (12 unless set) is measured again with 10 more runs before it counts.
-- The 1 MB loop cycles through the ten 1 MB slices of the 10 MB string, so both loops read 10 MB of
-- memory and the caches favour neither. The strings are plain in memory (not compressed, not
-- toasted), so the time is the function's own. One row per function and shape:
--   function | shape | microseconds per call at 1 MB | at 10 MB | ratio | measured again
-- Run by test/cluster/hostile, once as it is and once with `-v remeasure_above=0 -v functions='f1;f2'`, which
-- sends the named functions through the re-measurement every time: that path otherwise runs only
-- when the CPU is shared, and must not be left to chance.
\set ON_ERROR_STOP 1
\if :{?remeasure_above}
\else
  \set remeasure_above 12
\endif
\if :{?functions}
\else
  \set functions ''
\endif
SET client_min_messages = warning;
-- Its own schema, made anew, so that it can run more than once on one corpus.
DROP SCHEMA IF EXISTS hl CASCADE;
CREATE SCHEMA hl;
SET search_path = hl, h, public;
-- For the DO block below, which psql does not interpolate into.
SELECT set_config('h.remeasure_above', :'remeasure_above', false) IS NULL AS unset,
       set_config('h.functions', :'functions', false) IS NULL AS unset \g /dev/null

CREATE TABLE timed (ord int, fn text, expr text);  -- expr: the call, @ the string
INSERT INTO timed VALUES
  (1, 'slugify(s)', 'slugify(@)'),
  (2, 'is_cuid2(s)', 'is_cuid2(@)'),
  (3, 'is_cuid2(s, 0, 2147483647)', 'is_cuid2(@, 0, 2147483647)'),
  (4, 'is_valid_prefix(s)', 'is_valid_prefix(@)'),
  (5, 'is_prefixed_id(s)', 'is_prefixed_id(@)'),
  (6, 'is_prefixed_id(s, s)', 'is_prefixed_id(@, @)'),
  (7, 'prefixed_id_prefix(s)', 'prefixed_id_prefix(@)'),
  (8, 'prefixed_id_body(s)', 'prefixed_id_body(@)'),
  (9, 'is_slug(s)', 'is_slug(@)'),
  (10, 'id_kind(s)', 'id_kind(@)'),
  (11, 'is_typeid(s)', 'is_typeid(@)'),
  (12, 'is_typeid(s, s)', 'is_typeid(@, @)'),
  (13, 'typeid_prefix(s)', 'typeid_prefix(@)');

-- Microseconds this backend has waited for a CPU since it started: the second field of
-- /proc/self/schedstat (run_delay, in ns). The kernel adds each wait when the process gets the CPU
-- back, so while the process runs the figure is complete. Wall time less this is time on the CPU:
-- on a shared CPU a 100 ms loop is preempted many times and a 3 ms loop seldom, and wall time
-- alone (used until 0.3.0) measured linear work at 35x on a machine with ten busy processes.
-- Where the kernel keeps no schedstats the file reads "0 0 0" and the time is the wall time.
CREATE FUNCTION waited_us() RETURNS float8 LANGUAGE sql
RETURN split_part(pg_read_file('/proc/self/schedstat'), ' ', 2)::float8 / 1000;

DO $do$
DECLARE f record;
BEGIN
  FOR f IN SELECT * FROM hl.timed LOOP
    -- n calls of the function on v; microseconds on the CPU per call.
    EXECUTE format($f$
      CREATE FUNCTION hl.per_call_%s(vs text[], n int) RETURNS float8 LANGUAGE plpgsql
      SET search_path = hl, h, public AS $b$
      DECLARE
        t0 timestamptz;
        w0 float8;
        w1 float8;
        t1 timestamptz;
        r text;
        m int := cardinality(vs);
      BEGIN
        -- The waits are read inside the wall-clock interval, so a wait between two readings can
        -- only be left in the time, never taken out twice: the error only adds time, and the
        -- minimum over runs removes it.
        t0 := clock_timestamp();
        w0 := hl.waited_us();
        FOR k IN 1..n LOOP
          r := (%s)::text;
        END LOOP;
        w1 := hl.waited_us();
        t1 := clock_timestamp();
        RETURN (extract(epoch FROM t1 - t0) * 1e6 - (w1 - w0)) / n;
      END $b$$f$, f.ord, replace(f.expr, '@', 'vs[1 + k % m]'));
  END LOOP;
END $do$;

-- The fastest of `runs` loops of n calls on the 1 MB slices and on the 10 MB string, the two
-- alternating so that both see the same moments of a shared CPU.
CREATE FUNCTION min_per_call(ord int, s1 text[], s10 text[], n int, runs int, OUT t1 float8, OUT t10 float8)
LANGUAGE plpgsql AS $$
DECLARE
  t float8;
BEGIN
  FOR k IN 1..runs LOOP
    EXECUTE format('SELECT hl.per_call_%s($1, $2)', ord) INTO t USING s1, n;
    t1 := least(t1, t);
    CONTINUE WHEN s10 IS NULL;
    EXECUTE format('SELECT hl.per_call_%s($1, $2)', ord) INTO t USING s10, n;
    t10 := least(t10, t);
  END LOOP;
END $$;

CREATE TABLE cost (fn text, shape text, us_1mb float8, us_10mb float8, remeasured boolean);
DO $do$
DECLARE
  remeasure_above float8 := current_setting('h.remeasure_above')::float8;
  functions text := current_setting('h.functions');
  b record;
  f record;
  s10 text[];
  s1 text[];
  n int;
  t1 float8;
  t10 float8;
  again_1 float8;
  again_10 float8;
BEGIN
  FOR b IN SELECT kind, s FROM h.corpus WHERE kind LIKE 'big:%' ORDER BY i LOOP
    s10 := ARRAY[b.s || ''];                -- a plain copy: not toasted, not compressed
    s1 := ARRAY(SELECT substr(b.s, 1 + j * 1048576, 1048576) FROM generate_series(0, 9) j);
    FOR f IN SELECT * FROM hl.timed WHERE functions = '' OR fn = ANY (string_to_array(functions, ';')) ORDER BY ord LOOP
      -- Calls per loop: enough for 2 ms at 1 MB (the first loop also compiles the function).
      n := 1;
      WHILE n < 100000 AND (hl.min_per_call(f.ord, s1, NULL, n, 1)).t1 * n < 2000 LOOP
        n := n * 4;
      END LOOP;
      SELECT * INTO t1, t10 FROM hl.min_per_call(f.ord, s1, s10, n, 3);
      IF t10 > remeasure_above * t1 THEN
        -- Over the limit: measure again, with more runs, before it counts (the CPU is shared).
        SELECT m.t1, m.t10 INTO again_1, again_10 FROM hl.min_per_call(f.ord, s1, s10, n, 10) m;
        INSERT INTO hl.cost VALUES (f.fn, substr(b.kind, 5), least(t1, again_1), least(t10, again_10), true);
      ELSE
        INSERT INTO hl.cost VALUES (f.fn, substr(b.kind, 5), t1, t10, false);
      END IF;
    END LOOP;
  END LOOP;
END $do$;

SELECT fn, shape, round(us_1mb::numeric, 3), round(us_10mb::numeric, 3), round((us_10mb / us_1mb)::numeric, 2),
       remeasured
FROM cost ORDER BY fn, shape;
