// Where should ids be made? 100,000 rows inserted in bulk through Prisma, Drizzle and
// node-postgres, with the id made in the app by @paralleldrive/cuid2 (as seed 001 does) or left to
// the column's DEFAULT generate_prefixed_id('usr'). Same table (with its CHECK), same rows, same
// server, same batches; each cell is the median of ROUNDS, the two ways interleaved.
// Run by bench/clients; writes the markdown table to the file named by the first argument.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { spawnSync } from "node:child_process";
import pg from "pg";
import { init } from "@paralleldrive/cuid2";
import { drizzle } from "drizzle-orm/node-postgres";
import { pgTable, text } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createDatabase, dropDatabase } from "./lib/db.mjs";

const ROWS = Number(process.env.BENCH_CLIENT_ROWS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_CLIENT_ROUNDS ?? 1);
const BATCH = 10_000;   // rows per statement for Drizzle and pg (Prisma batches by itself)
const DB = "idconv_bench_clients";
const out = process.argv[2];
const here = new URL(".", import.meta.url).pathname;

const gen = spawnSync(`${here}node_modules/.bin/prisma`, ["generate", "--schema", "prisma/bench.prisma"],
  { cwd: here, env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1" }, encoding: "utf8" });
if (gen.status !== 0) throw new Error(gen.stdout + gen.stderr);
const { PrismaClient } = await import("./prisma/generated-bench/index.js");
const { PrismaPg } = await import("@prisma/adapter-pg");

await createDatabase(DB);
const pool = new pg.Pool({ database: DB, max: 1 });
await pool.query("CREATE EXTENSION idconv");
await pool.query(`CREATE TABLE bench_users (
  id    text COLLATE "C" PRIMARY KEY DEFAULT generate_prefixed_id('usr') CHECK (is_prefixed_id(id, 'usr')),
  email text NOT NULL)`);
const prisma = new PrismaClient({ adapter: new PrismaPg({ database: DB, max: 1 }) });
const benchUsers = pgTable("bench_users", { id: text("id").primaryKey().default(sql`generate_prefixed_id('usr'::text)`), email: text("email").notNull() });
const db = drizzle(pool);

const createId = init({ length: 16 });                 // a 16-character body, as the DEFAULT makes
const appId = () => `usr_${createId()}`;
const emails = Array.from({ length: ROWS }, (_, i) => `user${i}@example.com`);
const batches = (rows) => Array.from({ length: Math.ceil(rows.length / BATCH) }, (_, b) => rows.slice(b * BATCH, (b + 1) * BATCH));

// Each insert function takes the rows as the app holds them: with ids (app) or without (database).
const clients = {
  Prisma: async (rows) => { await prisma.benchUser.createMany({ data: rows }); },
  Drizzle: async (rows) => { for (const b of batches(rows)) await db.insert(benchUsers).values(b); },
  pg: async (rows) => {
    for (const b of batches(rows)) {
      if (b[0].id === undefined) {
        await pool.query("INSERT INTO bench_users (email) SELECT * FROM unnest($1::text[])", [b.map((r) => r.email)]);
      } else {
        await pool.query("INSERT INTO bench_users (id, email) SELECT * FROM unnest($1::text[], $2::text[])",
          [b.map((r) => r.id), b.map((r) => r.email)]);
      }
    }
  },
};
const ways = {
  // The app makes the ids: the cost of making them is part of the insert.
  app: async (insert) => insert(emails.map((email) => ({ id: appId(), email }))),
  database: async (insert) => insert(emails.map((email) => ({ email }))),
};

const seconds = async (fn) => { const t = process.hrtime.bigint(); await fn(); return Number(process.hrtime.bigint() - t) / 1e9; };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm-up: each client once each way on 1,000 rows (JIT, connections, plan caches).
for (const insert of Object.values(clients)) {
  for (const way of Object.values(ways)) {
    await way((rows) => insert(rows.slice(0, 1000)));
    await pool.query("TRUNCATE bench_users");
  }
}

const times = {};
const idOnly = [];
for (let round = 0; round < ROUNDS; round++) {
  idOnly.push(await seconds(async () => { for (let i = 0; i < ROWS; i++) appId(); }));
  console.error(`round ${round + 1} ${ROWS} ids alone: ${idOnly.at(-1).toFixed(3)} s`);
  for (const [name, insert] of Object.entries(clients)) {
    const order = round % 2 ? ["database", "app"] : ["app", "database"];
    for (const way of order) {
      await pool.query("TRUNCATE bench_users");
      await pool.query("CHECKPOINT");
      const s = await seconds(() => ways[way](insert));
      const { rows: [{ n, ok }] } = await pool.query(
        "SELECT count(*)::int AS n, bool_and(is_prefixed_id(id, 'usr')) AS ok FROM bench_users");
      if (n !== ROWS || !ok) throw new Error(`${name}/${way}: ${n} rows, all valid: ${ok}`);
      ((times[name] ??= {})[way] ??= []).push(s);
      console.error(`round ${round + 1} ${name} ${way}: ${s.toFixed(3)} s`);
    }
  }
}

const server = (await pool.query("SELECT version() AS v")).rows[0].v.split(" on ")[0];
const pkg = (name) => JSON.parse(readFileSync(`${here}node_modules/${name}/package.json`, "utf8")).version;
await prisma.$disconnect();
await pool.end();
await dropDatabase(DB);

const fmt = (x) => x.toFixed(3);
const lines = [
  `# Ids made in the app or by the database: bulk inserts through the clients`,
  ``,
  `${new Date().toISOString().slice(0, 10)}, one run of \`${process.env.BENCH_CLIENT_COMMAND ?? "node test/clients/bench.mjs"}\`: ${ROWS.toLocaleString("en")} rows per insert, ${ROUNDS === 1 ? "one round" : `median of ${ROUNDS} rounds, the two ways interleaved`}; ` +
  `load average ${loadavg()[0].toFixed(1)} at the end; ${cpus().length} cores (${cpus()[0].model.trim()}), ${server}, node ${process.version}, ` +
  `@paralleldrive/cuid2 ${pkg("@paralleldrive/cuid2")}, Prisma ${pkg("@prisma/client")} with @prisma/adapter-pg, drizzle-orm ${pkg("drizzle-orm")}, pg ${pkg("pg")}.`,
  ``,
  `Table: \`id text COLLATE "C" PRIMARY KEY DEFAULT generate_prefixed_id('usr') CHECK (is_prefixed_id(id, 'usr')), email text NOT NULL\`, emptied before each insert. ` +
  `**app**: the rows carry \`'usr_' + createId()\` from \`init({ length: 16 })\`, made just before the insert and timed with it. ` +
  `**database**: the rows leave \`id\` out and the DEFAULT makes it. Prisma: one \`createMany\` (Prisma splits it); Drizzle: \`insert().values()\` per ${BATCH.toLocaleString("en")} rows; ` +
  `pg: \`INSERT … SELECT * FROM unnest($1::text[], …)\` per ${BATCH.toLocaleString("en")} rows.`,
  ``,
  `| client | app ids (s) | database DEFAULT (s) | app / database |`,
  `|---|---:|---:|---:|`,
  ...Object.entries(times).map(([name, t]) =>
    `| ${name} | ${fmt(median(t.app))} | ${fmt(median(t.database))} | ${(median(t.app) / median(t.database)).toFixed(2)} |`),
  ``,
  `Making ${ROWS.toLocaleString("en")} ids alone in node with @paralleldrive/cuid2: ${fmt(median(idOnly))} s ` +
  `(${(median(idOnly) / ROWS * 1e6).toFixed(2)} µs an id; the database's \`generate_prefixed_id\` costs about 0.6 µs an id, bench/results/2026-11-22.md).`,
  ``,
  `Every round (s): ` + Object.entries(times).map(([name, t]) => `${name} app ${t.app.map(fmt).join(", ")}; database ${t.database.map(fmt).join(", ")}`).join(". ") + `.`,
  ``,
];
writeFileSync(out, lines.join("\n"));
console.log(lines.join("\n"));
