-- What each kind of C++ exception becomes in PostgreSQL, through guarded().
\set VERBOSITY default
SELECT guard_test_throw('none');
SELECT guard_test_destructors_run() AS destructors_before;

-- std::bad_alloc, thrown directly and by a refused allocation: out of memory (53200).
SELECT guard_test_throw('bad_alloc');
\echo :LAST_ERROR_SQLSTATE
SELECT guard_test_throw('huge_vector');
\echo :LAST_ERROR_SQLSTATE

-- idconv::Error for a caller's mistake: 22023 with its detail and hint.
SELECT guard_test_throw('caller');
\echo :LAST_ERROR_SQLSTATE

-- idconv::Error internal, any other std::exception, and a non-exception throw: XX000.
SELECT guard_test_throw('internal');
\echo :LAST_ERROR_SQLSTATE
SELECT guard_test_throw('runtime');
\echo :LAST_ERROR_SQLSTATE
SELECT guard_test_throw('int');
\echo :LAST_ERROR_SQLSTATE

-- Every throw above destroyed its C++ objects before the error was raised: 1 + 6 destructors.
SELECT guard_test_destructors_run() AS destructors_after;

-- The backend is still healthy, and the transaction machinery too.
BEGIN;
SAVEPOINT s;
SELECT guard_test_throw('bad_alloc');
ROLLBACK TO SAVEPOINT s;
SELECT guard_test_throw('none') AS after_rollback_to_savepoint;
COMMIT;
