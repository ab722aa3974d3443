// Starts Debian's pgbouncer in transaction mode in front of the server that PGHOST, PGPORT,
// PGUSER and PGPASSWORD name, on a free loopback port, with its configuration in a temporary
// directory. Returns { port, stop() }.
import { spawn, spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.on("error", reject);
  s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

export async function startPgBouncer({ database, poolSize }) {
  const dir = mkdtempSync(join(tmpdir(), "idconv-pgbouncer-"));
  const port = await freePort();
  const user = process.env.PGUSER ?? "postgres";
  const ini = `[databases]
${database} = host=${process.env.PGHOST ?? "localhost"} port=${process.env.PGPORT ?? 5432} dbname=${database}

[pgbouncer]
pool_mode = transaction
auth_type = scram-sha-256
ignore_startup_parameters = extra_float_digits
max_client_conn = 500
min_pool_size = 0
reserve_pool_size = 0
default_pool_size = ${poolSize}
max_db_connections = ${poolSize}
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_file = ${dir}/userlist.txt
admin_users = ${user}
logfile = ${dir}/pgbouncer.log
pidfile = ${dir}/pgbouncer.pid
`;
  writeFileSync(join(dir, "pgbouncer.ini"), ini);
  writeFileSync(join(dir, "userlist.txt"), `"${user}" "${process.env.PGPASSWORD ?? ""}"\n`, { mode: 0o600 });
  // pgbouncer refuses to run as root: as root, hand it the directory and run it as postgres.
  const args = [join(dir, "pgbouncer.ini")];
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout);
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout);
    for (const f of ["", "pgbouncer.ini", "userlist.txt"]) chownSync(join(dir, f), uid, gid);
    args.unshift("-u", "postgres");
  }
  const binary = ["/usr/sbin/pgbouncer", "pgbouncer"].find((b) => spawnSync(b, ["--version"]).status === 0);
  if (!binary) throw new Error("pgbouncer is not installed (scripts/setup-debian installs it)");
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  const log = () => { try { return readFileSync(join(dir, "pgbouncer.log"), "utf8"); } catch { return ""; } };

  // Ready when a client gets through to the server.
  for (let i = 0; ; i++) {
    const c = new pg.Client({ host: "127.0.0.1", port, database });
    try {
      await c.connect();
      await c.query("SELECT 1");
      await c.end();
      break;
    } catch (e) {
      await c.end().catch(() => {});
      if (child.exitCode !== null || i >= 100) {
        child.kill();
        throw new Error(`pgbouncer did not start: ${e.message}\n${stderr}\n${log()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
