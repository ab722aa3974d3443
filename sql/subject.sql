-- uuidv5, normalize_subject, sha1_subject_uuid, uuid_version, current_subject_id.
-- Expected UUIDs below were computed independently with Python's uuid and hashlib modules.

-- RFC 9562 vector: DNS namespace + www.example.com.
SELECT uuidv5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com') AS rfc_vector;

-- uuidv5 and sha1_subject_uuid against Python.
SELECT subject,
       uuidv5('9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a', subject) = v5 AS v5_matches,
       sha1_subject_uuid(subject) = bare AS bare_matches
FROM (VALUES
  ('335517149097361411', '0119f314-073c-5994-97d8-8033973455b7'::uuid, '89085f3d-0531-537a-96f6-e19eebd43770'::uuid),
  ('auth0|5f7c8ec7c33c6c004bbafe82', '9793a3c6-8948-5440-a51c-5207fd3b77ed', '0ac35b0f-e7cd-53e8-837f-033818c5b783'),
  ('ada@example.com', 'd4979b73-ac89-5e51-805a-fd2780d8e5bd', '3ca93ad8-7e0b-5737-a653-b66ad67731e8'),
  ('', 'b5e973b8-aacf-55dd-ac9c-9900ae4417f4', 'da39a3ee-5e6b-5b0d-b255-bfef95601890'),
  ('müller@exämple.de', 'a8ef128e-c498-5abb-a10c-7ce700a53fce', '4b6449e4-6015-534e-8a20-8f17ef6636a5'),
  ('user_2xQ8pZ3kLmN0vR7sT1uW4yB6cD9', 'bc46634a-199e-52b4-b900-f2041f17d7e3', 'cd988730-6823-5168-851c-e73fc387a427')
) v(subject, v5, bare);

-- uuid-ossp installs beside idconv in the same schema (no name is shared), and uuidv5 equals its
-- uuid_generate_v5 on 100k+ names: hex, Auth0-style, non-ASCII, numeric, repeated letters, the
-- empty name and 10 kB names, each under a random namespace and the standard ones.
CREATE EXTENSION "uuid-ossp";
CREATE TEMP TABLE names AS
SELECT CASE g % 5
         WHEN 0 THEN md5(g::text)
         WHEN 1 THEN 'auth0|' || g
         WHEN 2 THEN 'ünïcødé-' || g || '-山田太郎-😀'
         WHEN 3 THEN g::text
         ELSE repeat(chr(65 + g % 26), g % 300)
       END AS name
FROM generate_series(1, 100000) g
UNION ALL SELECT ''
UNION ALL SELECT repeat('x', 10240)
UNION ALL SELECT repeat('日本', 5000);
SELECT count(*) AS names,
       count(*) FILTER (WHERE uuidv5(ns, name) = uuid_generate_v5(ns, name)) AS equal_random_ns,
       count(*) FILTER (WHERE uuidv5(uuid_ns_dns(), name) = uuid_generate_v5(uuid_ns_dns(), name)) AS equal_dns,
       count(*) FILTER (WHERE uuidv5(uuid_ns_url(), name) = uuid_generate_v5(uuid_ns_url(), name)) AS equal_url,
       max(octet_length(name)) AS longest_bytes
FROM (SELECT gen_random_uuid() AS ns, name FROM names) s;
DROP TABLE names;

-- normalize_subject: UUIDs pass through, lower-cased and canonical; anything else is hashed,
-- bytes as given (no trimming, no case folding).
SELECT normalize_subject('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', uuid_ns_url()) AS upper_passes,
       normalize_subject('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', uuid_ns_url()) AS lower_passes,
       normalize_subject('00000000-0000-0000-0000-000000000000', uuid_ns_url()) AS nil_passes;
SELECT normalize_subject('a0eebc999c0b4ef8bb6d6bb9bd380a11', uuid_ns_url())
         = uuidv5(uuid_ns_url(), 'a0eebc999c0b4ef8bb6d6bb9bd380a11') AS unhyphenated_is_hashed,
       normalize_subject('{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', uuid_ns_url())
         = uuidv5(uuid_ns_url(), '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}') AS braced_is_hashed,
       normalize_subject(' 335517149097361411', uuid_ns_url())
         <> normalize_subject('335517149097361411', uuid_ns_url()) AS no_trimming,
       normalize_subject('Ada@Example.com', uuid_ns_url())
         <> normalize_subject('ada@example.com', uuid_ns_url()) AS no_case_folding,
       normalize_subject('335517149097361411', '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a') AS zitadel;
-- An empty subject names nobody.
SELECT normalize_subject('', uuid_ns_url());
\echo :LAST_ERROR_SQLSTATE
SELECT normalize_subject(NULL, uuid_ns_url()) IS NULL AS strict_subject,
       normalize_subject('x', NULL) IS NULL AS strict_namespace;

-- normalize_subject(text) reads idconv.subject_namespace: unset, then malformed, then set.
SELECT normalize_subject('335517149097361411');
\echo :LAST_ERROR_SQLSTATE
SET idconv.subject_namespace = '9b3a2c1e7d4f4e2a8b6c0f1e2d3c4b5a';
SELECT normalize_subject('335517149097361411');
\echo :LAST_ERROR_SQLSTATE
SET idconv.subject_namespace = '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a';
SELECT normalize_subject('335517149097361411') AS zitadel,
       normalize_subject('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11') AS uuid_passes;
SELECT normalize_subject('');
\echo :LAST_ERROR_SQLSTATE

-- uuid_version: the version of RFC 9562 UUIDs, NULL for other variants.
SELECT uuid_version('6ba7b810-9dad-11d1-80b4-00c04fd430c8') AS v1,
       uuid_version(gen_random_uuid()) AS v4,
       uuid_version(uuidv5(uuid_ns_dns(), 'x')) AS v5,
       uuid_version('017f22e2-79b0-7cc3-98c4-dc0c0c07398f') AS v7,
       uuid_version('00000000-0000-0000-0000-000000000000') AS nil,
       uuid_version('ffffffff-ffff-ffff-ffff-ffffffffffff') AS max,
       uuid_version('2ed6657d-e927-568b-c5e1-2665a8aea6a2') AS microsoft_variant,
       uuid_version(NULL) AS null_in;

-- current_subject_id(): no subject at all is NULL.
SELECT current_subject_id() IS NULL AS no_subject;
-- PostgREST's request.jwt.claims, set for the transaction.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411","role":"authenticated"}', true) IS NOT NULL AS claims_set;
SELECT current_subject_id() AS zitadel_subject, current_subject_id() = normalize_subject('335517149097361411') AS same;
COMMIT;
-- After the transaction PostgREST's setting is '' again: no subject.
SELECT current_setting('request.jwt.claims') AS after_commit, current_subject_id() IS NULL AS no_subject;
-- A UUID subject (Supabase) passes through; a sub of null or "" is no subject.
SELECT set_config('request.jwt.claims', '{"sub":"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"}', false) IS NOT NULL AS set;
SELECT current_subject_id() AS supabase_subject;
SELECT set_config('request.jwt.claims', '{"sub":null,"role":"anon"}', false) IS NOT NULL AS set;
SELECT current_subject_id() IS NULL AS null_sub;
SELECT set_config('request.jwt.claims', '{"sub":"","role":"anon"}', false) IS NOT NULL AS set;
SELECT current_subject_id() IS NULL AS empty_sub;
-- Escapes in the claims are decoded; only the top-level sub counts; the last duplicate wins.
SELECT set_config('request.jwt.claims', '{"app":{"sub":"nested"},"sub":"auth0|\u0041bc"}', false) IS NOT NULL AS set;
SELECT current_subject_id() = normalize_subject('auth0|Abc') AS escaped_sub;
SELECT set_config('request.jwt.claims', '{"sub":"first","sub":"second"}', false) IS NOT NULL AS set;
SELECT current_subject_id() = normalize_subject('second') AS last_wins;
-- Malformed claims are errors, not "no subject".
SELECT set_config('request.jwt.claims', '["sub","x"]', false) IS NOT NULL AS set;
SELECT current_subject_id();
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"sub":335517149097361411}', false) IS NOT NULL AS set;
SELECT current_subject_id();
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"sub":{"id":"x"}}', false) IS NOT NULL AS set;
SELECT current_subject_id();
\echo :LAST_ERROR_SQLSTATE
-- Claims without a sub fall back to the legacy request.jwt.claim.sub, then to the setting named
-- by idconv.subject_setting.
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', false) IS NOT NULL AS set;
SELECT set_config('request.jwt.claim.sub', 'auth0|legacy', false) IS NOT NULL AS set;
SELECT current_subject_id() = normalize_subject('auth0|legacy') AS legacy_claim;
SELECT set_config('request.jwt.claim.sub', '', false) IS NOT NULL AS set;
SET idconv.subject_setting = 'app.subject';
SELECT current_subject_id() IS NULL AS setting_named_but_unset;
SET app.subject = 'user_2xQ8pZ3kLmN0vR7sT1uW4yB6cD9';
SELECT current_subject_id() = normalize_subject('user_2xQ8pZ3kLmN0vR7sT1uW4yB6cD9') AS from_app_setting;
-- The JWT claim wins over both.
SELECT set_config('request.jwt.claims', '{"sub":"ada@example.com"}', false) IS NOT NULL AS set;
SELECT current_subject_id() = normalize_subject('ada@example.com') AS claim_wins;
-- A subject but no namespace is an error, even for a UUID subject: a misconfigured database
-- should fail on its first request, not on its first non-UUID subject.
RESET idconv.subject_namespace;
SELECT current_subject_id();
\echo :LAST_ERROR_SQLSTATE
RESET ALL;

DROP EXTENSION "uuid-ossp";
