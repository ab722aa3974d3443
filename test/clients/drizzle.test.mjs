// Drizzle against idconv: drizzle-kit generates and pushes drizzle/schema.js (defaults made by
// the database, the CHECKs declared) to a live server, and drizzle-orm/node-postgres queries the
// examples/saas database with the same table objects.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import pg from "pg";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { createDatabase, createSaasDatabase, dropDatabase } from "./lib/db.mjs";
import { customers, identities, tenants, users } from "./drizzle/schema.js";

const PUSHED = "idconv_clients_drizzle_push";
const SAAS = "idconv_clients_drizzle";
const here = new URL(".", import.meta.url).pathname;
const drizzleKit = (database, ...args) => spawnSync(`${here}node_modules/.bin/drizzle-kit`,
  [...args, "--config", "drizzle.config.js"],
  { cwd: here, env: { ...process.env, DRIZZLE_DATABASE: database }, encoding: "utf8" });

let pool;
let db;

before(async () => {
  await createDatabase(PUSHED);
  const c = new pg.Client({ database: PUSHED });
  await c.connect();
  await c.query("CREATE EXTENSION idconv");
  await c.end();
  await createSaasDatabase(SAAS);
  pool = new pg.Pool({ database: SAAS });
  db = drizzle(pool);
});

after(async () => {
  await pool?.end();
  await dropDatabase(PUSHED);
  await dropDatabase(SAAS);
});

test("drizzle-kit generate writes the database defaults and the CHECKs into the migration", () => {
  rmSync(`${here}drizzle/out`, { recursive: true, force: true });
  const r = drizzleKit(PUSHED, "generate");
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const file = readdirSync(`${here}drizzle/out`).find((f) => f.endsWith(".sql"));
  const migration = readFileSync(`${here}drizzle/out/${file}`, "utf8");
  assert.match(migration, /"id" text PRIMARY KEY DEFAULT generate_prefixed_id\('usr'::text\) NOT NULL/);
  assert.match(migration, /CONSTRAINT "users_id_check" CHECK \(is_prefixed_id\("users"."id", 'usr'\)\)/);
  assert.match(migration, /CONSTRAINT "tenants_slug_check" CHECK \(is_slug\("tenants"."slug"\)\)/);
});

test("drizzle-kit push creates the tables on a live server, and a second push finds nothing to change", async () => {
  const first = drizzleKit(PUSHED, "push", "--force");
  assert.equal(first.status, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /Changes applied/);
  const second = drizzleKit(PUSHED, "push", "--force", "--verbose");
  assert.equal(second.status, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /No changes detected/);

  const c = new pg.Client({ database: PUSHED });
  await c.connect();
  try {
    const { rows: [u] } = await c.query(
      "INSERT INTO identities VALUES (normalize_subject('x', '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a'), 't', 'x') RETURNING subject_id");
    const { rows: [made] } = await c.query(
      "INSERT INTO users (subject_id, email) VALUES ($1, 'x@example.com') RETURNING id", [u.subject_id]);
    assert.match(made.id, /^usr_[a-z][0-9a-z]{15}$/);
    await assert.rejects(c.query("INSERT INTO users (id, subject_id, email) VALUES ('u-dev-001', $1, 'y@example.com')",
      [u.subject_id]), { code: "23514", constraint: "users_id_check" });
    const { rows } = await c.query("SELECT * FROM audit_subject_references()");
    assert.deepEqual(rows, []);
  } finally {
    await c.end();
  }
});

test("drizzle-orm/node-postgres: inserts without ids, the circle in one transaction, reads back", async () => {
  const [tenant] = await db.insert(tenants).values({ slug: "curaway-ops", name: "Curaway Ops" }).returning();
  assert.match(tenant.id, /^[0-9a-f-]{36}$/);
  const owner = await db.transaction(async (tx) => {
    const [{ subjectId }] = await tx.insert(identities)
      .values({ subjectId: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", provider: "supabase", providerSub: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" })
      .returning();
    const [user] = await tx.insert(users).values({ subjectId, email: "ops@curaway.example", role: "customer_admin" }).returning();
    const [customer] = await tx.insert(customers).values({ tenantId: tenant.id, name: "Curaway", ownerSubjectId: subjectId }).returning();
    const [updated] = await tx.update(users).set({ customerId: customer.id }).where(eq(users.id, user.id)).returning();
    return updated;
  });
  assert.match(owner.id, /^usr_[a-z][0-9a-z]{15}$/);
  assert.match(owner.customerId, /^cus_[a-z][0-9a-z]{15}$/);
  const rows = await db.select({ user: users.id, customer: customers.id, tenant: tenants.slug })
    .from(users).innerJoin(customers, eq(customers.id, users.customerId)).innerJoin(tenants, eq(tenants.id, customers.tenantId));
  assert.deepEqual(rows, [{ user: owner.id, customer: owner.customerId, tenant: "curaway-ops" }]);
});

test("drizzle-orm: an insert with id 'u-dev-001' fails with 23514 and the constraint name", async () => {
  const error = await db.insert(users)
    .values({ id: "u-dev-001", subjectId: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", email: "dev@curaway.example", role: "system_admin" })
    .then(() => null, (e) => e);
  assert.ok(error, "the insert succeeded");
  // drizzle-orm wraps the driver's error; node-postgres's DatabaseError is its cause.
  assert.equal(error.cause.code, "23514");
  assert.equal(error.cause.constraint, "users_id_check");
  assert.equal(error.cause.table, "users");
});

test("drizzle-orm: a sign-up that forgets to close the circle fails at commit with 23502", async () => {
  const error = await db.transaction(async (tx) => {
    await tx.insert(identities).values({ subjectId: "b1d8e2f4-3c91-4f02-9c24-7c2f50ab3e10", provider: "t", providerSub: "forgot" });
    await tx.insert(users).values({ subjectId: "b1d8e2f4-3c91-4f02-9c24-7c2f50ab3e10", email: "forgot@curaway.example" });
  }).then(() => null, (e) => e);
  assert.ok(error, "the transaction committed");
  const pgError = error.cause ?? error;
  assert.equal(pgError.code, "23502");
  assert.match(pgError.message, /"customer_id" of relation "users" at the end of the transaction/);
  assert.equal((await db.select().from(users).where(eq(users.email, "forgot@curaway.example"))).length, 0);
});
