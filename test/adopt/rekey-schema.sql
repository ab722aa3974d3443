-- Seed 004's shape for test/adopt/rekey and bench/rekey: tenants keyed by slug, referenced by 30
-- tables. placeholders (test/adopt/rekey replaces them): @rows@ (the moving tenant's rows over the 30 tables; six other tenants
-- hold rows/10 each), @mode@ ('mixed': NO ACTION, RESTRICT and CASCADE in turn; 'cascade': every FK
-- ON UPDATE CASCADE, for the single-transaction flip), @ids@ (the schema idconv lives in).
SET client_min_messages = warning;
CREATE TABLE tenants (
    id text PRIMARY KEY,
    name text NOT NULL,
    slug text UNIQUE,                       -- nullable: rekey parks it as NULL in the copy
    parent_id text,
    region text,                            -- the application updates it during the move
    CHECK (id <> ''),
    CHECK (length(id) <= 36)
);
CREATE TABLE tenant_ranges (tenant text PRIMARY KEY, lo bigint NOT NULL, hi bigint NOT NULL);
CREATE SEQUENCE wseq START 1000000000;

DO $$
DECLARE
    mode constant text := '@mode@';
    m constant bigint := greatest(@rows@ / 30, 20);
    o constant bigint := greatest(@rows@ / 300, 10);
    others constant text[] := ARRAY['tenant-curaway-admin', 'tenant-curaway-ops', 'tenant-mso-panel',
                                    'tenant-curaway-patients', 'tenant-istanbul', 'tenant-k6'];
    act text;
    t text;
    i int;
BEGIN
    EXECUTE format('ALTER TABLE tenants ADD FOREIGN KEY (parent_id) REFERENCES tenants ON UPDATE %s',
                   CASE WHEN mode = 'cascade' THEN 'CASCADE' ELSE 'NO ACTION' END);
    INSERT INTO tenant_ranges VALUES ('tenant-apollo-001', 1, m);
    FOR i IN 1 .. 6 LOOP
        INSERT INTO tenant_ranges VALUES (others[i], m + (i - 1) * o + 1, m + i * o);
    END LOOP;
    INSERT INTO tenants SELECT r.tenant, initcap(replace(r.tenant, '-', ' ')), r.tenant, NULL, 'eu' FROM tenant_ranges r;
    UPDATE tenants SET parent_id = 'tenant-apollo-001'
     WHERE id IN ('tenant-apollo-001', 'tenant-curaway-patients', 'tenant-mso-panel');
    UPDATE tenants SET parent_id = 'tenant-curaway-admin' WHERE id = 'tenant-curaway-ops';
    FOR i IN 1 .. 27 LOOP
        act := CASE WHEN mode = 'cascade' THEN 'CASCADE' ELSE (ARRAY['NO ACTION', 'RESTRICT', 'CASCADE'])[1 + i % 3] END;
        t := 't' || lpad(i::text, 2, '0');
        EXECUTE format('CREATE TABLE %I (id bigint PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants ON UPDATE %s,
                        payload text, n int NOT NULL DEFAULT 0, w boolean NOT NULL DEFAULT false)', t, act);
        EXECUTE format('INSERT INTO %I (id, tenant_id, payload)
                        SELECT g, r.tenant, md5(g::text) FROM tenant_ranges r, generate_series(r.lo, r.hi) g', t);
        EXECUTE format('CREATE INDEX ON %I (tenant_id)', t);
    END LOOP;
    -- the composite chain: projects (tenant_id, id) <- tasks (tenant_id, project_id) <- comments (tenant_id, task_id)
    act := CASE WHEN mode = 'cascade' THEN 'CASCADE' ELSE 'NO ACTION' END;
    EXECUTE format('CREATE TABLE projects (tenant_id text NOT NULL REFERENCES tenants ON UPDATE %s, id bigint,
                    payload text, n int NOT NULL DEFAULT 0, w boolean NOT NULL DEFAULT false, PRIMARY KEY (tenant_id, id))', act);
    EXECUTE format('CREATE TABLE tasks (tenant_id text NOT NULL REFERENCES tenants ON UPDATE %s, id bigint, project_id bigint,
                    payload text, n int NOT NULL DEFAULT 0, w boolean NOT NULL DEFAULT false, PRIMARY KEY (tenant_id, id),
                    FOREIGN KEY (tenant_id, project_id) REFERENCES projects ON UPDATE %s)',
                   act, CASE WHEN mode = 'cascade' THEN 'CASCADE' ELSE 'RESTRICT' END);
    EXECUTE format('CREATE TABLE comments (id bigint PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants ON UPDATE %s,
                    task_id bigint, payload text, n int NOT NULL DEFAULT 0, w boolean NOT NULL DEFAULT false,
                    FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, id) ON UPDATE %s)', act, act);
    INSERT INTO projects SELECT r.tenant, g, md5(g::text) FROM tenant_ranges r, generate_series(r.lo, r.hi) g;
    INSERT INTO tasks SELECT r.tenant, g, CASE WHEN g % 5 <> 0 THEN g END, md5(g::text) FROM tenant_ranges r, generate_series(r.lo, r.hi) g;
    INSERT INTO comments SELECT g, r.tenant, CASE WHEN g % 7 <> 0 THEN g END, md5(g::text) FROM tenant_ranges r, generate_series(r.lo, r.hi) g;
    CREATE INDEX ON tasks (tenant_id, project_id);
    CREATE INDEX ON comments (tenant_id, task_id);
END
$$;
ANALYZE;

-- The application's write: one insert (under the key resolve_key gives; retried on the
-- 23503 that an insert racing the final step gets) and one update by id. tno 28: a task under an
-- existing project, taking the tenant from the project row as a composite-FK application does;
-- tno 29: the tenant row itself.
CREATE FUNCTION app_tx(tenant text, tno int, rid bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    k text;
    tbl constant text := 't' || lpad(tno::text, 2, '0');
    tries int := 0;
BEGIN
    IF tno = 28 THEN
        LOOP
            BEGIN
                INSERT INTO tasks (tenant_id, id, project_id, payload, w)
                SELECT p.tenant_id, nextval('wseq'), p.id, 'w', true FROM projects p WHERE p.id = rid;
                EXIT;
            EXCEPTION WHEN foreign_key_violation THEN   -- the project moved after this statement read it
                tries := tries + 1;
                IF tries > 5 THEN RAISE; END IF;
            END;
        END LOOP;
        UPDATE tasks SET n = n + 1 WHERE id = rid;
        RETURN;
    ELSIF tno = 29 THEN
        UPDATE tenants SET region = md5(random()::text) WHERE id = @ids@.resolve_key('tenants', tenant);
        RETURN;
    END IF;
    LOOP
        k := @ids@.resolve_key('tenants', tenant);
        BEGIN
            EXECUTE format('INSERT INTO %I (id, tenant_id, payload, w) VALUES (nextval(''wseq''), $1, ''w'', true)', tbl) USING k;
            EXIT;
        EXCEPTION WHEN foreign_key_violation THEN
            tries := tries + 1;
            IF tries > 5 THEN RAISE; END IF;
        END;
    END LOOP;
    EXECUTE format('UPDATE %I SET n = n + 1 WHERE id = $1', tbl) USING rid;
END
$$;
CREATE FUNCTION tenant_of(rid bigint) RETURNS text LANGUAGE sql STABLE AS
$$ SELECT tenant FROM tenant_ranges WHERE rid BETWEEN lo AND hi $$;

-- One line per (table, key): the rows the test wrote (not the writers'), without the columns the
-- writers change, with old_key read as new_key (the expected state after moving old_key).
CREATE FUNCTION digest(old_key text DEFAULT NULL, new_key text DEFAULT NULL)
RETURNS TABLE (tbl text, key text, nrows bigint, md5 text) LANGUAGE plpgsql AS $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
               AND (c.relname ~ '^t[0-9][0-9]$' OR c.relname IN ('projects', 'tasks', 'comments')) ORDER BY 1 LOOP
        RETURN QUERY EXECUTE format(
            'SELECT %L, CASE WHEN x.tenant_id = $1 THEN $2 ELSE x.tenant_id END AS k, count(*),
                    md5(string_agg((to_jsonb(x) - ''tenant_id'' - ''n'' - ''w'')::text, '','' ORDER BY x.id))
               FROM %I x WHERE NOT x.w GROUP BY 2 ORDER BY 2', t, t) USING old_key, new_key;
    END LOOP;
    RETURN QUERY
        SELECT 'tenants', CASE WHEN x.id = old_key THEN new_key ELSE x.id END, 1::bigint,
               md5((to_jsonb(x) - 'id' - 'region' - 'parent_id')::text || ':' ||
                   coalesce(CASE WHEN x.parent_id = old_key THEN new_key ELSE x.parent_id END, '-'))
          FROM tenants x ORDER BY 2;
END
$$;
