// The tables of examples/saas that the app writes through Drizzle, declared with the database's
// defaults and CHECKs, so that drizzle-kit creates them as the migration does and inserts leave
// ids to the database (.default(sql`...`), not .$defaultFn(), which would make them in JavaScript).
import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";

export const tenants = pgTable("tenants", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [check("tenants_slug_check", sql`is_slug(${t.slug})`)]);

export const identities = pgTable("identities", {
  subjectId: uuid("subject_id").primaryKey(),
  provider: text("provider").notNull(),
  providerSub: text("provider_sub").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [unique().on(t.provider, t.providerSub)]);

export const users = pgTable("users", {
  id: text("id").primaryKey().default(sql`generate_prefixed_id('usr'::text)`),
  subjectId: uuid("subject_id").notNull().unique().references(() => identities.subjectId, { onDelete: "cascade" }),
  email: text("email").notNull().unique(),
  displayName: text("display_name"),
  role: text("role").notNull().default("customer_user"),
  customerId: text("customer_id").references(() => customers.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check("users_id_check", sql`is_prefixed_id(${t.id}, 'usr')`),
  check("users_role_check", sql`${t.role} IN ('system_admin', 'customer_admin', 'customer_user', 'customer_viewer')`),
  index("users_customer_id_idx").on(t.customerId),
]);

export const customers = pgTable("customers", {
  id: text("id").primaryKey().default(sql`generate_prefixed_id('cus'::text)`),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
  name: text("name").notNull(),
  ownerSubjectId: uuid("owner_subject_id").notNull().references(() => users.subjectId),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check("customers_id_check", sql`is_prefixed_id(${t.id}, 'cus')`),
  index("customers_tenant_id_idx").on(t.tenantId),
  index("customers_owner_subject_id_idx").on(t.ownerSubjectId),
]);
