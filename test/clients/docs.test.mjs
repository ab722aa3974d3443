// docs/stacks.md's recipes are the code test/clients runs: each code block under a
// "<!-- tested: FILE -->" note must appear verbatim in FILE, and every code block but shell
// commands must have such a note.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const doc = readFileSync(new URL("docs/stacks.md", root), "utf8");
const blocks = [...doc.matchAll(/(?:<!-- tested: (\S+) -->\n)?```(\w*)\n([\s\S]*?)\n```/g)]
  .map(([, file, lang, code]) => ({ file, lang, code }));

test("docs/stacks.md has tested recipes for Prisma, Drizzle, node-postgres, Supabase and PgBouncer", () => {
  const files = new Set(blocks.filter((b) => b.file).map((b) => b.file));
  for (const f of ["test/clients/prisma/schema.prisma", "test/clients/lib/prisma-errors.mjs", "test/clients/drizzle/schema.js",
    "test/clients/drizzle.config.js", "test/clients/lib/request.mjs", "test/clients/pg.test.mjs",
    "examples/saas/20261202000000_idconv_saas.sql", "test/clients/lib/pgbouncer.mjs"]) {
    assert.ok(files.has(f), `no recipe from ${f}`);
  }
});

test("every code block but shell commands names the file it is taken from", () => {
  const untested = blocks.filter((b) => !b.file && !["sh", "text"].includes(b.lang));
  assert.deepEqual(untested.map((b) => b.code.split("\n")[0]), []);
});

for (const [i, b] of blocks.entries()) {
  if (!b.file) continue;
  test(`recipe ${i + 1} (${b.lang}, ${b.code.split("\n").length} lines) is verbatim in ${b.file}`, () => {
    const source = readFileSync(new URL(b.file, root), "utf8");
    assert.ok(source.includes(b.code), `docs/stacks.md block ${i + 1} is not in ${b.file}:\n${b.code}`);
  });
}
