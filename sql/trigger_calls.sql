-- The trigger functions refuse to be called other than as triggers. (Apart from the other tests,
-- because the portable edition's PL/pgSQL cannot: PostgreSQL refuses such a call first.)
SELECT stamp_subject();
\echo :LAST_ERROR_SQLSTATE
SELECT require_filled_at_commit();
\echo :LAST_ERROR_SQLSTATE
