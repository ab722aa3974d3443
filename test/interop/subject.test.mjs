// idconv's canonical subject ids against what an app computes with its own libraries:
//   subjectId(sub) = isUuid(sub) ? sub.toLowerCase() : uuid.v5(sub, NAMESPACE)
// over a real connection (npm pg) to a throwaway server. Connection settings come from the
// environment (PGHOST, PGPORT, PGUSER, PGPASSWORD), as pg_virtualenv sets them.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { v5 as uuidv5 } from "uuid";
import { xorshift } from "../unit/vectors/xorshift.mjs";

const NAMESPACE = "9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a";
const DATABASE = "idconv_interop";
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const appSubjectId = (sub) => (UUID_SHAPE.test(sub) ? sub.toLowerCase() : uuidv5(sub, NAMESPACE));

// Deterministic choices, so a failure names a subject that reproduces.
const { next, pick } = xorshift(0x1d2c3b4a);
const DIGITS = "0123456789";
const HEX = "0123456789abcdef";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const NAMES = ["ada", "grace", "Linus", "MÜLLER", "josé", "zoë", "山田", "Ålesund", "o'brien", "名前"];

function makeSubjects() {
  const subjects = [];
  for (let i = 0; i < 1500; i++) {
    subjects.push(String(1 + (next() % 9)) + pick(DIGITS, 17));          // Zitadel
    subjects.push("auth0|" + pick(HEX, 24));                              // Auth0 database users
    subjects.push("google-oauth2|" + pick(DIGITS, 21));                   // Auth0 social
    subjects.push("user_" + pick(BASE62, 27));                            // Clerk
    const name = NAMES[next() % NAMES.length];
    subjects.push(`${name}.${i}@Example.${["com", "de", "jp"][next() % 3]}`); // emails, mixed case
    subjects.push(`${name}-${pick(BASE62, 6)}-😀-\u00e9\u0301`);           // non-ASCII, combining marks
    const u = randomUUID();
    subjects.push(next() % 2 ? u : u.toUpperCase());                      // UUIDs, both cases
  }
  // Edges an app can meet: JSON escapes in the claims, spaces, separators, near-UUIDs.
  subjects.push('quote"inside', "back\\slash", "tab\tinside", " leading", "trailing ", "a|b|c", "x".repeat(4096));
  subjects.push(randomUUID().replaceAll("-", ""), `{${randomUUID()}}`, randomUUID() + " ");
  return subjects;
}

const subjects = makeSubjects();
let admin;
let client;

before(async () => {
  admin = new pg.Client({ database: "postgres" });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  // The configuration the docs recommend: the namespace is set once, on the database.
  await admin.query(`ALTER DATABASE ${DATABASE} SET idconv.subject_namespace = '${NAMESPACE}'`);
  client = new pg.Client({ database: DATABASE });
  await client.connect();
  await client.query("CREATE EXTENSION idconv");
});

after(async () => {
  await client?.end();
  await admin?.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin?.end();
});

test("at least 10k subjects of every kind", () => {
  assert.ok(subjects.length >= 10000, `${subjects.length} subjects`);
  assert.ok(subjects.some((s) => UUID_SHAPE.test(s) && s !== s.toLowerCase()), "upper-case UUIDs included");
});

test("normalize_subject(subject) equals the app's mapping for every subject", async () => {
  const { rows } = await client.query(
    "SELECT s.sub, normalize_subject(s.sub)::text AS id FROM unnest($1::text[]) WITH ORDINALITY AS s(sub, n) ORDER BY n",
    [subjects],
  );
  assert.equal(rows.length, subjects.length);
  for (let i = 0; i < rows.length; i++) {
    assert.equal(rows[i].sub, subjects[i], "the subject survived the round trip");
    assert.equal(rows[i].id, appSubjectId(subjects[i]), `subject ${JSON.stringify(subjects[i])}`);
  }
});

test("normalize_subject(subject, namespace) and uuidv5 equal uuid.v5", async () => {
  const other = randomUUID();
  const { rows } = await client.query(
    `SELECT normalize_subject(s.sub, $2::uuid)::text AS id, uuidv5($2::uuid, s.sub)::text AS v5
     FROM unnest($1::text[]) WITH ORDINALITY AS s(sub, n) ORDER BY n`,
    [subjects, other],
  );
  for (let i = 0; i < rows.length; i++) {
    const sub = subjects[i];
    assert.equal(rows[i].v5, uuidv5(sub, other), `uuidv5 of ${JSON.stringify(sub)}`);
    assert.equal(rows[i].id, UUID_SHAPE.test(sub) ? sub.toLowerCase() : uuidv5(sub, other));
  }
});

test("current_subject_id() with claims set per transaction, as PostgREST does, for every subject", async () => {
  for (let i = 0; i < subjects.length; i++) {
    const sub = subjects[i];
    await client.query("BEGIN");
    await client.query("SELECT set_config('request.jwt.claims', $1, true)", [
      JSON.stringify({ sub, role: "authenticated", aud: "authenticated" }),
    ]);
    const { rows } = await client.query("SELECT current_subject_id()::text AS id");
    await client.query("COMMIT");
    assert.equal(rows[0].id, appSubjectId(sub), `subject ${JSON.stringify(sub)}`);
    if (i % 1000 === 0) {
      const after = await client.query("SELECT current_subject_id() AS id");
      assert.equal(after.rows[0].id, null, "no subject once the transaction is over");
    }
  }
});

test("stamp_subject and row-level security: each subject owns, sees and keeps only its own rows", async () => {
  await client.query(`
    CREATE ROLE interop_authenticated NOLOGIN;
    CREATE TABLE notes (
      id text PRIMARY KEY DEFAULT generate_prefixed_id('note'),
      owner_subject_id uuid NOT NULL DEFAULT current_subject_id(),
      body text NOT NULL);
    CREATE TRIGGER notes_owner BEFORE INSERT OR UPDATE ON notes
      FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
    CREATE TRIGGER notes_owner_check AFTER INSERT OR UPDATE OR DELETE ON notes
      FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
    ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own ON notes USING (owner_subject_id = current_subject_id())
      WITH CHECK (owner_subject_id = current_subject_id());
    GRANT SELECT, INSERT, UPDATE ON notes TO interop_authenticated;`);
  try {
    const sample = subjects.filter((_, i) => i % 20 === 0);
    const victim = appSubjectId(sample[1]);
    for (const sub of sample) {
      await client.query("BEGIN");
      await client.query("SET LOCAL ROLE interop_authenticated");
      await client.query("SELECT set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub })]);
      // The client claims someone else's ownership; the database stamps the real subject.
      const ins = await client.query("INSERT INTO notes (body, owner_subject_id) VALUES ($1, $2) RETURNING owner_subject_id::text AS owner",
        [sub, victim]);
      const seen = await client.query("SELECT count(*)::int AS n FROM notes");
      await client.query("COMMIT");
      assert.equal(ins.rows[0].owner, appSubjectId(sub), `owner stamped for ${JSON.stringify(sub)}`);
      assert.equal(seen.rows[0].n, 1, "a subject sees only its own row");
    }
    await client.query("BEGIN");
    await client.query("SET LOCAL ROLE interop_authenticated");
    await client.query("SELECT set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: sample[0] })]);
    await assert.rejects(
      client.query("UPDATE notes SET owner_subject_id = $1", [victim]),
      (err) => err.code === "42501",
      "re-owning a row is refused with SQLSTATE 42501",
    );
    await client.query("ROLLBACK");
  } finally {
    await client.query("DROP TABLE IF EXISTS notes; DROP ROLE IF EXISTS interop_authenticated");
  }
});

test("malformed claims are SQLSTATE 22P02 over the wire", async () => {
  await client.query("BEGIN");
  await client.query("SELECT set_config('request.jwt.claims', $1, true)", ['{"sub":']);
  await assert.rejects(client.query("SELECT current_subject_id()"), (err) => err.code === "22P02");
  await client.query("ROLLBACK");
});
