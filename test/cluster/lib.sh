# Shared by the scripts in test/cluster/ (sourced, not run). Each script runs against the server
# that PGHOST, PGPORT, PGUSER... name (test/in-cluster runs them inside pg_virtualenv),
# and reports each of its tests with test/lib/report.sh (pass, fail, skip, check, expect, note):
# one line per test, "ok      NAME" or "FAILED  NAME", which test/in-cluster counts. A
# script exits non-zero when one of its tests failed (finish_script).

set -uo pipefail

cluster_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$cluster_dir/../lib/report.sh"

# q DB SQL...: run each SQL with psql, print the result rows unaligned (fields separated by |).
q() {
  local db=$1; shift
  local args=()
  local sql
  for sql in "$@"; do args+=(-c "$sql"); done
  PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "${args[@]}"
}

# regress_results LOG LABEL: one "ok      LABEL NAME" / "FAILED  LABEL NAME" line per test of a
# pg_regress log. PostgreSQL 15's pg_regress prints "test NAME ... ok"; 16 and later print TAP
# ("ok 1 - NAME", "not ok 2 - NAME", "+" for a test of a parallel group). Fails (status 1) when
# a test failed or none ran.
regress_results() {
  awk -v label="$2" '
    /^test .* \.\.\. / {
      name = $2
      if ($0 ~ /\.\.\. ok/) ok[++n] = name; else bad[++n] = name
      next
    }
    /^(not )?ok [0-9]+ +[-+] / {
      line = $0
      sub(/^(not )?ok [0-9]+ +[-+] +/, "", line)
      split(line, f, /[ \t]+/)
      if ($0 ~ /^ok /) ok[++n] = f[1]; else bad[++n] = f[1]
    }
    END {
      failed = 0
      for (i = 1; i <= n; i++) {
        if (i in ok) printf "ok      %s %s\n", label, ok[i]
        else { printf "FAILED  %s %s\n", label, bad[i]; failed++ }
      }
      exit (failed > 0 || n == 0)
    }' "$1"
}

# The setting that runs every query in a parallel worker: PostgreSQL 16 renamed force_parallel_mode
# to debug_parallel_query (same values, same behaviour) and kept no alias.
parallel_mode_setting() {
  if [ "$(q postgres "SHOW server_version_num")" -ge 160000 ]; then
    echo debug_parallel_query
  else
    echo force_parallel_mode
  fi
}

# recreate_db NAME [OPTIONS]: drop and create a database (OPTIONS: what follows CREATE DATABASE NAME).
recreate_db() {
  q postgres "DROP DATABASE IF EXISTS $1 WITH (FORCE)" "CREATE DATABASE $1 ${2:-}"
}
drop_db() {
  q postgres "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
}

# elapsed SECONDS_SINCE: "12.3 s" since a start taken with $(now).
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

finish_script() { finish; }

# wait_for SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds (status 0) or SECONDS have
# passed (status 1). Every wait of the cluster tests goes through it, so a slow machine only makes
# a wait longer, and the deadline, a failure path, is forced on purpose by the fork-safety test.
wait_for() {
  local tries=$(( $1 * 10 )); shift
  until "$@"; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || return 1
    sleep 0.1
  done
}
export -f wait_for
