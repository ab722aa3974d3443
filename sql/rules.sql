-- The conventions as the database's own rules: DEFAULT, CHECK, DOMAIN.
CREATE TABLE users (
  id    text PRIMARY KEY DEFAULT generate_prefixed_id('usr') CHECK (is_prefixed_id(id, 'usr')),
  email text NOT NULL UNIQUE
);
CREATE TABLE organizations (
  id   text PRIMARY KEY DEFAULT generate_prefixed_id('org') CHECK (is_prefixed_id(id, 'org')),
  name text NOT NULL
);

INSERT INTO users (email) SELECT 'user' || g || '@example.com' FROM generate_series(1, 1000) g;
INSERT INTO organizations (name) VALUES ('Acme');
INSERT INTO organizations (id, name) VALUES ('org_ght4k2jxm7pqbv01', 'Globex');
SELECT count(*) AS users, bool_and(id ~ '^usr_[a-z][0-9a-z]{15}$') AS all_usr FROM users;
SELECT count(*) AS orgs, bool_and(id ~ '^org_[a-z][0-9a-z]{15}$') AS org_ok FROM organizations;

-- What polluted columns hold is refused.
INSERT INTO users (id, email) VALUES ('u-dev-001', 'dev@example.com');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO users (id, email) VALUES ('u000', 'manual@example.com');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO users (id, email) VALUES ('USR_ght4k2jxm7pqbv01', 'upper@example.com');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO users (id, email) VALUES ('usr_ght4k2jxm7pqbv0', 'short@example.com');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO users (id, email) VALUES ('org_ght4k2jxm7pqbv01', 'org@example.com');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO users (id, email) VALUES ('cmk07b7n4000q08l2h3g7d9xz', 'prisma@example.com');
-- A well-formed id supplied by the client passes the check.
INSERT INTO users (id, email) VALUES ('usr_ght4k2jxm7pqbv01', 'stripe-style@example.com');
UPDATE users SET id = 'u-dev-001' WHERE email = 'stripe-style@example.com';
\echo :LAST_ERROR_SQLSTATE

-- A domain carries the rule to every column that uses it.
CREATE DOMAIN user_id AS text CHECK (is_prefixed_id(VALUE, 'usr'));
CREATE TABLE container_instances (
  id          text PRIMARY KEY DEFAULT generate_prefixed_id('ctr'),
  customer_id user_id NOT NULL REFERENCES users (id)
);
INSERT INTO container_instances (customer_id) SELECT id FROM users ORDER BY email LIMIT 3;
SELECT count(*) AS instances FROM container_instances;
INSERT INTO container_instances (customer_id) VALUES ('u-dev-001');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO container_instances (customer_id) VALUES ('u000');
INSERT INTO container_instances (customer_id) VALUES ('USR_ght4k2jxm7pqbv01');
INSERT INTO container_instances (customer_id) VALUES ('usr_ght4k2jxm7pqbv0');
INSERT INTO container_instances (customer_id) VALUES ('org_ght4k2jxm7pqbv01');
SELECT 'u-dev-001'::user_id;
SELECT 'usr_ght4k2jxm7pqbv01'::user_id AS cast_ok;

-- Auditing an existing column: which values break the convention.
CREATE TABLE legacy (customer_id text);
INSERT INTO legacy VALUES ('u-dev-001'), ('u000'), ('usr_ght4k2jxm7pqbv01'), ('cmk07b7n4000q08l2h3g7d9xz'), (NULL);
SELECT customer_id, is_prefixed_id(customer_id, 'usr') AS ok FROM legacy ORDER BY customer_id;

-- Generators run in parallel workers (PARALLEL SAFE).
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
CREATE TABLE many AS SELECT g FROM generate_series(1, 50000) g;
ANALYZE many;
-- The generator sits below the Gather: the workers call it. (The scan alone: how the DISTINCT
-- aggregate below gets its input sorted differs between majors, 16 sorting in the workers.)
EXPLAIN (COSTS OFF, VERBOSE)
SELECT generate_prefixed_id('usr') AS id FROM many;
SELECT count(DISTINCT id) AS distinct_parallel, bool_and(is_prefixed_id(id, 'usr')) AS all_valid
FROM (SELECT generate_prefixed_id('usr') AS id FROM many) s;
RESET ALL;

DROP TABLE many, legacy, container_instances, organizations, users;
DROP DOMAIN user_id;
