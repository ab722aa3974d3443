-- Tenant slugs: is_slug and slugify.
SELECT s, is_slug(s) AS slug
FROM (VALUES ('a'), ('acme'), ('apollo-hospitals'), ('tenant-apollo-001'), ('123'), (repeat('a', 63)),
             (repeat('a', 64)), (''), ('-'), ('-a'), ('a-'), ('a--b'), ('Acme'), ('a_b'), ('a b'), ('ä'),
             ('a.b')) v(s);
SELECT is_slug(repeat('a', 1048576)) AS one_mb, is_slug(E'a\nb') AS newline, is_slug(NULL) IS NULL AS strict;

SELECT name, slugify(name) AS slug
FROM (VALUES ('Émile'), ('İstanbul'), ('Straße'), ('Istanbul Medical Center'), ('  Apollo   Hospitals!! '),
             ('Curaway (Ops) -- EU'), ('Æsir Øresund Łódź Þór'), ('Nguyễn Văn Đức'), ('Crème Brûlée'),
             (E'e\u0301te'), ('東京 Tokyo'), ('o''brien'), ('tenant_apollo_001'), ('MSO Panel')) v(name);
-- Nothing left is NULL.
SELECT slugify('') IS NULL AS empty, slugify(' -- ') IS NULL AS separators, slugify('東京') IS NULL AS cjk,
       slugify(NULL) IS NULL AS strict;
-- At most 63 characters, cut on a word boundary where there is one.
SELECT slugify('Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliett Kilo Lima') AS words,
       length(slugify(repeat('x', 100))) AS one_long_word,
       slugify(repeat('a', 63) || ' b') = repeat('a', 63) AS boundary_at_63;
-- Its result always passes is_slug (10k strings of mixed scripts, punctuation and case).
SELECT setseed(0.42);
SELECT count(*) > 9000 AS mostly_not_empty, bool_and(is_slug(s)) AS all_valid
FROM (SELECT slugify(string_agg(substr('aZ9 -_éßİ東!Æ' || E'\u0301', (random() * 14)::int + 1, 1), ''))
      AS s FROM generate_series(1, 10000) g, generate_series(1, 40) k GROUP BY g) x
WHERE s IS NOT NULL;
-- 1 MB of text is fine.
SELECT length(slugify(repeat('Ab ', 350000))) AS one_mb;

-- The tenant convention: UUID primary key, unique mutable slug.
CREATE TABLE tenants (
  id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (is_slug(slug)),
  name text NOT NULL
);
INSERT INTO tenants (slug, name) SELECT slugify(n), n FROM (VALUES ('Istanbul Medical Center'), ('Apollo Hospitals')) v(n);
SELECT slug, name FROM tenants ORDER BY slug;
INSERT INTO tenants (id, slug, name) VALUES ('e16b83eb-0000-4000-8000-000000000001', 'Tenant Apollo', 'bad slug');
\echo :LAST_ERROR_SQLSTATE
UPDATE tenants SET slug = slugify('Apollo Hospitals (Chennai)') WHERE slug = 'apollo-hospitals';
SELECT slug FROM tenants ORDER BY slug;
DROP TABLE tenants;
