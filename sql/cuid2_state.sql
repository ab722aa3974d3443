-- cuid2_generator_state(): the extension's per-backend generator. (Apart from cuid2, because the
-- portable edition keeps no generator between calls.)
-- This backend's generator: made for this pid, its counter started at random below 476782367
-- and goes up by one per id, and its fingerprint is 32 base-36 characters.
SELECT * FROM cuid2_generator_state() \gset before_
SELECT count(generate_cuid2()) AS made FROM generate_series(1, 1000);
SELECT s.pid = pg_backend_pid() AS own_pid,
       s.counter_start = :before_counter_start AS same_start,
       s.counter_start >= 0 AND s.counter_start < 476782367 AS start_in_range,
       s.counter_next - :before_counter_next AS advanced,
       s.fingerprint ~ '^[0-9a-z]{32}$' AS fingerprint_shape,
       s.fingerprint = :'before_fingerprint' AS same_fingerprint
FROM cuid2_generator_state() s;
-- Only superusers, and whom they grant it to, read it.
CREATE ROLE regress_idconv_state_reader NOLOGIN;
SET ROLE regress_idconv_state_reader;
SELECT * FROM cuid2_generator_state();
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
DROP ROLE regress_idconv_state_reader;
