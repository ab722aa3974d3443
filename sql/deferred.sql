-- require_filled_at_commit: circular ownership (users.customer_id <-> customers.owner_id).
CREATE TABLE users (
  id          text PRIMARY KEY DEFAULT generate_prefixed_id('usr'),
  email       text NOT NULL UNIQUE,
  role        text NOT NULL DEFAULT 'member',
  customer_id text
);
CREATE TABLE customers (
  id       text PRIMARY KEY DEFAULT generate_prefixed_id('cus'),
  owner_id text NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE users ADD FOREIGN KEY (customer_id) REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED;
CREATE CONSTRAINT TRIGGER users_customer_filled
  AFTER INSERT OR UPDATE ON users DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('customer_id', 'role', 'system_admin', 'support');

-- The whole flow: the owner exists with no customer, the customer is made, the owner updated.
BEGIN;
INSERT INTO users (id, email) VALUES ('usr_ght4k2jxm7pqbv01', 'owner@example.com');
INSERT INTO customers (id, owner_id) VALUES ('cus_ght4k2jxm7pqbv01', 'usr_ght4k2jxm7pqbv01');
UPDATE users SET customer_id = 'cus_ght4k2jxm7pqbv01' WHERE id = 'usr_ght4k2jxm7pqbv01';
COMMIT;
SELECT u.email, c.id AS customer FROM users u JOIN customers c ON c.id = u.customer_id;

-- Forgetting the update fails at COMMIT, naming the table, the column and the row.
BEGIN;
INSERT INTO users (id, email) VALUES ('usr_hkt4k2jxm7pqbv02', 'forgot@example.com');
INSERT INTO customers (id, owner_id) VALUES ('cus_hkt4k2jxm7pqbv02', 'usr_hkt4k2jxm7pqbv02');
COMMIT;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS forgotten_rows FROM users WHERE email = 'forgot@example.com';

-- Exempt values: a system_admin or a support user may have no customer.
BEGIN;
INSERT INTO users (id, email, role) VALUES ('usr_root00000000000a', 'root@example.com', 'system_admin'),
                                        ('usr_help00000000000a', 'help@example.com', 'support');
COMMIT;
SELECT email, role, customer_id FROM users WHERE customer_id IS NULL ORDER BY email;
-- ... but not once they become a plain member.
UPDATE users SET role = 'member' WHERE email = 'help@example.com';
\echo :LAST_ERROR_SQLSTATE

-- Without a deferred trigger the same row fails at once; SET CONSTRAINTS brings the check forward.
BEGIN;
INSERT INTO users (id, email) VALUES ('usr_jkt4k2jxm7pqbv03', 'early@example.com');
SET CONSTRAINTS users_customer_filled IMMEDIATE;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- A row deleted before commit needs nothing.
BEGIN;
INSERT INTO users (email) VALUES ('gone@example.com');
DELETE FROM users WHERE email = 'gone@example.com';
COMMIT;
-- A row whose later update fills the column passes, whichever version the event saw.
BEGIN;
INSERT INTO users (id, email) VALUES ('usr_kkt4k2jxm7pqbv04', 'late@example.com');
UPDATE users SET email = 'late2@example.com' WHERE id = 'usr_kkt4k2jxm7pqbv04';
INSERT INTO customers (id, owner_id) VALUES ('cus_kkt4k2jxm7pqbv04', 'usr_kkt4k2jxm7pqbv04');
UPDATE users SET customer_id = 'cus_kkt4k2jxm7pqbv04' WHERE id = 'usr_kkt4k2jxm7pqbv04';
COMMIT;
SELECT count(*) AS users FROM users;

-- Without an exemption list, the column is simply required at commit.
CREATE TABLE orders (id int PRIMARY KEY, invoice_id text);
CREATE CONSTRAINT TRIGGER orders_invoice_filled AFTER INSERT OR UPDATE ON orders
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('invoice_id');
BEGIN;
INSERT INTO orders VALUES (1, NULL);
UPDATE orders SET invoice_id = 'inv_ght4k2jxm7pqbv01';
COMMIT;
INSERT INTO orders VALUES (2, NULL);
\echo :LAST_ERROR_SQLSTATE

-- Triggers set up wrongly are clear errors when they fire.
CREATE TABLE wrong (id int PRIMARY KEY, a text, kind text);
CREATE CONSTRAINT TRIGGER t AFTER INSERT OR UPDATE ON wrong FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('nope');
INSERT INTO wrong VALUES (1, NULL, NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON wrong;
CREATE CONSTRAINT TRIGGER t AFTER INSERT OR UPDATE ON wrong FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit();
INSERT INTO wrong VALUES (1, NULL, NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON wrong;
CREATE CONSTRAINT TRIGGER t AFTER INSERT OR UPDATE ON wrong FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('a', 'kind');
INSERT INTO wrong VALUES (1, NULL, NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON wrong;
CREATE CONSTRAINT TRIGGER t AFTER INSERT OR UPDATE ON wrong FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('a', 'nope', 'x');
INSERT INTO wrong VALUES (1, NULL, NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON wrong;
CREATE TRIGGER t BEFORE INSERT OR UPDATE ON wrong FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('a');
INSERT INTO wrong VALUES (1, NULL, NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON wrong;
CREATE TRIGGER t AFTER INSERT OR UPDATE ON wrong FOR EACH STATEMENT EXECUTE FUNCTION require_filled_at_commit('a');
INSERT INTO wrong VALUES (1, NULL, NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON wrong;
-- Declared for INSERT only, an UPDATE back to NULL would go unchecked: refused when it fires.
CREATE CONSTRAINT TRIGGER t AFTER INSERT ON wrong FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('a');
INSERT INTO wrong VALUES (1, NULL, NULL);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER t ON wrong;
-- A foreign table has no table access method to ask whether a row version is still live.
CREATE EXTENSION postgres_fdw;
DO $$ BEGIN
  EXECUTE format('CREATE SERVER loopback FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname %L, port %L, host %L)',
                 current_database(), current_setting('port'),
                 split_part(current_setting('unix_socket_directories'), ',', 1));
END $$;
CREATE USER MAPPING FOR CURRENT_USER SERVER loopback;
CREATE FOREIGN TABLE wrong_remote (id int, a text, kind text) SERVER loopback OPTIONS (table_name 'wrong');
CREATE TRIGGER t AFTER INSERT OR UPDATE ON wrong_remote FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit('a');
INSERT INTO wrong_remote VALUES (7, NULL, NULL);
\echo :LAST_ERROR_SQLSTATE
DROP EXTENSION postgres_fdw CASCADE;

DROP TABLE wrong, orders;
ALTER TABLE users DROP CONSTRAINT users_customer_id_fkey;
DROP TABLE customers, users;
