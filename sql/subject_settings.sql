-- The subject settings as the extension defines them, and its own message for claims that are not
-- JSON. (Apart from subject, because the portable edition cannot do either: its settings are
-- plain custom settings, and it leaves the JSON error to PostgreSQL; see docs/hosted.md.)
-- Claims that are not JSON. (The first call also loads the library, which defines the settings.)
SELECT set_config('request.jwt.claims', '{"sub":"x"', false) IS NOT NULL AS set;
SELECT current_subject_id();
\echo :LAST_ERROR_SQLSTATE
RESET request.jwt.claims;
-- The settings are idconv's own: a misspelt one is refused rather than silently ignored.
SET idconv.subject_namespaces = 'x';
-- The settings are for superusers (or roles granted SET on them), like ALTER DATABASE ... SET.
CREATE ROLE regress_idconv_plain;
SET ROLE regress_idconv_plain;
SET idconv.owner_admin_role = 'regress_idconv_plain';
SET idconv.subject_namespace = '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a';
SET idconv.subject_setting = 'app.subject';
RESET ROLE;
DROP ROLE regress_idconv_plain;
