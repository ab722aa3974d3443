\echo Use "CREATE EXTENSION idconv_guard_test" to load this file. \quit

CREATE FUNCTION guard_test_throw(kind text) RETURNS text
AS 'MODULE_PATHNAME', 'guard_test_throw' LANGUAGE C STRICT;

CREATE FUNCTION guard_test_destructors_run() RETURNS int
AS 'MODULE_PATHNAME', 'guard_test_destructors_run' LANGUAGE C STRICT;
