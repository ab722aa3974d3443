-- generate_prefixed_id, is_valid_prefix, is_prefixed_id, prefixed_id_prefix, prefixed_id_body.

-- Shape: prefix, "_", a 16-char CUID2 body by default.
SELECT id ~ '^usr_[a-z][0-9a-z]{15}$' AS shaped, length(id) AS len,
       is_prefixed_id(id, 'usr') AS valid, prefixed_id_prefix(id) AS prefix,
       length(prefixed_id_body(id)) AS body_len
FROM (SELECT generate_prefixed_id('usr') AS id) s;

-- Every body length from 2 to 32, and the longest prefix (63 chars).
SELECT count(*) AS lengths_ok
FROM generate_series(2, 32) AS len
WHERE is_prefixed_id(generate_prefixed_id(repeat('p', 63), len), repeat('p', 63), len);
SELECT generate_prefixed_id('user_account', 20) ~ '^user_account_[a-z][0-9a-z]{19}$' AS underscores_in_prefix;

-- 100k ids: distinct and valid.
SELECT count(*) AS total, count(DISTINCT id) AS distinct_ids, bool_and(is_prefixed_id(id, 'org')) AS all_valid
FROM (SELECT generate_prefixed_id('org') AS id FROM generate_series(1, 100000)) s;

-- Errors show the value and the rule.
SELECT generate_prefixed_id('USR');
\echo :LAST_ERROR_SQLSTATE
SELECT generate_prefixed_id('');
\echo :LAST_ERROR_SQLSTATE
SELECT generate_prefixed_id('_usr');
\echo :LAST_ERROR_SQLSTATE
SELECT generate_prefixed_id('usr_');
\echo :LAST_ERROR_SQLSTATE
SELECT generate_prefixed_id('us3r');
\echo :LAST_ERROR_SQLSTATE
SELECT generate_prefixed_id(repeat('a', 64));
\echo :LAST_ERROR_SQLSTATE
SELECT generate_prefixed_id(repeat('x', 200));
\echo :LAST_ERROR_SQLSTATE
SELECT generate_prefixed_id('usr', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT generate_prefixed_id('usr', 33);
\echo :LAST_ERROR_SQLSTATE
SELECT generate_prefixed_id('usr', NULL) IS NULL AS null_len, generate_prefixed_id(NULL) IS NULL AS null_prefix;

-- is_valid_prefix: the TypeID grammar.
SELECT p, is_valid_prefix(p) AS valid
FROM (VALUES ('a'), ('usr'), ('user_account'), ('a__b'), (repeat('a', 63)), (repeat('a', 64)),
             (''), ('_'), ('__'), ('_usr'), ('usr_'), ('USR'), ('uSr'), ('usr1'), ('1usr'),
             ('us-r'), ('us r'), ('usé')) v(p);
SELECT is_valid_prefix(repeat('a', 1048576)) AS one_mb, is_valid_prefix(E'us\nr') AS newline,
       is_valid_prefix(chr(7) || 'usr') AS control, is_valid_prefix('日本') AS cjk;

-- is_prefixed_id: split at the last "_".
SELECT id, is_prefixed_id(id) AS any_prefix, is_prefixed_id(id, 'usr') AS usr,
       prefixed_id_prefix(id) AS prefix, prefixed_id_body(id) AS body
FROM (VALUES ('usr_ght4k2jxm7pqbv01'), ('org_ght4k2jxm7pqbv01'), ('user_account_ght4k2jxm7pqbv01'),
             ('u-dev-001'), ('u000'), ('USR_ght4k2jxm7pqbv01'), ('usr_ght4k2jxm7pqbv0'),
             ('usr_ght4k2jxm7pqbv012'), ('usr__ght4k2jxm7pqbv01'), ('usr_Ght4k2jxm7pqbv01'),
             ('usr_'), ('_ght4k2jxm7pqbv01'), ('usr'), ('')) v(id);
SELECT is_prefixed_id('usr_ght4k2jxm7pqbv012', 'usr', 17) AS body_17,
       is_prefixed_id('usr_ab', 'usr', 2) AS body_2,
       is_prefixed_id('usr_ght4k2jxm7pqbv01', 'USR') AS bad_expected_prefix,
       is_prefixed_id('usr_ght4k2jxm7pqbv01', 'usr', -5) AS negative_length,
       is_prefixed_id('usr_ght4k2jxm7pqbv01', '') AS empty_expected_prefix;

-- NULLs: no id or no length gives NULL (a CHECK passes NULL, as for any CHECK); NULL prefix = any.
SELECT is_prefixed_id(NULL) IS NULL AS null_id, is_prefixed_id('usr_ght4k2jxm7pqbv01', 'usr', NULL) IS NULL AS null_len,
       is_prefixed_id('usr_ght4k2jxm7pqbv01', NULL) AS null_prefix_any,
       prefixed_id_prefix(NULL) IS NULL AS null_parts;

-- Validators and parts never raise.
SELECT is_prefixed_id(repeat('a', 1048576)) AS one_mb,
       is_prefixed_id('usr_' || repeat('a', 1048576), 'usr', 1048576) AS one_mb_body,
       is_prefixed_id(E'usr_ght4k2jxm7pqbv0\n') AS newline,
       is_prefixed_id('usr_ght4k2jxm7pqbv0é') AS non_ascii,
       prefixed_id_body(repeat('_', 100000)) IS NULL AS underscores,
       prefixed_id_prefix('日本_ght4k2jxm7pqbv01') IS NULL AS cjk_prefix;

-- Generated ids round-trip through the parts.
SELECT bool_and(prefixed_id_prefix(id) || '_' || prefixed_id_body(id) = id) AS round_trip
FROM (SELECT generate_prefixed_id('inv', 24) AS id FROM generate_series(1, 1000)) s;
