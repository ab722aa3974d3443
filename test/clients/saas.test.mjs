// examples/saas: the migration loads into a fresh database as it stands, the audit of user
// references finds nothing, and the seed system's rules hold when written in plain SQL.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import pg from "pg";
import { createSaasDatabase, dropDatabase, signUp } from "./lib/db.mjs";

const DB = "idconv_clients_saas";
let client;
let tenantId;

before(async () => {
  await createSaasDatabase(DB);
  client = new pg.Client({ database: DB });
  await client.connect();
  ({ rows: [{ id: tenantId }] } = await client.query(
    "INSERT INTO tenants (slug, name) VALUES (slugify($1), $1) RETURNING id", ["Istanbul Medical Center"]));
});

after(async () => {
  await client?.end();
  await dropDatabase(DB);
});

test("audit_subject_references() reports nothing on the loaded schema", async () => {
  const { rows } = await client.query("SELECT * FROM audit_subject_references()");
  assert.deepEqual(rows, []);
  const { rows: publicRows } = await client.query("SELECT * FROM audit_subject_references('public')");
  assert.deepEqual(publicRows, []);
});

test("the audit does see a reference that breaks the convention (so the empty result means something)", async () => {
  await client.query("BEGIN");
  try {
    await client.query("CREATE TABLE notifications (id text PRIMARY KEY, user_id text)");
    const { rows } = await client.query("SELECT table_name::text, column_name, problem FROM audit_subject_references()");
    assert.deepEqual(rows.map((r) => `${r.table_name}.${r.column_name}:${r.problem}`),
      ["notifications.user_id:forbidden_name", "notifications.user_id:no_foreign_key",
       "notifications.user_id:no_index", "notifications.user_id:not_uuid"]);
  } finally {
    await client.query("ROLLBACK");
  }
});

test("every reference to a user is a uuid with a foreign key and an index", async () => {
  const { rows } = await client.query(`
    SELECT c.conrelid::regclass::text AS tbl, a.attname AS col, c.confrelid::regclass::text AS target
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND a.attname LIKE '%subject_id' ORDER BY 1, 2`);
  assert.deepEqual(rows.map((r) => `${r.tbl}.${r.col}->${r.target}`), [
    "audit_log.actor_subject_id->users", "container_instances.owner_subject_id->users",
    "customers.owner_subject_id->users", "users.subject_id->identities"]);
});

test("tenants: a UUID key and a checked slug", async () => {
  const { rows: [t] } = await client.query("SELECT id::text, slug FROM tenants WHERE id = $1", [tenantId]);
  assert.match(t.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(t.slug, "istanbul-medical-center");
  await assert.rejects(client.query("INSERT INTO tenants (slug, name) VALUES ('Tenant Apollo', 'x')"),
    { code: "23514", constraint: "tenants_slug_check" });
});

test("sign-up closes the users <-> customers circle in one transaction", async () => {
  const [owner] = await signUp(client, tenantId, ["335517149097361411"]);
  assert.match(owner.userId, /^usr_[a-z][0-9a-z]{15}$/);
  assert.match(owner.customerId, /^cus_[a-z][0-9a-z]{15}$/);
  const { rows: [u] } = await client.query(
    "SELECT u.customer_id, c.owner_subject_id::text, entity_of(u.id) AS e1, entity_of(c.id) AS e2 FROM users u JOIN customers c ON c.id = u.customer_id WHERE u.id = $1",
    [owner.userId]);
  assert.deepEqual(u, { customer_id: owner.customerId, owner_subject_id: owner.subjectId, e1: "user", e2: "customer" });
  // The Zitadel number maps to the same UUID as the docs' table says.
  assert.equal(owner.subjectId, "0119f314-073c-5994-97d8-8033973455b7");
});

test("a user left without a customer fails at COMMIT (23502), unless a system_admin", async () => {
  await client.query("BEGIN");
  await client.query("INSERT INTO identities (subject_id, provider, provider_sub) VALUES (normalize_subject('lonely'), 'test', 'lonely')");
  await client.query("INSERT INTO users (subject_id, email) VALUES (normalize_subject('lonely'), 'lonely@example.com')");
  await assert.rejects(client.query("COMMIT"), { code: "23502", message: /customer_id.*end of the transaction/ });
  const [admin] = await signUp(client, tenantId, ["auth0|5f7c8ec7c33c6c004bbafe82"], "system_admin");
  assert.equal(admin.customerId, null);
  await assert.rejects(client.query("UPDATE users SET role = 'customer_user' WHERE id = $1", [admin.userId]),
    { code: "23502" });
});

test("a hand-made user id is refused by the CHECK (23514)", async () => {
  await client.query("INSERT INTO identities (subject_id, provider, provider_sub) VALUES (normalize_subject('dev'), 'test', 'dev')");
  await assert.rejects(
    client.query("INSERT INTO users (id, subject_id, email, role) VALUES ('u-dev-001', normalize_subject('dev'), 'dev@example.com', 'system_admin')"),
    { code: "23514", constraint: "users_id_check" });
});

test("the prefix map is in the registry", async () => {
  const { rows } = await client.query("SELECT entity, prefix FROM id_prefixes ORDER BY entity");
  assert.deepEqual(rows, [
    { entity: "audit_event", prefix: "aud" }, { entity: "container_instance", prefix: "ctr" },
    { entity: "customer", prefix: "cus" }, { entity: "user", prefix: "usr" }]);
});

test("the sign-up of examples/saas/README.md runs as written, and fails at COMMIT without its UPDATE", async () => {
  const readme = readFileSync(new URL("../../examples/saas/README.md", import.meta.url), "utf8");
  const signUpSql = /```sql\n(BEGIN;[\s\S]*?COMMIT;)\n```/.exec(readme)[1].replaceAll("<tenant uuid>", tenantId);
  // The docs' subject is the Zitadel number the circle test above signed up already: start clean.
  await client.query("DELETE FROM users WHERE subject_id = normalize_subject('335517149097361411'); DELETE FROM customers WHERE owner_subject_id = normalize_subject('335517149097361411'); DELETE FROM identities WHERE provider_sub = '335517149097361411'");
  await client.query(signUpSql);
  const { rows: [u] } = await client.query(
    "SELECT role, customer_id IS NOT NULL AS has_customer FROM users WHERE email = 'owner@apollo.example'");
  assert.deepEqual(u, { role: "customer_admin", has_customer: true });
  await client.query("DELETE FROM users WHERE email = 'owner@apollo.example'; DELETE FROM customers WHERE name = 'Apollo'; DELETE FROM identities WHERE provider = 'zitadel'");
  const withoutUpdate = signUpSql.replace(/UPDATE users[\s\S]*?;\n/, "");
  assert.notEqual(withoutUpdate, signUpSql);
  await assert.rejects(client.query(withoutUpdate), { code: "23502" });
  await client.query("ROLLBACK");
});
