# Sourced by test/citus/run once the three servers are up: q (coordinator), qn NODE, qerr, pass,
# fail, note, expect, $work, ${port[...]} and $rows come from there.

node_of() {  # node_of PORT: coord, w1 or w2
  local n
  for n in "${nodes[@]}"; do [ "${port[$n]}" = "$1" ] && { echo "$n"; return; }; done
  echo "?$1"
}

# ---- the cluster ------------------------------------------------------------------------------
for n in "${nodes[@]}"; do
  qn "$n" "CREATE EXTENSION citus" || { fail "CREATE EXTENSION citus on $n"; exit 1; }
done
q "SELECT citus_set_coordinator_host('127.0.0.1', $cport)" \
  "SELECT citus_add_node('127.0.0.1', ${port[w1]})" "SELECT citus_add_node('127.0.0.1', ${port[w2]})" \
  "ALTER DATABASE postgres SET citus.shard_count = 8" >/dev/null || { fail "add the workers"; exit 1; }
expect "three nodes in pg_dist_node, Citus $(q "SELECT extversion FROM pg_extension WHERE extname = 'citus'")" \
  "3" "$(q "SELECT count(*) FROM pg_dist_node WHERE isactive")"

# CREATE EXTENSION on the coordinator creates it on the workers too (the package must be there).
version=$(sed -n "s/^default_version = '\(.*\)'$/\1/p" "$here/../../idconv.control")
q "CREATE EXTENSION idconv" || { fail "CREATE EXTENSION idconv"; exit 1; }
expect "CREATE EXTENSION idconv on the coordinator creates it on both workers" \
  "$version,$version" \
  "$(q "SELECT string_agg(result, ',' ORDER BY nodeport) FROM run_command_on_workers(\$\$SELECT extversion FROM pg_extension WHERE extname = 'idconv'\$\$)")"

# Where an id is made: the node's port, the backend's pid and the start of its CUID2 fingerprint.
q "CREATE FUNCTION made_where() RETURNS text LANGUAGE sql VOLATILE AS
   \$\$ SELECT current_setting('port') || ':' || s.pid || ':' || left(s.fingerprint, 12) FROM cuid2_generator_state() s \$\$" >/dev/null

# ---- 1. ids made on the coordinator and on the workers ----------------------------------------
n_select=$((rows / 2))
n_copy=$((rows * 2 / 5))
n_values=$((rows - n_select - n_copy))
q "CREATE TABLE src (k bigint PRIMARY KEY)" "SELECT create_distributed_table('src', 'k')" \
  "INSERT INTO src SELECT generate_series(1, $n_select)" \
  "CREATE TABLE accounts (
       id   text PRIMARY KEY DEFAULT generate_prefixed_id('usr') CHECK (is_prefixed_id(id, 'usr')),
       k    bigint NOT NULL,
       how  text NOT NULL,
       made text NOT NULL DEFAULT made_where())" \
  "SELECT create_distributed_table('accounts', 'id')" >/dev/null || fail "create the distributed tables"

t0=$(date +%s.%N)
# COPY through the coordinator
seq 1 "$n_copy" | awk '{ print $1 "\tcopy" }' |
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$cport" -U postgres -c "COPY accounts (k, how) FROM STDIN" ||
  fail "COPY $n_copy rows"
# multi-row INSERT … VALUES (1000 rows a statement) and 100 single-row ones
{
  awk -v n="$((n_values - 100))" 'BEGIN {
    for (i = 1; i <= n; i += 1000) {
      s = "INSERT INTO accounts (k, how) VALUES "
      for (j = i; j < i + 1000 && j <= n; j++) s = s (j > i ? "," : "") "(" j ",'\''values'\'')"
      print s ";"
    } }'
  for i in $(seq 1 100); do echo "INSERT INTO accounts (k, how) VALUES ($i, 'value');"; done
} | psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$cport" -U postgres >/dev/null || fail "INSERT … VALUES $n_values rows"
plan=$(q "EXPLAIN (COSTS OFF) INSERT INTO accounts (k, how) SELECT k, 'select' FROM src" | grep -o 'INSERT/SELECT method: .*')
q "INSERT INTO accounts (k, how) SELECT k, 'select' FROM src" || fail "INSERT … SELECT $n_select rows"
note "$rows rows written in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s; INSERT … SELECT plan: $plan"

expect "$rows ids (COPY $n_copy, INSERT … VALUES $n_values, INSERT … SELECT $n_select): all valid usr_ ids, all distinct" \
  "$rows|$rows|0" \
  "$(q "SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE NOT is_prefixed_id(id, 'usr')) FROM accounts")"
where=$(q "SELECT how, split_part(made, ':', 1), count(*), count(DISTINCT split_part(made, ':', 2))
           FROM accounts GROUP BY 1, 2 ORDER BY 1, 2")
summary=""
while IFS='|' read -r how p c b; do
  note "$(printf '%-7s made on %-5s (:%s) %8d rows by %d backend(s)' "$how" "$(node_of "$p")" "$p" "$c" "$b")"
  summary+="$how@$(node_of "$p")"$'\n'
done <<<"$where"
expect "COPY and INSERT … VALUES make their ids on the coordinator, INSERT … SELECT on both workers" \
  "copy@coord select@w1 select@w2 value@coord values@coord" "$(echo "$summary" | grep . | sort | paste -sd' ')"
expect "every (node, backend) that made ids has its own fingerprint" \
  "t" "$(q "SELECT count(DISTINCT split_part(made, ':', 1) || ':' || split_part(made, ':', 2)) = count(DISTINCT split_part(made, ':', 3)) FROM accounts")"
expect "all 8 shards hold ids of each of COPY, VALUES and SELECT" \
  "8|8" "$(q "SELECT count(*), count(*) FILTER (WHERE result::int = 4) FROM run_command_on_shards('accounts', \$\$SELECT count(DISTINCT how) FROM %s\$\$)")"

# ---- 2. the registry ---------------------------------------------------------------------------
# register_prefix writes the coordinator's id_prefixes only: an INSERT … SELECT run on the workers
# does not find the entity there.
err=$(qerr coord "SELECT register_prefix('order', 'ord')" \
  "CREATE TABLE orders (id text PRIMARY KEY DEFAULT generate_id_for('order'), k bigint)" \
  "SELECT create_distributed_table('orders', 'id')" \
  "INSERT INTO orders (k) VALUES (1), (2)" \
  "INSERT INTO orders (k) SELECT k FROM src WHERE k <= 100")
note "register_prefix on the coordinator alone, INSERT … SELECT: $(echo "$err" | grep -m1 ERROR)"
case $err in
  *'unknown entity "order"'*) pass "register_prefix on the coordinator alone: an INSERT … SELECT run on a worker fails with unknown entity" ;;
  *) fail "register_prefix on the coordinator alone: an INSERT … SELECT run on a worker fails with unknown entity" ;;
esac
expect "… while INSERT … VALUES through the coordinator used it" \
  "2" "$(q "SELECT count(*) FROM orders WHERE id LIKE 'ord\_%'")"
q "DROP TABLE orders" >/dev/null

# The shipped setup: distribute_registry() makes id_prefix_registry, a reference table (a copy on
# every node, the coordinator included) whose trigger, on each copy, mirrors each change into that
# node's id_prefixes in the same distributed transaction; register_prefix then writes it. The
# coordinator's registry ('order', registered above) becomes every node's.
registries() {
  q "SELECT string_agg(result, ' / ' ORDER BY nodeid) FROM run_command_on_all_nodes(
       \$\$SELECT string_agg(entity || '=' || prefix, ',' ORDER BY entity) FROM id_prefixes\$\$)"
}
# With citus.enable_unsafe_triggers off in the calling session (the servers have it on): the
# function turns it on for its own trigger.
made=$(q "SET citus.enable_unsafe_triggers = off" "SELECT distribute_registry()") ||
  fail "SELECT distribute_registry() on the coordinator, citus.enable_unsafe_triggers off in the session"
expect "distribute_registry() on the coordinator made ${made:-nothing}, a reference table with a placement on each of the 3 nodes" \
  "3" "$(q "SELECT count(*) FROM citus_shards WHERE table_name = 'id_prefix_registry'::regclass")"
expect "distribute_registry() copies the coordinator's registry to every node" \
  "order=ord / order=ord / order=ord" "$(registries)"
q "SELECT register_prefix('ticket', 'tkt', 'support tickets')" >/dev/null || fail "register_prefix('ticket', 'tkt') on the coordinator"
expect "register_prefix on the coordinator reaches id_prefixes on every node" \
  "order=ord,ticket=tkt / order=ord,ticket=tkt / order=ord,ticket=tkt" "$(registries)"
err=$(qerr coord '\set VERBOSITY verbose' "SELECT distribute_registry()")
note "distribute_registry() again: $(echo "$err" | grep -m1 ERROR)"
expect "distribute_registry() a second time: 42P07, every node's registry as it was" \
  "1|order=ord,ticket=tkt / order=ord,ticket=tkt / order=ord,ticket=tkt" \
  "$(grep -c 'ERROR:  42P07: relation "id_prefix_registry" already exists' <<<"$err")|$(registries)"
q "CREATE TABLE tickets (
       id    text PRIMARY KEY DEFAULT generate_id_for('ticket'),
       k     bigint NOT NULL,
       batch int NOT NULL,
       made  text NOT NULL DEFAULT made_where())" \
  "SELECT create_distributed_table('tickets', 'id')" \
  "INSERT INTO tickets (k, batch) SELECT k, 0 FROM src WHERE k <= 2000" \
  "INSERT INTO tickets (k, batch) VALUES (1, 0), (2, 0)" >/dev/null || fail "tickets"
expect "generate_id_for('ticket') gives tkt_ ids on all three nodes (VALUES on the coordinator, INSERT … SELECT on the workers)" \
  "coord:tkt w1:tkt w2:tkt" \
  "$(q "SELECT split_part(made, ':', 1), string_agg(DISTINCT prefixed_id_prefix(id), ',') FROM tickets GROUP BY 1" |
     while IFS='|' read -r p pre; do echo "$(node_of "$p"):$pre"; done | sort | paste -sd' ')"

# A prefix changed while INSERT … SELECT (ids made on the workers) and INSERT … VALUES (on the
# coordinator) run in another session: every statement that began after the change's COMMIT
# returned uses the new prefix, every one that ended before it began the old one.
batches=30
log=$work/batches.log
: >"$log"
(
  for b in $(seq 1 "$batches"); do
    s=$(date +%s.%N)
    if q "INSERT INTO tickets (k, batch) SELECT k, $b FROM src WHERE k <= 1000" \
         "INSERT INTO tickets (k, batch) VALUES (1, $b), (2, $b), (3, $b)"; then
      echo "$b $s $(date +%s.%N) ok" >>"$log"
    else
      echo "$b $s $(date +%s.%N) failed" >>"$log"
    fi
  done
) &
writer=$!
until [ "$(wc -l <"$log")" -ge 10 ] || ! kill -0 "$writer" 2>/dev/null; do sleep 0.1; done
c0=$(date +%s.%N)
q "UPDATE id_prefix_registry SET prefix = 'tck' WHERE entity = 'ticket'" >/dev/null || fail "UPDATE id_prefix_registry"
c1=$(date +%s.%N)
wait "$writer"
prefixes=$(q "SELECT batch, string_agg(DISTINCT prefixed_id_prefix(id), ',') FROM tickets WHERE batch > 0 GROUP BY 1")
result=$(awk -v c0="$c0" -v c1="$c1" -v fails="$(grep -c failed "$log")" '
  NR == FNR { split($0, a, "|"); p[a[1]] = a[2]; next }
  { b = $1; s = $2; e = $3
    if (e < c0) { before++; if (p[b] != "tkt") bad = bad " " b ":" p[b] }
    else if (s > c1) { after++; if (p[b] != "tck") bad = bad " " b ":" p[b] }
    else { during++; if (p[b] !~ /^(tkt|tck|tck,tkt)$/) bad = bad " " b ":" p[b]; mixed += (p[b] == "tck,tkt") } }
  END { printf "%d before, %d during (%d mixed), %d after, %d failed, wrong:%s", before, during, mixed, after, fails, bad }' \
  <(echo "$prefixes") "$log")
note "prefix change during writes: $result"
case $result in
  *" 0 failed, wrong:") [ "$(echo "$result" | awk '{ print ($1 > 0 && $(NF-3) > 0) }')" = 1 ] &&
      pass "a prefix changed while writes run: batches before it use tkt_, batches after it tck_, none failed" ||
      fail "a prefix changed while writes run: batches before it use tkt_, batches after it tck_, none failed" ;;
  *) fail "a prefix changed while writes run: batches before it use tkt_, batches after it tck_, none failed" ;;
esac
expect "after the change every node's id_prefixes agrees" \
  "order=ord,ticket=tck / order=ord,ticket=tck / order=ord,ticket=tck" "$(registries)"
q "DELETE FROM id_prefix_registry WHERE entity = 'order'" >/dev/null
expect "a row deleted on the coordinator is gone from every node" \
  "ticket=tck / ticket=tck / ticket=tck" "$(registries)"
err=$(qerr coord "BEGIN" "SELECT register_prefix('invoice', 'inv')" "SELECT register_prefix('bill', 'inv')" "COMMIT")
expect "a registry write that fails leaves every node as it was" \
  "ticket=tck / ticket=tck / ticket=tck" "$(registries)"

# ---- 3. owner stamping and RLS with PostgREST-style claims --------------------------------------
ns=9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a
q "ALTER DATABASE postgres SET idconv.subject_namespace = '$ns'" >/dev/null
propagated=$(q "SELECT string_agg(result, ',') FROM run_command_on_workers(
  \$\$SELECT count(*) FROM pg_db_role_setting WHERE setconfig::text LIKE '%idconv.subject_namespace%'\$\$)")
note "ALTER DATABASE … SET idconv.subject_namespace on the coordinator, rows on the workers: $propagated"
for n in w1 w2; do
  [ "$propagated" = "1,1" ] || qn "$n" "ALTER DATABASE postgres SET idconv.subject_namespace = '$ns'" >/dev/null
done
sub_a=335517149097361411
sub_b='auth0|5f7c8ec7c33c6c004bbafe82'
uuid_a=0119f314-073c-5994-97d8-8033973455b7
uuid_b=9793a3c6-8948-5440-a51c-5207fd3b77ed
q "CREATE ROLE authenticator LOGIN NOINHERIT" "CREATE ROLE authenticated NOLOGIN" \
  "GRANT authenticated TO authenticator" \
  "CREATE TABLE notes (
       id               text PRIMARY KEY DEFAULT generate_prefixed_id('note') CHECK (is_prefixed_id(id, 'note')),
       owner_subject_id uuid NOT NULL DEFAULT current_subject_id(),
       body             text NOT NULL)" \
  "SELECT create_distributed_table('notes', 'id')" \
  "ALTER TABLE notes ENABLE ROW LEVEL SECURITY" \
  "CREATE POLICY notes_own ON notes USING (owner_subject_id = current_subject_id())
       WITH CHECK (owner_subject_id = current_subject_id())" \
  "CREATE TRIGGER notes_stamp_owner BEFORE INSERT OR UPDATE ON notes
       FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id')" \
  "GRANT SELECT, INSERT, UPDATE, DELETE ON notes TO authenticated" \
  "GRANT SELECT ON src TO authenticated" >/dev/null || fail "notes, roles, policy, trigger"
err=$(qerr coord "SET citus.enable_unsafe_triggers = off" \
  "CREATE TRIGGER notes_stamp_again BEFORE INSERT OR UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id')")
case $err in
  *'triggers are not supported on distributed tables'*) pass "without citus.enable_unsafe_triggers, Citus refuses a trigger on a distributed table" ;;
  *) note "$err"; fail "without citus.enable_unsafe_triggers, Citus refuses a trigger on a distributed table" ;;
esac
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$cport" -U postgres -f "$here/claims.sql" >/dev/null ||
  fail "test/citus/claims.sql"

# request SUB PRE_REQUEST SQL...: one PostgREST request as the authenticator: a transaction that
# sets the role and the claims with set_config(…, true), runs the pre-request function when given,
# then SQL.
request() {
  local sub=$1 pre=$2; shift 2
  local args=(-c "BEGIN" -c '\o /dev/null'
    -c "SELECT set_config('role', 'authenticated', true), set_config('request.jwt.claims', '{\"sub\":\"${sub}\",\"role\":\"authenticated\"}', true)")
  [ -n "$pre" ] && args+=(-c "SELECT $pre()")
  args+=(-c '\o')
  local s
  for s in "$@"; do args+=(-c "$s"); done
  args+=(-c "COMMIT")
  PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$cport" -U authenticator -d postgres "${args[@]}" 2>&1
}
owners() { q "SELECT coalesce(string_agg(o || ':' || c, ' ' ORDER BY o), '-') FROM (SELECT owner_subject_id::text o, count(*) c FROM notes GROUP BY 1) x"; }

out=$(request "$sub_a" citus_claims "SELECT count(*) FROM notes")
note "authenticated is NOLOGIN: $(echo "$out" | grep -m1 ERROR)"
case $out in
  *'role "authenticated" is not permitted to log in'*) pass "Citus reaches the workers as the role PostgREST switched to: a NOLOGIN role fails" ;;
  *) fail "Citus reaches the workers as the role PostgREST switched to: a NOLOGIN role fails" ;;
esac
q "ALTER ROLE authenticated LOGIN" >/dev/null
out=$(request "$sub_a" citus_claims \
  "INSERT INTO notes (body) VALUES ('one row')" \
  "INSERT INTO notes (body) VALUES ('multi 1'), ('multi 2'), ('multi 3')" \
  "INSERT INTO notes (owner_subject_id, body) VALUES ('$uuid_b', 'claims to be b')" \
  "INSERT INTO notes (body) SELECT 'from src ' || k FROM src WHERE k <= 1000" \
  "SELECT count(*) FROM notes")
expect "recipe (pre-request SET LOCAL of the claims, propagated): subject a inserts with VALUES, multi-row, a forged owner and INSERT … SELECT, and sees its 1005 rows" \
  "1005" "$out"
out=$(request "$sub_b" citus_claims \
  "INSERT INTO notes (body) SELECT 'b ' || k FROM src WHERE k <= 10" "SELECT count(*) FROM notes")
expect "recipe: subject b sees only its own 10 rows" "10" "$out"
expect "recipe: every row carries its inserter's subject (the forged owner was re-stamped)" \
  "$uuid_a:1005 $uuid_b:10" "$(owners)"
expect "recipe: rows of both subjects are on both workers (stamped by triggers on each)" \
  "2|2" "$(q "SELECT count(DISTINCT nodeport), count(DISTINCT nodeport) FROM citus_shards cs
             JOIN run_command_on_shards('notes', \$\$SELECT count(DISTINCT owner_subject_id) FROM %s\$\$) r USING (shardid)
             WHERE r.result::int = 2")"
out=$(request "$sub_a" citus_claims "UPDATE notes SET owner_subject_id = '$uuid_b' WHERE body = 'one row'")
case $out in
  *'cannot change the owner of a row in'*) pass "recipe: changing the owner fails on the worker (stamp_subject)" ;;
  *) note "$out"; fail "recipe: changing the owner fails on the worker (stamp_subject)" ;;
esac
out=$(request "$sub_a" citus_claims "UPDATE notes SET body = 'edited' WHERE body LIKE 'multi%' RETURNING 1" )
expect "recipe: a subject updates its own rows" "1
1
1" "$out"
out=$(request "$sub_b" citus_claims "DELETE FROM notes WHERE body = 'edited' RETURNING 1")
expect "recipe: another subject's DELETE touches none of them (policy on the workers)" "" "$out"

# Without the pre-request function, as PostgREST sets them: the claims stay on the coordinator.
out=$(request "$sub_a" "" "INSERT INTO notes (body) VALUES ('plain set_config')")
note "set_config claims only, INSERT … VALUES: $(echo "$out" | head -n 1)"
case $out in
  *'no authenticated subject'*) pass "set_config claims alone: the trigger on the worker sees no subject (the insert fails)" ;;
  *) fail "set_config claims alone: the trigger on the worker sees no subject (the insert fails)" ;;
esac
expect "set_config claims alone: the policy on the workers shows subject a none of its 1005 rows" \
  "0" "$(request "$sub_a" "" "SELECT count(*) FROM notes")"
q "ALTER ROLE authenticator SET citus.propagate_set_commands = 'local'" >/dev/null
expect "set_config claims with citus.propagate_set_commands = 'local': still none (set_config is not a SET)" \
  "0" "$(request "$sub_a" "" "SELECT count(*) FROM notes")"
q "ALTER ROLE authenticator RESET citus.propagate_set_commands" >/dev/null
expect "nothing was written by the failed requests" "$uuid_a:1005 $uuid_b:10" "$(owners)"

# ---- 4. require_filled_at_commit on co-located distributed tables -------------------------------
q "CREATE TABLE users (
       tenant_id   uuid NOT NULL,
       id          text NOT NULL DEFAULT generate_prefixed_id('usr'),
       email       text NOT NULL,
       role        text NOT NULL DEFAULT 'member',
       customer_id text,
       PRIMARY KEY (tenant_id, id))" \
  "CREATE TABLE customers (
       tenant_id uuid NOT NULL,
       id        text NOT NULL DEFAULT generate_prefixed_id('cus'),
       owner_id  text NOT NULL,
       PRIMARY KEY (tenant_id, id))" \
  "SELECT create_distributed_table('users', 'tenant_id')" \
  "SELECT create_distributed_table('customers', 'tenant_id', colocate_with => 'users')" \
  "ALTER TABLE customers ADD FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) DEFERRABLE INITIALLY DEFERRED" \
  "ALTER TABLE users ADD FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) DEFERRABLE INITIALLY DEFERRED" \
  "CREATE CONSTRAINT TRIGGER users_customer_filled AFTER INSERT OR UPDATE ON users DEFERRABLE INITIALLY DEFERRED
       FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('customer_id', 'role', 'system_admin', 'support')" \
  >/dev/null || fail "users, customers, the constraint trigger"
# one tenant on each worker
tenant_on() {
  q "SELECT t FROM (SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid t, i FROM generate_series(1, 100) i) g
     JOIN citus_shards cs ON cs.shardid = get_shard_id_for_distribution_column('users', g.t)
     WHERE cs.nodeport = $1 ORDER BY i LIMIT 1"
}
t1=$(tenant_on "${port[w1]}")
t2=$(tenant_on "${port[w2]}")
s1=("INSERT INTO users (tenant_id, id, email) VALUES ('$t1', 'usr_signup1aaaaaaa', 'owner1@example.com')"
    "INSERT INTO customers (tenant_id, id, owner_id) VALUES ('$t1', 'cus_signup1aaaaaaa', 'usr_signup1aaaaaaa')"
    "UPDATE users SET customer_id = 'cus_signup1aaaaaaa' WHERE tenant_id = '$t1' AND id = 'usr_signup1aaaaaaa'")
s2=("INSERT INTO users (tenant_id, id, email) VALUES ('$t2', 'usr_signup2aaaaaaa', 'owner2@example.com')"
    "INSERT INTO customers (tenant_id, id, owner_id) VALUES ('$t2', 'cus_signup2aaaaaaa', 'usr_signup2aaaaaaa')"
    "UPDATE users SET customer_id = 'cus_signup2aaaaaaa' WHERE tenant_id = '$t2' AND id = 'usr_signup2aaaaaaa'")
everywhere() {  # rows of users and customers on the workers' shards, and prepared transactions left
  q "SELECT (SELECT sum(result::int) FROM run_command_on_shards('users', \$\$SELECT count(*) FROM %s\$\$)) || '|' ||
            (SELECT sum(result::int) FROM run_command_on_shards('customers', \$\$SELECT count(*) FROM %s\$\$)) || '|' ||
            (SELECT sum(result::int) FROM run_command_on_all_nodes(\$\$SELECT count(*) FROM pg_prepared_xacts\$\$))"
}
q "BEGIN" "${s1[@]}" "${s2[@]}" "COMMIT" >/dev/null
expect "two complete sign-ups, tenants on different workers, commit in one transaction" "2|2|0" "$(everywhere)"

bad() {  # bad NAME SQL...: a transaction that must fail at COMMIT with require_filled_at_commit's error
  local name=$1; shift
  local out
  out=$(qerr coord "BEGIN" "$@" "COMMIT")
  note "$name: $(echo "$out" | grep -E '^(ERROR|WARNING)' | paste -sd' ')"
  case $out in
    *'null value in column "customer_id" of relation "users'*'at the end of the transaction'*)
      expect "$name: the COMMIT fails and nothing is left on any node" "2|2|0" "$(everywhere)" ;;
    *) note "$out"; fail "$name: the COMMIT fails and nothing is left on any node" ;;
  esac
}
bad "a member without a customer, one worker" \
  "INSERT INTO users (tenant_id, email) VALUES ('$t1', 'bad1@example.com')"
bad "a complete sign-up on one worker and a member without a customer on the other" \
  "${s1[0]/signup1/signup3}" "${s1[1]//signup1/signup3}" "${s1[2]//signup1/signup3}" \
  "INSERT INTO users (tenant_id, email) VALUES ('$t2', 'bad2@example.com')"
bad "a customer set back to NULL" \
  "UPDATE users SET customer_id = NULL WHERE tenant_id = '$t2'"
q "INSERT INTO users (tenant_id, email, role) VALUES ('$t1', 'support@example.com', 'support')" >/dev/null &&
  expect "an exempt role (support) without a customer commits" "3|2|0" "$(everywhere)" ||
  fail "an exempt role (support) without a customer commits"

# ---- 5. audits: same answers as on one server ---------------------------------------------------
mk_schema() {  # mk_schema SCHEMA DISTRIBUTE(0|1)
  local s=$1 d=$2
  q "CREATE SCHEMA $s" \
    "CREATE TABLE $s.profiles (subject_id uuid PRIMARY KEY)" \
    "CREATE TABLE $s.projects (id uuid PRIMARY KEY)" \
    "CREATE TABLE $s.tags (id bigint PRIMARY KEY, created_by uuid)" \
    "CREATE TABLE $s.audit_log (id bigint PRIMARY KEY, user_id uuid)" \
    "CREATE INDEX ON $s.audit_log (user_id)" \
    "CREATE TABLE $s.notifications (id bigint PRIMARY KEY, user_id text)" \
    "CREATE TABLE $s.object_extraction_jobs (id bigint PRIMARY KEY, subject_id uuid REFERENCES $s.projects (id))" \
    "CREATE TABLE $s.chat_conversations (id bigint PRIMARY KEY, owner_subject_id uuid REFERENCES $s.profiles (subject_id))" \
    "CREATE INDEX ON $s.chat_conversations (owner_subject_id)" \
    "CREATE TABLE $s.organization_memberships (org_id bigint, subject_id uuid REFERENCES $s.profiles (subject_id), PRIMARY KEY (org_id, subject_id))" \
    "CREATE TABLE $s.\"Container Instances\" (id bigint PRIMARY KEY, \"Customer ID\" text)" >/dev/null
  if [ "$d" = 1 ]; then
    q "SELECT create_reference_table('$s.profiles')" "SELECT create_reference_table('$s.projects')" \
      "SELECT create_reference_table('$s.tags')" \
      "SELECT create_distributed_table('$s.audit_log', 'id')" "SELECT create_distributed_table('$s.notifications', 'id')" \
      "SELECT create_distributed_table('$s.object_extraction_jobs', 'id')" \
      "SELECT create_distributed_table('$s.chat_conversations', 'id')" \
      "SELECT create_distributed_table('$s.organization_memberships', 'org_id')" \
      "SELECT create_distributed_table('$s.\"Container Instances\"', 'id')" >/dev/null
  fi
  q "INSERT INTO $s.\"Container Instances\" SELECT row_number() OVER (), v FROM (VALUES
       ('usr_ght4k2jxm7pqbv01'), ('usr_hkt4k2jxm7pqbv02'), ('usr_jkt4k2jxm7pqbv03'), ('usr_mkt4k2jxm7pqbv04'),
       ('u-dev-001'), ('u-dev-002'), ('u-test-9'), ('cmk07b7n4000q08l2h3g7d9xz'), ('cmk07b7n4000q08l2h3g7d9xy'),
       ('u000'), ('u001'), ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12'),
       ('tz4a98xxat96iws9zmbrgj3a'), ('335517149097361411'), ('hello world'), (''), (NULL), (NULL)) v(v)" >/dev/null
}
mk_schema single 0 || fail "schema single"
mk_schema dist 1 || fail "schema dist (Citus)"
a_single=$(q "SELECT * FROM audit_id_column('single.\"Container Instances\"', 'Customer ID')")
a_dist=$(q "SELECT * FROM audit_id_column('dist.\"Container Instances\"', 'Customer ID')")
note "audit_id_column: $(echo "$a_single" | tr '\n' ' ')"
[ -n "$a_single" ] && expect "audit_id_column on a distributed table gives the single-server rows, in order" "$a_single" "$a_dist" ||
  fail "audit_id_column on a distributed table gives the single-server rows, in order"
expect "audit_id_column over the $rows-row distributed table: one kind, the bytewise smallest id" \
  "prefixed|$rows|$(q "SELECT min(id COLLATE \"C\") FROM accounts")" "$(q "SELECT * FROM audit_id_column('accounts', 'id')")"
r_single=$(q "SELECT * FROM audit_subject_references('single', 'single.profiles')")
r_dist=$(q "SELECT * FROM audit_subject_references('dist', 'dist.profiles')")
note "audit_subject_references: $(echo "$r_single" | wc -l) rows"
[ -n "$r_single" ] && expect "audit_subject_references on the coordinator (distributed and reference tables) gives the single-server rows" \
  "$r_single" "$(echo "$r_dist" | sed 's/^dist\./single./')" ||
  fail "audit_subject_references on the coordinator (distributed and reference tables) gives the single-server rows"
expect "audit_subject_references without a profile table, too" \
  "$(q "SELECT * FROM audit_subject_references('single')")" \
  "$(q "SELECT * FROM audit_subject_references('dist')" | sed 's/^dist\./single./')"
for n in w1 w2; do
  expect "audit_subject_references on worker $n, through a client connection, gives the coordinator's rows" \
    "$r_dist" "$(qn "$n" "SELECT * FROM audit_subject_references('dist', 'dist.profiles')")"
done

# Citus's own connections (run_command_on_workers) see the shards, which the audit then lists as
# tables of their own.
expect "audit_subject_references through run_command_on_workers also lists the shards (more rows than the coordinator's $(echo "$r_dist" | wc -l))" \
  "true,true" "$(q "SELECT string_agg((result::int > $(echo "$r_dist" | wc -l))::text, ',') FROM run_command_on_workers(
    \$\$SELECT count(*) FROM audit_subject_references('dist', 'dist.profiles')\$\$)")"

[ -n "${CITUS_BENCH:-}" ] && source "$here/bench.sh"
[ "$failed" -eq 0 ]
