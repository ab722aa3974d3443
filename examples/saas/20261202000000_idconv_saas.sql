-- The seed system as one schema on idconv: tenants, identities, users, customers, owned rows,
-- an audit log and the row-level security that ties them to the request's subject.
--
-- A Supabase migration as it stands (supabase/migrations/<this file>), and plain SQL for any other
-- PostgreSQL 15+ where idconv is installed: `psql -v ON_ERROR_STOP=1 -f <this file>`.
-- Run it as a superuser, or as a database owner who was granted
-- `SET ON PARAMETER idconv.subject_namespace` (the namespace is set on the database below).
-- examples/saas/README.md walks through it.

CREATE EXTENSION IF NOT EXISTS idconv;

-- Supabase creates these roles; a plain server gets them here so the grants below read the same.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN
        CREATE ROLE anon NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN
        CREATE ROLE authenticated NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN
        CREATE ROLE service_role NOLOGIN BYPASSRLS;
    END IF;
END
$$;

-- The namespace that non-UUID subs (Zitadel, Auth0, Clerk) are hashed into. Pick your own once
-- (SELECT gen_random_uuid()) before the first deploy, keep it in the app's configuration too, and
-- never change it: every derived subject id depends on it. New connections read it from the
-- database; this session needs it now for the rows the migration itself might stamp.
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET idconv.subject_namespace = %L',
                   current_database(), '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a');
    PERFORM set_config('idconv.subject_namespace', '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a', false);
END
$$;

-- The prefix map (seed 001), kept in the database where psql, audits and new code can read it.
SELECT register_prefix(entity, prefix, description)
FROM (VALUES ('user', 'usr', 'people who sign in'),
             ('customer', 'cus', 'paying accounts; each has an owner user'),
             ('container_instance', 'ctr', 'provisioned containers, owned by the user who made them'),
             ('audit_event', 'aud', 'one row per change to an audited table')) AS m(entity, prefix, description);

-- Tenants (seed 004): the UUID never changes and is what foreign keys, headers and claims carry;
-- the slug is for people and may change.
CREATE TABLE tenants (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug       text NOT NULL UNIQUE CHECK (is_slug(slug)),
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per authenticated subject (seed 003). subject_id is normalize_subject(sub): the same
-- UUID whichever provider signed the user in. The provider's raw sub is kept here and nowhere else.
CREATE TABLE identities (
    subject_id   uuid PRIMARY KEY,
    provider     text NOT NULL,
    provider_sub text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, provider_sub)
);
COMMENT ON COLUMN identities.subject_id IS 'normalize_subject(provider_sub): the canonical user id';

-- Users (seeds 000, 001, 002): usr_ ids made by the database, so a hand-typed 'u-dev-001' or an
-- ORM's own cuid() cannot get in. A user belongs to a customer, except a system_admin.
CREATE TABLE users (
    id           text COLLATE "C" PRIMARY KEY DEFAULT generate_prefixed_id('usr')
                 CHECK (is_prefixed_id(id, 'usr')),
    subject_id   uuid NOT NULL UNIQUE REFERENCES identities (subject_id) ON DELETE CASCADE,
    email        text NOT NULL UNIQUE,
    display_name text,
    role         text NOT NULL DEFAULT 'customer_user'
                 CHECK (role IN ('system_admin', 'customer_admin', 'customer_user', 'customer_viewer')),
    customer_id  text COLLATE "C",
    created_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN users.subject_id IS 'Canonical internal user id (normalize_subject of the JWT sub)';

-- Customers: each has an owner, a user, who in turn belongs to the customer. Both foreign keys
-- are deferred so the circle can be closed inside one transaction.
CREATE TABLE customers (
    id               text COLLATE "C" PRIMARY KEY DEFAULT generate_prefixed_id('cus')
                     CHECK (is_prefixed_id(id, 'cus')),
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    name             text NOT NULL,
    owner_subject_id uuid NOT NULL REFERENCES users (subject_id) DEFERRABLE INITIALLY DEFERRED,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_tenant_id_idx ON customers (tenant_id);
CREATE INDEX customers_owner_subject_id_idx ON customers (owner_subject_id);

ALTER TABLE users ADD CONSTRAINT users_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX users_customer_id_idx ON users (customer_id);

-- NULL customer_id is allowed inside the sign-up transaction, not at its end, unless the user is
-- a system_admin (seed 002's table of valid states, enforced instead of documented).
CREATE CONSTRAINT TRIGGER users_customer_filled
    AFTER INSERT OR UPDATE ON users DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('customer_id', 'role', 'system_admin');

-- Helpers for the policies. SECURITY DEFINER so that a policy on users can ask about users
-- without recursing into its own policy; they return only the caller's own facts.
CREATE FUNCTION current_customer_id() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, extensions, pg_temp
AS $$ SELECT customer_id FROM public.users WHERE subject_id = current_subject_id() $$;
COMMENT ON FUNCTION current_customer_id() IS 'The customer of the request''s subject, or NULL';

CREATE FUNCTION is_system_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, extensions, pg_temp
AS $$ SELECT coalesce((SELECT role = 'system_admin' FROM public.users WHERE subject_id = current_subject_id()), false) $$;
COMMENT ON FUNCTION is_system_admin() IS 'True when the request''s subject is a system_admin';

-- Owned rows (seed 000's ContainerInstance): the owner and the customer come from the request,
-- never from the client. stamp_subject sets the owner on insert and freezes it; the policies
-- filter every read and write to the caller's own rows.
CREATE TABLE container_instances (
    id               text COLLATE "C" PRIMARY KEY DEFAULT generate_prefixed_id('ctr')
                     CHECK (is_prefixed_id(id, 'ctr')),
    customer_id      text COLLATE "C" NOT NULL DEFAULT current_customer_id() REFERENCES customers (id),
    owner_subject_id uuid NOT NULL DEFAULT current_subject_id() REFERENCES users (subject_id),
    name             text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX container_instances_customer_id_idx ON container_instances (customer_id);
CREATE INDEX container_instances_owner_subject_id_idx ON container_instances (owner_subject_id);
CREATE TRIGGER container_instances_stamp_owner BEFORE INSERT OR UPDATE ON container_instances
    FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');

-- The audit log: who did what, the actor being the request's subject (NULL for maintenance run
-- without one). Only the trigger writes it; an actor's rows outlive the actor's user row.
CREATE TABLE audit_log (
    id               text COLLATE "C" PRIMARY KEY DEFAULT generate_prefixed_id('aud')
                     CHECK (is_prefixed_id(id, 'aud')),
    actor_subject_id uuid REFERENCES users (subject_id) ON DELETE SET NULL,
    table_name       text NOT NULL,
    row_id           text NOT NULL,
    action           text NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),
    at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_actor_subject_id_idx ON audit_log (actor_subject_id);
CREATE INDEX audit_log_row_idx ON audit_log (table_name, row_id);

CREATE FUNCTION audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, extensions, pg_temp
AS $$
BEGIN
    INSERT INTO public.audit_log (actor_subject_id, table_name, row_id, action)
    VALUES (current_subject_id(), TG_TABLE_NAME,
            CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, TG_OP);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit_row() IS 'AFTER row trigger: one audit_log row, actor = current_subject_id()';

CREATE TRIGGER container_instances_audit AFTER INSERT OR UPDATE OR DELETE ON container_instances
    FOR EACH ROW EXECUTE FUNCTION audit_row();
CREATE TRIGGER customers_audit AFTER INSERT OR UPDATE OR DELETE ON customers
    FOR EACH ROW EXECUTE FUNCTION audit_row();

-- Row-level security, written with current_subject_id(): it reads the sub of request.jwt.claims
-- as PostgREST and Supabase set it, and works for any provider's sub (auth.uid() casts the sub to
-- uuid and fails on the first Zitadel, Auth0 or Clerk user).
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE container_instances ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenants_read ON tenants FOR SELECT TO authenticated USING (true);
CREATE POLICY identities_own ON identities FOR SELECT TO authenticated
    USING (subject_id = current_subject_id());
-- Users see themselves, their customer's users, and a system_admin sees everyone.
CREATE POLICY users_read ON users FOR SELECT TO authenticated
    USING (subject_id = current_subject_id() OR customer_id = current_customer_id() OR is_system_admin());
CREATE POLICY users_update_self ON users FOR UPDATE TO authenticated
    USING (subject_id = current_subject_id()) WITH CHECK (subject_id = current_subject_id());
CREATE POLICY customers_read ON customers FOR SELECT TO authenticated
    USING (id = current_customer_id() OR is_system_admin());
CREATE POLICY container_instances_own ON container_instances TO authenticated
    USING (owner_subject_id = current_subject_id())
    WITH CHECK (owner_subject_id = current_subject_id() AND customer_id = current_customer_id());
CREATE POLICY audit_log_own ON audit_log FOR SELECT TO authenticated
    USING (actor_subject_id = current_subject_id());

GRANT SELECT ON tenants, identities, users, customers, audit_log TO authenticated;
GRANT UPDATE (display_name) ON users TO authenticated;   -- not customer_id, not role
GRANT SELECT, INSERT, DELETE ON container_instances TO authenticated;
GRANT UPDATE (name) ON container_instances TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, identities, users, customers, container_instances TO service_role;
GRANT SELECT ON audit_log TO service_role;
