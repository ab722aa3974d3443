// Shared by the tests in test/clients: fresh databases with examples/saas loaded, on the server
// that PGHOST, PGPORT, PGUSER and PGPASSWORD name (pg_virtualenv sets them).
import { readFileSync } from "node:fs";
import pg from "pg";

export const MIGRATION = new URL("../../../examples/saas/20261202000000_idconv_saas.sql", import.meta.url);
export const NAMESPACE = "9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a";

async function withAdmin(fn) {
  const admin = new pg.Client({ database: "postgres" });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

// A new, empty database (dropped first if a previous run left it).
export async function createDatabase(name) {
  await withAdmin(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  });
}

export async function dropDatabase(name) {
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

// A new database with the migration applied as a user would apply it: the whole file, as is, in
// one simple-protocol round trip (as psql -f or `supabase db push` sends it).
export async function createSaasDatabase(name) {
  await createDatabase(name);
  const client = new pg.Client({ database: name });
  await client.connect();
  try {
    await client.query(readFileSync(MIGRATION, "utf8"));
  } finally {
    await client.end();
  }
}

export const connectionString = (database) => {
  const url = new URL("postgresql://");
  url.hostname = process.env.PGHOST ?? "localhost";
  if (process.env.PGPORT) url.port = process.env.PGPORT;
  url.username = process.env.PGUSER ?? "postgres";
  if (process.env.PGPASSWORD) url.password = process.env.PGPASSWORD;
  url.pathname = `/${database}`;
  return url.toString();
};

// Signed-up users for the tests: an identity, a user and, unless system_admin, a customer owned
// by the user, in one transaction (the circle closes at COMMIT). Returns [{ sub, subjectId,
// userId, customerId }].
export async function signUp(client, tenantId, subs, role = "customer_admin") {
  const out = [];
  await client.query("BEGIN");
  try {
    for (const sub of subs) {
      const { rows: [id] } = await client.query(
        "INSERT INTO identities (subject_id, provider, provider_sub) VALUES (normalize_subject($1), 'test', $1) RETURNING subject_id",
        [sub]);
      const { rows: [user] } = await client.query(
        "INSERT INTO users (subject_id, email, role) VALUES ($1, $2, $3) RETURNING id",
        [id.subject_id, `${sub.replace(/[^a-z0-9]/gi, "")}@example.com`, role]);
      let customerId = null;
      if (role !== "system_admin") {
        const { rows: [customer] } = await client.query(
          "INSERT INTO customers (tenant_id, name, owner_subject_id) VALUES ($1, $2, $3) RETURNING id",
          [tenantId, `Customer of ${sub}`, id.subject_id]);
        customerId = customer.id;
        await client.query("UPDATE users SET customer_id = $1 WHERE id = $2", [customerId, user.id]);
      }
      out.push({ sub, subjectId: id.subject_id, userId: user.id, customerId });
    }
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK");
    throw e;
  }
  return out;
}
