-- Results over the hostile corpus, compared with the rules the docs state, written here as
-- regular expressions and SQL (pgcrypto's SHA-1 for the UUIDs). One row per check:
--   name | rows that disagree | rows checked | corpus row of the first disagreement
-- Run by test/cluster/hostile after hostile-run.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = h, public;

-- The 10 MB strings take the regular expressions seconds each; they are in the SQLSTATE tests.
CREATE VIEW small AS SELECT * FROM corpus WHERE kind NOT LIKE 'big:%';

-- UUIDv5 (RFC 9562) and the legacy bare SHA-1 mapping, from pgcrypto's digest(): the first 16
-- bytes of the SHA-1 with the version (5) and variant bits set. normalize_subject: a
-- 36-character hyphenated UUID passes through, anything else is hashed.
CREATE FUNCTION uuid_of_sha1(d bytea) RETURNS uuid LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT encode(set_byte(set_byte(substring(d FROM 1 FOR 16), 6, (get_byte(d, 6) & 15) | 80),
                         8, (get_byte(d, 8) & 63) | 128), 'hex')::uuid $$;
CREATE TABLE expected AS
SELECT i, s, v5, sha1,
       CASE WHEN s ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
            THEN lower(s)::uuid ELSE v5 END AS subject
FROM (SELECT i, s, uuid_of_sha1(d5) AS v5, uuid_of_sha1(d1) AS sha1
      FROM (SELECT i, s, digest('\x9b3a2c1e7d4f4e2a8b6c0f1e2d3c4b5a'::bytea || convert_to(s, 'SQL_ASCII'), 'sha1') AS d5,
                   digest(convert_to(s, 'SQL_ASCII'), 'sha1') AS d1
            FROM small OFFSET 0) x) y;

-- id_kind's table, first match wins.
CREATE FUNCTION oracle_kind(s text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE
    WHEN s ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN 'uuid'
    WHEN s ~ '^[a-z]([a-z_]{0,61}[a-z])?_[a-z][0-9a-z]{15,31}$' THEN 'prefixed'
    WHEN s ~ '^[0-9]+$' THEN 'integer'
    WHEN s ~ '^([a-z]([a-z_]{0,61}[a-z])?_)?[0-7][0123456789abcdefghjkmnpqrstvwxyz]{25}$' THEN 'typeid'
    WHEN s ~ '^c[0-9a-z]{24}$' THEN 'cuid'
    WHEN s ~ '^[a-z][0-9a-z]{23,31}$' THEN 'cuid2'
    WHEN s ~ '^[a-z0-9]+(-[a-z0-9]+)+$' AND octet_length(s) <= 63 THEN 'slug'
    WHEN s ~ '^[a-z0-9]{1,63}$' THEN 'token'
    ELSE 'other' END $$;

-- The subject current_subject_id() reads from one kind of request setting (the other two
-- emptied: the first non-empty one wins).
CREATE FUNCTION subject_via(setting text, value text) RETURNS uuid LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config(name, CASE WHEN name = setting THEN value ELSE '' END, true)
  FROM unnest(ARRAY['request.jwt.claims', 'request.jwt.claim.sub', 'app.subject']) AS name;
  RETURN current_subject_id();
END $$;

CREATE TEMP TABLE checks (name text, bad bigint, total bigint, example int);
CREATE FUNCTION add_check(name text, q text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- q yields one row per checked corpus row: (i int, ok bool).
  EXECUTE format('INSERT INTO checks SELECT %L, count(*) FILTER (WHERE ok IS NOT TRUE), count(*), '
                 'min(i) FILTER (WHERE ok IS NOT TRUE) FROM (%s) q', name, q);
END $$;

SELECT add_check('is_cuid2(s) is s ~ ''^[a-z][0-9a-z]+$'' with 2 to 32 characters',
  $$SELECT i, is_cuid2(s) = (s ~ '^[a-z][0-9a-z]{1,31}$') AS ok FROM small$$);
SELECT add_check('is_cuid2(s, 0, 2147483647) is s ~ ''^[a-z][0-9a-z]+$''',
  $$SELECT i, is_cuid2(s, 0, 2147483647) = (s ~ '^[a-z][0-9a-z]+$') AS ok FROM small$$);
SELECT add_check('is_valid_prefix(s) is the TypeID prefix grammar',
  $$SELECT i, is_valid_prefix(s) = (s ~ '^[a-z]([a-z_]{0,61}[a-z])?$') AS ok FROM small$$);
SELECT add_check('is_prefixed_id(s) is prefix, "_", 16-character CUID2 body',
  $$SELECT i, is_prefixed_id(s) = (s ~ '^[a-z]([a-z_]{0,61}[a-z])?_[a-z][0-9a-z]{15}$') AS ok FROM small$$);
SELECT add_check('is_prefixed_id(s, ''usr'') is usr_ and a 16-character CUID2 body',
  $$SELECT i, is_prefixed_id(s, 'usr') = (s ~ '^usr_[a-z][0-9a-z]{15}$') AS ok FROM small$$);
SELECT add_check('prefixed_id_prefix(s) and prefixed_id_body(s) split at the last "_"',
  $$SELECT i, prefixed_id_prefix(s) IS NOT DISTINCT FROM substring(s FROM '^([a-z](?:[a-z_]{0,61}[a-z])?)_[a-z][0-9a-z]{1,31}$')
              AND prefixed_id_body(s) IS NOT DISTINCT FROM substring(s FROM '^[a-z](?:[a-z_]{0,61}[a-z])?_([a-z][0-9a-z]{1,31})$') AS ok
      FROM small$$);
SELECT add_check('is_slug(s) is [a-z0-9] runs joined by single "-", 1 to 63 characters',
  $$SELECT i, is_slug(s) = (s ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND octet_length(s) <= 63) AS ok FROM small$$);
SELECT add_check('slugify(s) is NULL or passes is_slug, and not NULL when s has an ASCII letter or digit',
  $$SELECT i, CASE WHEN r IS NULL THEN s !~ '[A-Za-z0-9]' ELSE is_slug(r) END AS ok
      FROM (SELECT i, s, slugify(s) AS r FROM small) x$$);
SELECT add_check('id_kind(s) follows the docs'' table, first match wins',
  $$SELECT i, id_kind(s) = oracle_kind(s) AS ok FROM small$$);
SELECT add_check('audit_id_column(''h.corpus'', ''s'') equals id_kind per row grouped',
  $$SELECT 0 AS i, NOT EXISTS (
      (SELECT * FROM audit_id_column('h.corpus', 's')
       EXCEPT ALL SELECT id_kind(s), count(*), min(s COLLATE "C") FROM corpus GROUP BY 1)
      UNION ALL
      (SELECT id_kind(s), count(*), min(s COLLATE "C") FROM corpus GROUP BY 1
       EXCEPT ALL SELECT * FROM audit_id_column('h.corpus', 's'))) AS ok$$);
SELECT add_check('uuidv5(ns, s) is SHA-1 over the namespace and the bytes of s',
  $$SELECT i, uuidv5('9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a', s) = v5 AS ok FROM expected$$);
SELECT add_check('sha1_subject_uuid(s) is SHA-1 of the bytes of s with version 5',
  $$SELECT i, sha1_subject_uuid(s) = sha1 AS ok FROM expected$$);
SELECT add_check('normalize_subject(s, ns) and normalize_subject(s): UUIDs pass through, others hashed',
  $$SELECT i, normalize_subject(s, '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a') = subject AND normalize_subject(s) = subject AS ok
      FROM expected WHERE s <> ''$$);
SELECT add_check('current_subject_id() is normalize_subject of the sub from claims, claim.sub and the named setting',
  $$SELECT i, subject_via('request.jwt.claims', json_build_object('sub', s)::text) IS NOT DISTINCT FROM r
              AND subject_via('request.jwt.claim.sub', s) IS NOT DISTINCT FROM r
              AND subject_via('app.subject', s) IS NOT DISTINCT FROM r AS ok
      FROM (SELECT i, s, CASE WHEN s <> '' THEN subject END AS r FROM expected) x$$);
RESET request.jwt.claims;
RESET request.jwt.claim.sub;
RESET app.subject;
SELECT add_check('stamp_subject: every row owned by normalize_subject(its claimed sub), one row per non-empty sub',
  $$SELECT i, o.owner IS NOT DISTINCT FROM CASE WHEN c.s <> '' THEN c.subject END
              AND o.claimed IS NOT DISTINCT FROM CASE WHEN c.s <> '' THEN c.s END AS ok
      FROM expected c LEFT JOIN owned o USING (i)$$);
SELECT add_check('require_filled_at_commit: a row with f NULL stays exactly when v is an exempt value',
  $$SELECT i, (f.i IS NOT NULL) = (c.s IN (SELECT v FROM exempt)) AS ok FROM small c LEFT JOIN filled f USING (i)$$);
SELECT add_check('generate_prefixed_id(s) raised exactly for the invalid prefixes, and ids carry the prefix',
  $$SELECT 0 AS i, (SELECT sum(calls) FROM outcome WHERE ord = 200 AND NOT big AND state IS NOT NULL)
                   = (SELECT count(*) FROM small WHERE s !~ '^[a-z]([a-z_]{0,61}[a-z])?$') AS ok
    UNION ALL
    SELECT i, is_prefixed_id(generate_prefixed_id(s), s) FROM small WHERE is_valid_prefix(s)$$);
SELECT add_check('generate_id_for(entity) carries its prefix and entity_of gives the entity back, for every hostile entity',
  $$SELECT 0 AS i, (SELECT count(*) FROM id_prefixes) > 1000 AS ok
    UNION ALL
    SELECT 0, entity_of(id) IS NOT DISTINCT FROM entity
              AND CASE body WHEN 'typeid' THEN typeid_prefix(id) ELSE prefixed_id_prefix(id) END IS NOT DISTINCT FROM prefix
    FROM (SELECT entity, prefix, body, generate_id_for(entity) AS id FROM id_prefixes) x$$);
SELECT add_check('generate_id_for(s) raised exactly for the unregistered entities; entity_of(s) finds the holder',
  $$SELECT 0 AS i, (SELECT sum(calls) FROM outcome WHERE ord = (SELECT ord FROM forms WHERE name = 'generate_id_for(s)')
                    AND NOT big AND state IS NOT NULL)
                   = (SELECT count(*) FROM small c WHERE NOT EXISTS (SELECT 1 FROM id_prefixes p WHERE p.entity = c.s)) AS ok
    UNION ALL
    SELECT i, entity_of(s) IS NOT DISTINCT FROM
              (SELECT entity FROM id_prefixes p
               WHERE p.prefix = coalesce(substring(s FROM '^([a-z](?:[a-z_]{0,61}[a-z])?)_[a-z][0-9a-z]{1,31}$'),
                                         substring(s FROM '^([a-z](?:[a-z_]{0,61}[a-z])?)_[0-7][0-9a-hjkmnp-tv-z]{25}$')))
    FROM small$$);

SELECT 'check', name, bad, total, coalesce(example, -1) FROM checks;
