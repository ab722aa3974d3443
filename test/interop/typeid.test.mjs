// idconv's TypeIDs against the spec's official TypeScript implementation (npm typeid-js), over a
// real connection (npm pg) to a throwaway server: ids made by either side decode on the other to
// the same UUID and prefix. Connection settings come from the environment, as pg_virtualenv sets
// them.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { TypeID, typeid } from "typeid-js";
import { xorshift } from "../unit/vectors/xorshift.mjs";

const DATABASE = "idconv_interop_typeid";
const COUNT = 10000;

// Deterministic prefixes: none, short, snake_case with inner '_' (the split is at the last '_'),
// and the longest, 63.
const { next, pick } = xorshift(0x7e1d0c0a);
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const LOWER_ = LOWER + "_";
function makePrefix() {
  switch (next() % 5) {
    case 0: return "";
    case 1: return pick(LOWER, 1 + (next() % 8));
    case 2: return pick(LOWER, 1) + pick(LOWER_, next() % 20) + pick(LOWER, 1);
    case 3: return pick(LOWER, 2) + "_" + pick(LOWER, 3) + "_" + pick(LOWER, 2);
    default: return pick(LOWER, 1) + pick(LOWER_, 61) + pick(LOWER, 1);
  }
}
// A run of '_' can only be inner: the generator above never ends a prefix with one.
const prefixes = Array.from({ length: COUNT }, makePrefix);

let admin;
let client;

before(async () => {
  admin = new pg.Client({ database: "postgres" });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  client = new pg.Client({ database: DATABASE });
  await client.connect();
  await client.query("CREATE EXTENSION idconv");
});

after(async () => {
  await client?.end();
  await admin?.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin?.end();
});

test("10,000 TypeIDs from typeid-js decode in idconv to the same UUID and prefix", async () => {
  const made = prefixes.map((p) => typeid(p));
  const ids = made.map((t) => t.toString());
  const { rows } = await client.query(
    `SELECT s.id, typeid_to_uuid(s.id)::text AS uuid, typeid_prefix(s.id) AS prefix,
            is_typeid(s.id) AS valid, is_typeid(s.id, s.p) AS with_prefix, id_kind(s.id) AS kind,
            uuid_version(typeid_to_uuid(s.id)) AS version
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(id, p, n) ORDER BY n`,
    [ids, prefixes],
  );
  assert.equal(rows.length, COUNT);
  for (let i = 0; i < COUNT; i++) {
    const what = `typeid-js made ${ids[i]}`;
    assert.equal(rows[i].id, ids[i]);
    assert.equal(rows[i].uuid, made[i].toUUID(), what);
    assert.equal(rows[i].prefix, made[i].getType(), what);
    assert.equal(rows[i].prefix, prefixes[i], what);
    assert.equal(rows[i].valid, true, what);
    assert.equal(rows[i].with_prefix, true, what);
    assert.equal(rows[i].kind, "typeid", what);
    assert.equal(rows[i].version, 7, what);
  }
});

test("10,000 TypeIDs from idconv decode in typeid-js to the same UUID and prefix", async () => {
  const { rows } = await client.query(
    `SELECT s.p, t.id, typeid_to_uuid(t.id)::text AS uuid
     FROM unnest($1::text[]) WITH ORDINALITY AS s(p, n), LATERAL (SELECT generate_typeid(s.p) AS id) t ORDER BY n`,
    [prefixes],
  );
  assert.equal(rows.length, COUNT);
  for (let i = 0; i < COUNT; i++) {
    const what = `idconv made ${rows[i].id}`;
    assert.equal(rows[i].p, prefixes[i]);
    const parsed = TypeID.fromString(rows[i].id);
    assert.equal(parsed.getType(), prefixes[i], what);
    assert.equal(parsed.toUUID(), rows[i].uuid, what);
    assert.equal(parsed.toString(), rows[i].id, what);
    // The expected-prefix form: throws on a mismatch.
    assert.equal(TypeID.fromString(rows[i].id, prefixes[i]).toUUID(), rows[i].uuid, what);
    assert.equal(rows[i].uuid[14], "7", `${what}: a version 7 UUID`);
  }
});

test("10,000 UUIDs of any version encode alike (uuid_to_typeid and TypeID.fromUUID)", async () => {
  const uuids = prefixes.map((_, i) => (i % 2 ? randomUUID() : pick("0123456789abcdef", 32).replace(
    /^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5")));
  const { rows } = await client.query(
    `SELECT uuid_to_typeid(s.p, s.u::uuid) AS id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(p, u, n) ORDER BY n`,
    [prefixes, uuids],
  );
  for (let i = 0; i < COUNT; i++) {
    assert.equal(rows[i].id, TypeID.fromUUID(prefixes[i], uuids[i]).toString(), `uuid ${uuids[i]} prefix ${prefixes[i]}`);
  }
});

test("what typeid-js refuses, idconv refuses: 22P02 from typeid_to_uuid", async () => {
  const bad = ["User_01h455vb4pex5vsknk084sn02q", "user_81h455vb4pex5vsknk084sn02q", "user_01h455vb4pex5vsknk084sn02",
    "_01h455vb4pex5vsknk084sn02q", "user__01h455vb4pex5vsknk084sn02q", "user_01h455vb4pex5vsknk084sn02u"];
  for (const id of bad) {
    assert.throws(() => TypeID.fromString(id), undefined, `typeid-js accepts ${id}`);
    await assert.rejects(client.query("SELECT typeid_to_uuid($1)", [id]), (err) => err.code === "22P02", id);
    const { rows } = await client.query("SELECT is_typeid($1) AS valid", [id]);
    assert.equal(rows[0].valid, false, id);
  }
});
