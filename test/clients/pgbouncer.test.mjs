// examples/saas behind PgBouncer in transaction mode: 60 logical clients, each with its own
// subject, share 4 server connections. Every request is one transaction with the claims set
// locally (lib/request.mjs, the PostgREST pattern); between requests each client probes whatever
// server connection it gets next for anything a previous transaction left behind.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { createSaasDatabase, dropDatabase, signUp } from "./lib/db.mjs";
import { startPgBouncer } from "./lib/pgbouncer.mjs";
import { withRequest } from "./lib/request.mjs";

const DB = "idconv_clients_pgbouncer";
const CLIENTS = 60;
const SERVER_CONNECTIONS = 4;
const REQUESTS = 40;                 // per client; plus a probe after each and a no-claims request every 8th
const LOGIN = process.env.PGUSER ?? "postgres";

let bouncer;
let admin;
let people;
let clients;

// Each logical client is its own one-connection pool to PgBouncer, as separate app instances or
// PostgREST workers would be.
const bounced = () => new pg.Pool({ host: "127.0.0.1", port: bouncer.port, database: DB, max: 1 });

before(async () => {
  await createSaasDatabase(DB);
  admin = new pg.Client({ database: DB });
  await admin.connect();
  const { rows: [t] } = await admin.query("INSERT INTO tenants (slug, name) VALUES ('pooled', 'Pooled') RETURNING id");
  // Subs in every provider's shape; each maps to its own subject id.
  const subs = Array.from({ length: CLIENTS }, (_, i) => [
    `${335517149097361411n + BigInt(i)}`, `auth0|5f7c8ec7c33c6c004bbafe${String(i).padStart(2, "0")}`,
    `user_2xQ8pZ3kLmN0vR7sT1uW4yB6c${i}`, `a0eebc99-9c0b-4ef8-bb6d-6bb9bd38${String(i).padStart(4, "0")}`][i % 4]);
  people = await signUp(admin, t.id, subs);
  assert.equal(new Set(people.map((p) => p.subjectId)).size, CLIENTS);
  bouncer = await startPgBouncer({ database: DB, poolSize: SERVER_CONNECTIONS });
  clients = Array.from({ length: CLIENTS }, bounced);
});

after(async () => {
  await Promise.all((clients ?? []).map((c) => c.end()));
  await bouncer?.stop();
  await admin?.end();
  await dropDatabase(DB);
});

// What a transaction sees before it sets anything: it must be a clean session.
const PROBE = `SELECT pg_backend_pid() AS pid, current_user AS role,
                      coalesce(current_setting('request.jwt.claims', true), '') AS claims,
                      current_subject_id() AS subject`;

const stats = { requests: 0, probes: 0, refused: 0, pidsByClient: new Map(), clientsByPid: new Map() };
const seen = (client, pid) => {
  if (!stats.clientsByPid.has(pid)) stats.clientsByPid.set(pid, new Set());
  stats.clientsByPid.get(pid).add(client);
};

test(`${CLIENTS} clients x ${REQUESTS} requests over ${SERVER_CONNECTIONS} server connections: each row stamped with its own client's subject`, async () => {
  const dirty = [];
  await Promise.all(clients.map(async (pool, k) => {
    const me = people[k];
    for (let i = 0; i < REQUESTS; i++) {
      const r = await withRequest(pool, { sub: me.sub, role: "authenticated" }, async (c) => {
        const ins = await c.query(
          "INSERT INTO container_instances (name) VALUES ($1) RETURNING owner_subject_id, customer_id, pg_backend_pid() AS pid",
          [`c${k}-r${i}`]);
        // Interleave: hold some transactions open a moment so others queue behind them.
        if (i % 5 === k % 5) await c.query("SELECT pg_sleep(0.002)");
        const vis = await c.query(
          "SELECT count(*)::int AS visible, count(*) FILTER (WHERE owner_subject_id <> current_subject_id())::int AS foreign FROM container_instances");
        return { ...ins.rows[0], ...vis.rows[0] };
      });
      stats.requests++;
      seen(k, r.pid);
      assert.equal(r.owner_subject_id, me.subjectId, `client ${k} request ${i} stamped with another subject`);
      assert.equal(r.customer_id, me.customerId);
      assert.deepEqual([r.visible, r.foreign], [i + 1, 0], `client ${k} request ${i} saw other rows`);

      const p = (await pool.query(PROBE)).rows[0];
      stats.probes++;
      seen(k, p.pid);
      if (p.role !== LOGIN || p.claims !== "" || p.subject !== null) dirty.push({ client: k, ...p });

      if (i % 8 === 7) {
        await assert.rejects(withRequest(pool, null, (c) => c.query("INSERT INTO container_instances (name) VALUES ('nobody')")),
          { code: "42501", message: "no authenticated subject" });
        stats.refused++;
      }
    }
  }));
  assert.deepEqual(dirty, [], "a transaction saw a setting or role left by a previous one");

  // Every row in the table, read directly: exactly the requests made, each owned by its client.
  const { rows } = await admin.query(`
    SELECT split_part(name, '-', 1) AS client, owner_subject_id, customer_id, count(*)::int AS n
    FROM container_instances GROUP BY 1, 2, 3 ORDER BY 1`);
  assert.equal(rows.length, CLIENTS);
  for (const row of rows) {
    const me = people[Number(row.client.slice(1))];
    assert.deepEqual([row.owner_subject_id, row.customer_id, row.n], [me.subjectId, me.customerId, REQUESTS], row.client);
  }
  // The audit log's actor is the same subject as the row's owner, for every row.
  const { rows: [audit] } = await admin.query(`
    SELECT count(*)::int AS n, count(*) FILTER (WHERE a.actor_subject_id IS DISTINCT FROM c.owner_subject_id)::int AS wrong
    FROM container_instances c JOIN audit_log a ON a.table_name = 'container_instances' AND a.row_id = c.id`);
  assert.deepEqual(audit, { n: CLIENTS * REQUESTS, wrong: 0 });

  // The transactions really were pooled: at most 4 server backends, each serving many clients.
  const pids = [...stats.clientsByPid.keys()];
  assert.ok(pids.length <= SERVER_CONNECTIONS && pids.length >= 2, `server backends used: ${pids.length}`);
  for (const pid of pids) assert.ok(stats.clientsByPid.get(pid).size > 1, `backend ${pid} served one client only`);
  assert.equal(stats.requests + stats.probes + stats.refused, CLIENTS * (2 * REQUESTS + REQUESTS / 8));
});

// Runs `sql` on `n` clients at once, each holding its server connection for a moment, so that
// every server connection of the pool takes part. Returns the rows.
const everywhere = (sql, n = 2 * SERVER_CONNECTIONS) => Promise.all(clients.slice(0, n).map((pool) =>
  pool.query(`SELECT *, pg_backend_pid() AS pid FROM (${sql}) q, pg_sleep(0.2)`).then((r) => r.rows[0])));

test("a prefix registered through one pooled connection is used by the next transactions on the others", async () => {
  // Every server backend has read the registry already (its copy is cached).
  const before = await everywhere("SELECT generate_id_for('user') AS id");
  assert.equal(new Set(before.map((r) => r.pid)).size, SERVER_CONNECTIONS);
  const failures = await Promise.all(clients.slice(0, 2 * SERVER_CONNECTIONS).map((pool) =>
    pool.query("SELECT generate_id_for('invoice'), pg_sleep(0.2)").then(() => null, (e) => e.code)));
  assert.deepEqual(new Set(failures), new Set(["22023"]));

  const { rows: [reg] } = await clients[CLIENTS - 1].query(
    "SELECT register_prefix('invoice', 'inv', 'Stripe invoices') AS prefix, pg_backend_pid() AS pid");
  assert.equal(reg.prefix, "inv");

  const after = await everywhere("SELECT generate_id_for('invoice') AS id");
  assert.equal(new Set(after.map((r) => r.pid)).size, SERVER_CONNECTIONS);
  assert.ok(after.some((r) => r.pid !== reg.pid));
  for (const r of after) assert.match(r.id, /^inv_[a-z][0-9a-z]{15}$/, `backend ${r.pid}`);
});

test("the probe does catch a leak: a session-level set_config stays on the server connection", async () => {
  // What the request pattern avoids: set_config(..., false) outlives the transaction, and in
  // transaction pooling the next client that gets this server connection inherits it.
  const { rows: [leak] } = await clients[0].query(
    "SELECT set_config('request.jwt.claims', '{\"sub\":\"leaked\"}', false), pg_backend_pid() AS pid");
  const probes = await everywhere(PROBE.replace("SELECT pg_backend_pid() AS pid,", "SELECT"));
  const inherited = probes.filter((p) => p.pid === leak.pid);
  assert.ok(inherited.length > 0, "no probe reached the leaking backend");
  for (const p of inherited) assert.equal(p.claims, '{"sub":"leaked"}');
  for (const p of probes.filter((x) => x.pid !== leak.pid)) assert.equal(p.claims, "");
});
