# Sourced by test/citus/checks.sh when CITUS_BENCH=FILE: 1M rows through the coordinator into a
# distributed table with a prefixed id and into the same table with a uuid, by COPY (ids made on
# the coordinator) and by INSERT … SELECT from a distributed table (ids made on the workers).
# Rounds alternate the order of the two tables; the file gets the medians and their ratios.
bn=${CITUS_BENCH_ROWS:-1000000}
rounds=${CITUS_BENCH_ROUNDS:-3}
q "CREATE TABLE b_pfx (id text PRIMARY KEY DEFAULT generate_prefixed_id('usr') CHECK (is_prefixed_id(id, 'usr')),
                       k bigint NOT NULL, payload text NOT NULL)" \
  "SELECT create_distributed_table('b_pfx', 'id')" \
  "CREATE TABLE b_uuid (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), k bigint NOT NULL, payload text NOT NULL)" \
  "SELECT create_distributed_table('b_uuid', 'id')" \
  "CREATE TABLE b_src (k bigint PRIMARY KEY)" "SELECT create_distributed_table('b_src', 'k')" \
  "INSERT INTO b_src SELECT generate_series(1, $bn)" >/dev/null || fail "bench tables"
seq 1 "$bn" | awk '{ print $1 "\tpayload " $1 }' >"$work/bench.tsv"
chmod 644 "$work/bench.tsv"
plan_pfx=$(q "EXPLAIN (COSTS OFF) INSERT INTO b_pfx (k, payload) SELECT k, 'payload ' || k FROM b_src" | grep -o 'INSERT/SELECT method: .*')
plan_uuid=$(q "EXPLAIN (COSTS OFF) INSERT INTO b_uuid (k, payload) SELECT k, 'payload ' || k FROM b_src" | grep -o 'INSERT/SELECT method: .*')
timed() {  # timed SQL: seconds
  local s e
  q "CHECKPOINT" >/dev/null
  s=$(date +%s.%N)
  q "$1" >/dev/null || { fail "bench: $1"; echo NaN; return; }
  e=$(date +%s.%N)
  awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f", b - a }'
}
declare -A times
for r in $(seq 1 "$rounds"); do
  order=(b_pfx b_uuid)
  [ $((r % 2)) -eq 0 ] && order=(b_uuid b_pfx)
  for t in "${order[@]}"; do
    q "TRUNCATE $t" >/dev/null
    times[$t.copy]+="$(timed "COPY $t (k, payload) FROM '$work/bench.tsv'") "
    q "TRUNCATE $t" >/dev/null
    times[$t.select]+="$(timed "INSERT INTO $t (k, payload) SELECT k, 'payload ' || k FROM b_src") "
  done
  note "bench round $r: copy pfx/uuid ${times[b_pfx.copy]}/ ${times[b_uuid.copy]}; select ${times[b_pfx.select]}/ ${times[b_uuid.select]}"
done
expect "bench: the last INSERT … SELECT wrote $bn valid distinct prefixed ids" "$bn|$bn" \
  "$(q "SELECT count(*), count(DISTINCT id) FROM b_pfx WHERE is_prefixed_id(id, 'usr')")"
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
m_pc=$(echo "${times[b_pfx.copy]}" | median); m_uc=$(echo "${times[b_uuid.copy]}" | median)
m_ps=$(echo "${times[b_pfx.select]}" | median); m_us=$(echo "${times[b_uuid.select]}" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "# idconv on Citus: 1M-row inserts, prefixed id vs uuid"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc)-core $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), shared with other work;"
  echo "PostgreSQL $(q "SHOW server_version" | cut -d' ' -f1), Citus $(q "SELECT extversion FROM pg_extension WHERE extname = 'citus'"),"
  echo "idconv $(q "SELECT extversion FROM pg_extension WHERE extname = 'idconv'"). A coordinator and two workers on one machine"
  echo "(loopback, fsync off), 8 shards, every table hash-distributed by its id."
  echo "Command: \`CITUS_SRC=…/citus-14.0.1.tar.gz CITUS_BENCH=FILE test/citus/run $major\`"
  echo "(test/citus/bench.sh); $rounds rounds, the two tables' order alternating; the median of each."
  echo
  echo "| $bn rows | \`text DEFAULT generate_prefixed_id('usr')\` + CHECK | \`uuid DEFAULT gen_random_uuid()\` | ratio |"
  echo "|---|---|---|---|"
  echo "| \`COPY\` through the coordinator (ids made there) | $m_pc s | $m_uc s | $(ratio "$m_pc" "$m_uc") |"
  echo "| \`INSERT … SELECT\` from a distributed table (ids made on the workers) | $m_ps s | $m_us s | $(ratio "$m_ps" "$m_us") |"
  echo
  echo "Every round (s): COPY prefixed ${times[b_pfx.copy]}, uuid ${times[b_uuid.copy]};"
  echo "INSERT … SELECT prefixed ${times[b_pfx.select]}, uuid ${times[b_uuid.select]}."
  echo "Plans: prefixed \`$plan_pfx\`; uuid \`$plan_uuid\`."
} >"$CITUS_BENCH"
note "bench: COPY ratio $(ratio "$m_pc" "$m_uc") ($m_pc s / $m_uc s), INSERT … SELECT ratio $(ratio "$m_ps" "$m_us") ($m_ps s / $m_us s) -> $CITUS_BENCH"
