# The reporting of every idconv shell test suite (sourced, not run). One protocol, one line per test:
#
#   ok      NAME      the test passed
#   FAILED  NAME      the test failed
#   skipped NAME      the test cannot run here (a missing source, an unsupported major): counted
#                     apart, not a failure
#
# and indented lines ("   text", note) that are information, not tests. scripts/test and
# test/matrix/run count a suite's tests by these prefixes, so a suite prints nothing else that
# starts with them. A suite ends with `finish` (exit status 0 when nothing failed); the one that
# counts everything ends with `summary` ("N passed, N failed", ", N skipped" when one was).
#
# report_prefix, set before or after sourcing, goes before every NAME this file prints.

passed=0
failed=0
skipped=0
report_prefix=${report_prefix:-}

pass() { passed=$((passed + 1)); echo "ok      $report_prefix$1"; }
fail() { failed=$((failed + 1)); echo "FAILED  $report_prefix$1"; }
skip() { skipped=$((skipped + 1)); echo "skipped $report_prefix$1"; }
# note TEXT: an indented information line (not a test).
note() { echo "   $*"; }

# check NAME COMMAND...: one test that passes when COMMAND succeeds.
check() {
  local name=$1; shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

# expect NAME EXPECTED ACTUAL: one test that passes when the two strings are equal.
expect() {
  if [ "$2" = "$3" ]; then
    pass "$1"
  else
    note "expected: $2"
    note "actual:   $3"
    fail "$1"
  fi
}

# count_lines FILE: adds FILE's ok/FAILED/skipped lines (another suite's output) to the counts; sets
# counted_ok, counted_bad and counted_skipped to the numbers it found.
count_lines() {
  counted_ok=$(grep -c '^ok      ' "$1")
  counted_bad=$(grep -c '^FAILED  ' "$1")
  counted_skipped=$(grep -c '^skipped ' "$1")
  passed=$((passed + counted_ok))
  failed=$((failed + counted_bad))
  skipped=$((skipped + counted_skipped))
}

# count_pg_regress LOG: adds the tests of a pg_regress log in PostgreSQL 15's form ("test NAME ...
# ok" or "... FAILED") to the counts; sets counted_ok and counted_bad.
count_pg_regress() {
  counted_ok=$(grep -cE '^test .*\.\.\. ok' "$1")
  counted_bad=$(grep -cE '^test .*\.\.\. (FAILED|failed)' "$1")
  passed=$((passed + counted_ok))
  failed=$((failed + counted_bad))
}

# count_tap LOG NAME: adds the tests of node's test runner (its TAP summary, "# pass N" and "# fail
# N") to the counts; a log without the summary is one failure. Prints the log when a test failed.
# Sets counted_ok and counted_bad.
count_tap() {
  counted_ok=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$1")
  counted_bad=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$1")
  if [ -z "$counted_ok" ] || [ -z "$counted_bad" ]; then
    cat "$1"
    fail "$2: the node test runner printed no summary"
    return 1
  fi
  passed=$((passed + counted_ok))
  failed=$((failed + counted_bad))
  if [ "$counted_bad" -ne 0 ]; then cat "$1"; return 1; fi
}

# counted NAME COMMAND...: runs a suite that reports with these lines, shows its output and counts
# its tests. A suite that exits non-zero without a FAILED line, or reports no test at all, is one
# failure more (it broke before its tests could say so). Prints the suite's numbers and time.
counted() {
  local name=$1; shift
  local out status start=$SECONDS
  out=$(mktemp)
  "$@" 2>&1 | tee "$out"
  status=${PIPESTATUS[0]}
  count_lines "$out"
  rm -f "$out"
  if [ "$counted_bad" -eq 0 ] && { [ "$status" -ne 0 ] || [ $((counted_ok + counted_skipped)) -eq 0 ]; }; then
    fail "$name: exited with status $status after $counted_ok passed tests"
  fi
  note "$name: $counted_ok passed, $counted_bad failed$([ "$counted_skipped" -eq 0 ] || echo ", $counted_skipped skipped"), $((SECONDS - start)) s"
}

# summary: the last line of a run that counts everything.
summary() {
  if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
}

# finish: exits, with status 0 when no test failed. The status is given to exit, so that an EXIT
# trap of the suite (a cleanup that failed) cannot change it.
finish() {
  if [ "$failed" -eq 0 ]; then exit 0; fi
  exit 1
}
