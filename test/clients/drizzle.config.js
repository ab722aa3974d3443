// drizzle-kit's configuration: the connection comes from the environment (PGHOST, PGPORT,
// PGUSER, PGPASSWORD, as pg_virtualenv sets them) and the database from DRIZZLE_DATABASE.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./drizzle/schema.js",
  out: "./drizzle/out",
  // Only the app's tables: id_prefixes belongs to the extension, and push must leave it alone.
  tablesFilter: ["tenants", "identities", "users", "customers"],
  dbCredentials: {
    host: process.env.PGHOST ?? "localhost",
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? "postgres",
    password: process.env.PGPASSWORD,
    database: process.env.DRIZZLE_DATABASE ?? "postgres",
    ssl: false,
  },
});
