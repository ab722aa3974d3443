-- Calls every function of idconv that takes text over the whole corpus (hostile-corpus.sql), each
-- call in its own subtransaction, and records per form of call how many calls raised which
-- SQLSTATE (NULL: returned) in h.outcome. test/cluster/hostile compares that with the SQLSTATEs
-- the docs document for the function.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = h, public;

-- What the docs document, per function that takes text ("Errors and the C++ boundary", and
-- each function's section). An empty set: the function never raises. A function of the extension
-- that takes text and is not listed here fails the test "every function that takes text is
-- documented here", and is still called, with no SQLSTATE allowed.
CREATE TABLE documented (fn text PRIMARY KEY, states text[] NOT NULL);
INSERT INTO documented VALUES
  ('generate_prefixed_id(text,integer)', '{22023}'),   -- bad prefix or body length
  ('is_valid_prefix(text)', '{}'),                     -- validators: never raise
  ('is_cuid2(text,integer,integer)', '{}'),
  ('is_prefixed_id(text,text,integer)', '{}'),
  ('prefixed_id_prefix(text)', '{}'),                  -- NULL when not a prefixed id
  ('prefixed_id_body(text)', '{}'),
  ('uuidv5(uuid,text)', '{}'),                         -- no error documented
  ('normalize_subject(text,uuid)', '{22023}'),         -- empty subject
  ('normalize_subject(text)', '{22023,55000}'),        -- empty subject; namespace unset or invalid
  ('sha1_subject_uuid(text)', '{}'),
  ('subject_kind(text)', '{}'),                        -- a classifier: never raises
  ('resolve_key(regclass,text)', '{}'),                -- the key itself when no alias
  ('register_prefix(text,text,text,text)', '{22004,22023,23505,23514,42501}'),
  ('generate_id_for(text)', '{22023}'),                -- unknown entity
  ('entity_of(text)', '{}'),                           -- NULL when not registered
  ('id_kind(text)', '{}'),                             -- "never raises, whatever the text"
  ('is_slug(text)', '{}'),                             -- "never raises"
  ('slugify(text)', '{}'),                             -- no error documented
  ('generate_typeid(text)', '{22023}'),                -- bad prefix
  ('is_typeid(text,text)', '{}'),                      -- validators: never raise
  ('typeid_to_uuid(text)', '{22P02}'),                 -- not a TypeID
  ('uuid_to_typeid(text,uuid)', '{22023}'),            -- bad prefix
  ('typeid_prefix(text)', '{}');                       -- NULL when not a TypeID

-- The functions of the extension that take text, from the catalog.
CREATE VIEW text_functions AS
SELECT p.oid, p.proname, p.proargtypes::regtype[] AS argtypes,
       format('%s(%s)', p.proname, array_to_string(p.proargtypes::regtype[]::text[], ',')) AS fn
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'idconv'
WHERE 'text'::regtype = ANY (p.proargtypes::regtype[])
  -- Functions a query calls. The adoption procedures (CALL) and their helpers (names from "_"),
  -- which change tables and commit, have their bad input tested by test/adopt.
  AND p.prokind = 'f' AND p.proname !~ '^_';

-- Tables for the forms that need one: an owner column stamped from the claims, a commit-time
-- check whose exempt values are hostile strings.
CREATE TABLE owned (i int PRIMARY KEY, claimed text NOT NULL, owner uuid);
CREATE TRIGGER owned_stamp BEFORE INSERT OR UPDATE ON owned
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner');
CREATE TRIGGER owned_stamp_check AFTER INSERT OR UPDATE OR DELETE ON owned
  FOR EACH ROW EXECUTE FUNCTION stamp_subject('owner');
CREATE TABLE filled (i int PRIMARY KEY, v text NOT NULL, f text);
CREATE TABLE exempt AS
SELECT s AS v, i FROM corpus WHERE kind NOT LIKE 'big:%' ORDER BY i % 997, i LIMIT 50;
DO $$ BEGIN
  EXECUTE format('CREATE CONSTRAINT TRIGGER filled_f AFTER INSERT OR UPDATE ON h.filled '
                 'FOR EACH ROW EXECUTE FUNCTION require_filled_at_commit(''f'', ''v'', %s)',
                 (SELECT string_agg(quote_literal(v), ', ' ORDER BY i) FROM h.exempt));
END $$;

-- The forms of call: ord, name, the function (for its documented SQLSTATEs), the statement run
-- with i (the corpus row) and s (its text), the SQLSTATEs allowed, which corpus rows.
CREATE TABLE forms (ord int PRIMARY KEY, name text NOT NULL, fn text NOT NULL, stmt text NOT NULL,
                    allowed text[], rows text NOT NULL DEFAULT 'true');
-- Every text function with every text argument s (integers 16, the uuid the namespace).
-- register_prefix first, so that generate_id_for and entity_of meet the hostile entities.
INSERT INTO forms (ord, name, fn, stmt)
SELECT 100 + row_number() OVER (ORDER BY f.proname <> 'register_prefix', f.fn), c.call, f.fn, 'PERFORM ' || c.call
FROM text_functions f,
LATERAL (SELECT format('%s(%s)', f.proname,
                       string_agg(CASE t WHEN 'text'::regtype THEN 's' WHEN 'integer'::regtype THEN '16'
                                         WHEN 'uuid'::regtype THEN '''9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a''::uuid'
                                         WHEN 'regclass'::regtype THEN '''h.owned''::regclass'
                                         ELSE 'unsupported_argument_type_' || t::text END, ', ' ORDER BY n)) AS call
         FROM unnest(f.argtypes) WITH ORDINALITY AS a(t, n)) c;
-- Other argument shapes.
INSERT INTO forms (ord, name, fn, stmt, rows) VALUES
  (1, 'register_prefix(s, <a fresh valid prefix>, s)', 'register_prefix(text,text,text,text)',
      $$PERFORM register_prefix(s, 'h' || translate(i::text, '0123456789', 'abcdefghij'), s)$$, 'i % 40 = 0 OR kind LIKE ''big:%'''),
  (2, 'register_prefix(s, <a fresh valid prefix>, s, ''typeid'')', 'register_prefix(text,text,text,text)',
      $$PERFORM register_prefix(s, 't' || translate(i::text, '0123456789', 'abcdefghij'), s, 'typeid')$$, 'i % 40 = 20 OR kind LIKE ''big:%'''),
  (200, 'generate_prefixed_id(s)', 'generate_prefixed_id(text,integer)', 'PERFORM generate_prefixed_id(s)', 'true'),
  (201, 'is_prefixed_id(s, ''usr'')', 'is_prefixed_id(text,text,integer)', $$PERFORM is_prefixed_id(s, 'usr')$$, 'true'),
  (202, 'is_prefixed_id(s, NULL)', 'is_prefixed_id(text,text,integer)', 'PERFORM is_prefixed_id(s, NULL)', 'true'),
  (203, 'is_prefixed_id(''usr_ght4k2jxm7pqbv01'', s, 16)', 'is_prefixed_id(text,text,integer)',
        $$PERFORM is_prefixed_id('usr_ght4k2jxm7pqbv01', s, 16)$$, 'true'),
  (204, 'is_cuid2(s)', 'is_cuid2(text,integer,integer)', 'PERFORM is_cuid2(s)', 'true'),
  (205, 'is_cuid2(s, 0, 2147483647)', 'is_cuid2(text,integer,integer)', 'PERFORM is_cuid2(s, 0, 2147483647)', 'true'),
  (206, 'is_cuid2(s, 2147483647, -2147483648)', 'is_cuid2(text,integer,integer)',
        'PERFORM is_cuid2(s, 2147483647, -2147483648)', 'true'),
  (207, 'is_typeid(s, ''user'')', 'is_typeid(text,text)', $$PERFORM is_typeid(s, 'user')$$, 'true'),
  (208, 'is_typeid(s, NULL)', 'is_typeid(text,text)', 'PERFORM is_typeid(s, NULL)', 'true'),
  (209, 'is_typeid(''user_01h455vb4pex5vsknk084sn02q'', s)', 'is_typeid(text,text)',
        $$PERFORM is_typeid('user_01h455vb4pex5vsknk084sn02q', s)$$, 'true');
-- current_subject_id() reads text from the request settings: docs "current_subject_id()".
INSERT INTO forms (ord, name, fn, stmt, allowed, rows) VALUES
  (300, 'current_subject_id() with request.jwt.claims = s', 'current_subject_id()',
        $$PERFORM set_config('request.jwt.claims', s, true); PERFORM current_subject_id()$$, '{22P02,22P05,0A000,22023,55000}', 'true'),
  (301, 'current_subject_id() with request.jwt.claims = {"sub": s}', 'current_subject_id()',
        $$PERFORM set_config('request.jwt.claims', json_build_object('sub', s, 'role', 'authenticated')::text, true);
          PERFORM current_subject_id()$$, '{}', 'true'),
  (302, 'current_subject_id() with request.jwt.claim.sub = s', 'current_subject_id()',
        $$PERFORM set_config('request.jwt.claim.sub', s, true); PERFORM current_subject_id()$$, '{}', 'true'),
  (303, 'current_subject_id() with idconv.subject_setting''s setting = s', 'current_subject_id()',
        $$PERFORM set_config('app.subject', s, true); PERFORM current_subject_id()$$, '{}', 'true'),
  -- stamp_subject: only an empty sub may fail ("no authenticated subject", 42501).
  (304, 'stamp_subject(''owner'') on INSERT with {"sub": s}', 'stamp_subject()',
        $$PERFORM set_config('request.jwt.claims', json_build_object('sub', s)::text, true);
          INSERT INTO owned (i, claimed) VALUES (i, s)$$, '{42501}', 'true'),
  -- require_filled_at_commit('f', 'v', <50 hostile strings>): 23502 unless v is one of them.
  (305, 'require_filled_at_commit(''f'', ''v'', <50 hostile values>) on INSERT of v = s', 'require_filled_at_commit()',
        'INSERT INTO filled (i, v) VALUES (i, s)', '{23502}', 'true'),
  -- audit_id_column with the column name s: the name never reaches SQL unquoted.
  (306, 'audit_id_column(''h.corpus'', s::name)', 'audit_id_column(regclass,name)',
        $$PERFORM * FROM audit_id_column('h.corpus', s::name)$$, '{42703}', $$i % 50 = 0 AND s NOT IN ('i', 'kind', 's')$$),
  -- audit_subject_references with the schema name s: a schema that does not exist has no problems.
  (307, 'audit_subject_references(s::name)', 'audit_subject_references(name,regclass)',
        $$PERFORM * FROM audit_subject_references(s::name)$$, '{}', 'i % 200 = 0');
UPDATE forms f SET allowed = d.states FROM documented d WHERE f.allowed IS NULL AND d.fn = f.fn;
UPDATE forms SET allowed = '{}' WHERE allowed IS NULL;

CREATE TABLE outcome (ord int NOT NULL, big bool NOT NULL, state text, calls bigint NOT NULL, example int NOT NULL);

-- One wrapper per form, called once per corpus row: the statement in a subtransaction.
CREATE PROCEDURE run_forms() LANGUAGE plpgsql AS $proc$
DECLARE
  f record;
  t0 timestamptz;
BEGIN
  FOR f IN SELECT * FROM forms ORDER BY ord LOOP
    t0 := clock_timestamp();
    EXECUTE format($f$
      CREATE FUNCTION h.try_%s(i int, s text) RETURNS text LANGUAGE plpgsql
      SET search_path = h, public AS $body$
      BEGIN
        %s;
        RETURN NULL;
      EXCEPTION WHEN OTHERS THEN
        RETURN SQLSTATE;
      END $body$$f$, f.ord, f.stmt);
    EXECUTE format('INSERT INTO h.outcome SELECT %s, kind LIKE ''big:%%'', st, count(*), min(i) '
                   'FROM (SELECT i, kind, h.try_%s(i, s) AS st FROM h.corpus WHERE %s) x GROUP BY 2, 3',
                   f.ord, f.ord, f.rows);
    RAISE NOTICE 'form % done in % s: %', f.ord, round(extract(epoch FROM clock_timestamp() - t0)::numeric, 1), f.name;
    COMMIT;
  END LOOP;
END
$proc$;

SET client_min_messages = notice;
CALL run_forms();
-- Still connected: no backend crashed (a crash would have ended every session).
SELECT 'survived', pg_backend_pid() > 0;
