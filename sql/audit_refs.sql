-- audit_subject_references: a schema modelled on a real audit of user-reference columns.
CREATE SCHEMA core;
CREATE SCHEMA kb;
CREATE TABLE core.user_profiles (subject_id uuid PRIMARY KEY, display_name text);
CREATE TABLE kb.projects (id uuid PRIMARY KEY);
CREATE TABLE kb.organization_memberships (
  org_id uuid NOT NULL,
  subject_id uuid NOT NULL REFERENCES core.user_profiles (subject_id) ON DELETE CASCADE,
  PRIMARY KEY (org_id, subject_id)
);
CREATE INDEX ON kb.organization_memberships (subject_id);
CREATE TABLE kb.chat_conversations (
  id uuid PRIMARY KEY,
  owner_subject_id uuid REFERENCES core.user_profiles (subject_id) ON DELETE SET NULL
);
CREATE INDEX ON kb.chat_conversations (owner_subject_id);
CREATE TABLE kb.notifications (id uuid PRIMARY KEY, user_id text, title text);
CREATE TABLE kb.audit_log (id bigserial PRIMARY KEY, user_id uuid, user_email text);
CREATE INDEX ON kb.audit_log (user_id);
-- An extraction job that points its subject at the wrong table, with no index.
CREATE TABLE kb.object_extraction_jobs (
  id uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES kb.projects (id),
  subject_id uuid REFERENCES kb.projects (id)
);
-- Columns that only look alike are not user references.
CREATE TABLE kb.documents (id uuid PRIMARY KEY, subject text, subject_ids uuid[], "Owner_ID" text);

-- With the profiles table: every problem, one row each.
SELECT * FROM audit_subject_references('kb', 'core.user_profiles');
-- Without it, any foreign key counts.
SELECT * FROM audit_subject_references('kb');
-- All schemas: the profiles table's own key is the source of truth, not a reference.
SELECT count(*) AS problems, count(*) FILTER (WHERE table_name = 'core.user_profiles'::regclass) AS in_profiles
FROM audit_subject_references();
-- A domain over uuid is a uuid.
CREATE DOMAIN kb.subject_id AS uuid;
CREATE TABLE kb.tasks (id uuid PRIMARY KEY,
  assignee_subject_id kb.subject_id REFERENCES core.user_profiles (subject_id));
CREATE INDEX ON kb.tasks (assignee_subject_id);
SELECT * FROM audit_subject_references('kb', 'core.user_profiles') WHERE table_name = 'kb.tasks'::regclass;
-- A partitioned table is reported once, through its parent.
CREATE TABLE kb.events (id bigint, created_by text) PARTITION BY RANGE (id);
CREATE TABLE kb.events_1 PARTITION OF kb.events FOR VALUES FROM (0) TO (1000);
CREATE TABLE kb.events_2 PARTITION OF kb.events FOR VALUES FROM (1000) TO (2000);
SELECT * FROM audit_subject_references('kb', 'core.user_profiles') WHERE table_name::text LIKE 'kb.events%';
-- An unknown schema has no problems; an unknown profiles table is an error.
SELECT count(*) AS none FROM audit_subject_references('nowhere');
SELECT * FROM audit_subject_references('kb', 'core.nope');
\echo :LAST_ERROR_SQLSTATE

DROP SCHEMA kb CASCADE;
DROP SCHEMA core CASCADE;
