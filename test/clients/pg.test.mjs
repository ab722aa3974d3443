// node-postgres with the request pattern of PostgREST (lib/request.mjs): each request is one
// transaction with the token's role and claims set locally. Rows are stamped with the caller's
// subject, row-level security shows each caller only their own rows, and nothing stays on the
// pooled connection afterwards.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { createSaasDatabase, dropDatabase, signUp } from "./lib/db.mjs";
import { withRequest } from "./lib/request.mjs";

const DB = "idconv_clients_pg";
let pool;
let ada;
let zed;

before(async () => {
  await createSaasDatabase(DB);
  // One connection, so every request below reuses the same server session.
  pool = new pg.Pool({ database: DB, max: 1 });
  const client = await pool.connect();
  try {
    const { rows: [t] } = await client.query("INSERT INTO tenants (slug, name) VALUES ('acme', 'Acme') RETURNING id");
    [ada, zed] = await signUp(client, t.id, ["auth0|5f7c8ec7c33c6c004bbafe82", "335517149097361411"]);
  } finally {
    client.release();
  }
});

after(async () => {
  await pool?.end();
  await dropDatabase(DB);
});

const insertContainer = (name, extra = {}) => (c) =>
  c.query(`INSERT INTO container_instances (name${extra.owner ? ", owner_subject_id" : ""})
           VALUES ($1${extra.owner ? ", $2" : ""}) RETURNING *`, extra.owner ? [name, extra.owner] : [name])
    .then((r) => r.rows[0]);

test("an insert without id, owner or customer gets all three from the database and the token", async () => {
  const row = await withRequest(pool, { sub: ada.sub, role: "authenticated" }, insertContainer("ada-1"));
  assert.match(row.id, /^ctr_[a-z][0-9a-z]{15}$/);
  assert.equal(row.owner_subject_id, ada.subjectId);
  assert.equal(row.customer_id, ada.customerId);
});

test("an owner sent by the client is replaced by the caller's subject", async () => {
  const row = await withRequest(pool, { sub: zed.sub }, insertContainer("zed-1", { owner: ada.subjectId }));
  assert.equal(row.owner_subject_id, zed.subjectId);
  assert.equal(row.customer_id, zed.customerId);
});

test("row-level security shows each caller only their own rows", async () => {
  await withRequest(pool, { sub: ada.sub }, insertContainer("ada-2"));
  const names = (claims) => withRequest(pool, claims, (c) =>
    c.query("SELECT name FROM container_instances ORDER BY name").then((r) => r.rows.map((x) => x.name)));
  assert.deepEqual(await names({ sub: ada.sub }), ["ada-1", "ada-2"]);
  assert.deepEqual(await names({ sub: zed.sub }), ["zed-1"]);
  assert.deepEqual(await names({ role: "authenticated" }), []);   // a token without sub
  // Updating or deleting someone else's row touches nothing.
  const touched = await withRequest(pool, { sub: zed.sub }, (c) =>
    c.query("UPDATE container_instances SET name = 'stolen' WHERE name LIKE 'ada-%'").then((r) => r.rowCount));
  assert.equal(touched, 0);
});

test("the audit log records the caller as the actor, and each caller reads their own entries", async () => {
  const actors = await withRequest(pool, { sub: ada.sub }, (c) =>
    c.query("SELECT DISTINCT actor_subject_id FROM audit_log WHERE table_name = 'container_instances'")
      .then((r) => r.rows.map((x) => x.actor_subject_id)));
  assert.deepEqual(actors, [ada.subjectId]);
  const client = await pool.connect();
  try {
    const { rows } = await client.query(
      "SELECT actor_subject_id, count(*)::int AS n FROM audit_log WHERE table_name = 'container_instances' GROUP BY 1 ORDER BY 2 DESC");
    assert.deepEqual(rows, [{ actor_subject_id: ada.subjectId, n: 2 }, { actor_subject_id: zed.subjectId, n: 1 }]);
  } finally {
    client.release();
  }
});

test("changing the owner is refused (42501)", async () => {
  await assert.rejects(withRequest(pool, { sub: ada.sub }, (c) =>
    c.query("UPDATE container_instances SET owner_subject_id = $1 WHERE name = 'ada-1'", [zed.subjectId])),
  (e) => e.code === "42501");
});

test("a request without claims cannot insert (42501: no authenticated subject)", async () => {
  await assert.rejects(withRequest(pool, null, insertContainer("anonymous")),
    { code: "42501", message: "no authenticated subject" });
});

test("users see themselves and their customer, not others", async () => {
  const seen = await withRequest(pool, { sub: ada.sub }, (c) =>
    c.query("SELECT (SELECT array_agg(id) FROM users) AS users, (SELECT array_agg(id) FROM customers) AS customers").then((r) => r.rows[0]));
  assert.deepEqual(seen, { users: [ada.userId], customers: [ada.customerId] });
  await assert.rejects(withRequest(pool, { sub: ada.sub }, (c) =>
    c.query("UPDATE users SET customer_id = $1 WHERE id = $2", [zed.customerId, ada.userId])), { code: "42501" });
});

test("after each request the pooled connection holds no claims and no role", async () => {
  const client = await pool.connect();
  try {
    const { rows: [s] } = await client.query(
      "SELECT current_user, coalesce(current_setting('request.jwt.claims', true), '') AS claims, current_subject_id() AS subject");
    assert.deepEqual(s, { current_user: process.env.PGUSER ?? "postgres", claims: "", subject: null });
  } finally {
    client.release();
  }
});
