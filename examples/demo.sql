-- idconv demo: the id conventions live in the database.
\set ON_ERROR_STOP off
\pset footer off
\echo
\echo '== 1. Install the extension'
CREATE EXTENSION idconv;

\echo
\echo '== 2. Tables whose ids the database makes and checks (usr_ for users, org_ for organizations)'
CREATE TABLE users (
  id    text PRIMARY KEY DEFAULT generate_prefixed_id('usr') CHECK (is_prefixed_id(id, 'usr')),
  email text NOT NULL UNIQUE
);
CREATE TABLE organizations (
  id   text PRIMARY KEY DEFAULT generate_prefixed_id('org') CHECK (is_prefixed_id(id, 'org')),
  name text NOT NULL
);
-- Every column that holds a user's id says so with a domain.
CREATE DOMAIN user_id AS text CHECK (is_prefixed_id(VALUE, 'usr'));
CREATE TABLE memberships (
  user_id         user_id NOT NULL REFERENCES users (id),
  organization_id text    NOT NULL REFERENCES organizations (id),
  PRIMARY KEY (user_id, organization_id)
);

\echo
\echo '== 3. Insert without ids: the defaults make them'
INSERT INTO users (email) VALUES ('ada@example.com'), ('grace@example.com') RETURNING id, email;
INSERT INTO organizations (name) VALUES ('Acme') RETURNING id, name;
INSERT INTO memberships SELECT u.id, o.id FROM users u, organizations o RETURNING *;

\echo
\echo '== 4. A hardcoded test id is rejected (SQLSTATE 23514, check_violation)'
INSERT INTO users (id, email) VALUES ('u-dev-001', 'dev@example.com');
\echo
\echo '== 5. So is an organization id where a user id belongs'
INSERT INTO memberships (user_id, organization_id) SELECT o.id, o.id FROM organizations o;

\echo
\echo '== 6. Inspect ids: the parts, and which values of a legacy column break the convention'
SELECT id, prefixed_id_prefix(id) AS prefix, prefixed_id_body(id) AS body, is_prefixed_id(id, 'usr') AS is_user_id
FROM (SELECT id FROM users UNION ALL SELECT id FROM organizations) ids;
SELECT legacy_id, is_prefixed_id(legacy_id, 'usr') AS conforms
FROM (VALUES ('u-dev-001'), ('u000'), ('cmk07b7n4000q08l2h3g7d9xz'), ((SELECT min(id) FROM users))) v(legacy_id);

\echo
\echo '== 7. Plain CUID2s, as @paralleldrive/cuid2 makes them'
SELECT generate_cuid2() AS default_24, generate_cuid2(10) AS short_10, is_cuid2('cmk07b7n4000q08l2h3g7d9xz') AS prisma_style_is_cuid2;

\echo
\echo '== 8. Canonical subject ids: the database maps an auth provider''s sub to one UUID'
-- Once per database (a superuser): the namespace non-UUID subjects are hashed into.
SET idconv.subject_namespace = '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a';
SELECT sub, normalize_subject(sub) AS subject_id
FROM (VALUES ('335517149097361411'), ('auth0|5f7c8ec7c33c6c004bbafe82'), ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')) v(sub);

\echo
\echo '== 9. Owner columns stamped from the request, as PostgREST sends it (claims set per transaction)'
CREATE TABLE notes (
  id               text PRIMARY KEY DEFAULT generate_prefixed_id('note'),
  owner_subject_id uuid NOT NULL DEFAULT current_subject_id(),
  body             text NOT NULL
);
CREATE TRIGGER notes_owner BEFORE INSERT OR UPDATE ON notes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
CREATE TRIGGER notes_owner_check AFTER INSERT OR UPDATE OR DELETE ON notes
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner_subject_id');
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub":"335517149097361411","role":"authenticated"}', true) AS claims;
-- The client says the note belongs to someone else; the database stamps the real subject.
INSERT INTO notes (body, owner_subject_id)
VALUES ('hello', '00000000-0000-0000-0000-000000000000') RETURNING body, owner_subject_id;
COMMIT;
\echo '-- Without a subject the insert is refused (SQLSTATE 42501):'
INSERT INTO notes (body) VALUES ('anonymous');
