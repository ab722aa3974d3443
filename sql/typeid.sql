-- generate_typeid, is_typeid, typeid_to_uuid, uuid_to_typeid, typeid_prefix
-- Every case of the TypeID specification 0.3.0's valid.yml and invalid.yml, from
-- test/unit/vectors/typeid.tsv (written by test/unit/vectors/make-typeid-cases.py).
CREATE TEMP TABLE spec (verdict text, name text, typeid text, prefix text, uuid text);
-- The path is the source tree's, where psql may not run: pg_buildext runs pg_regress in build-NN/.
-- pg_regress names the tree (its --inputdir) in PG_ABS_SRCDIR.
\getenv abs_srcdir PG_ABS_SRCDIR
\if :{?abs_srcdir}
\cd :abs_srcdir
\endif
\copy spec FROM 'test/unit/vectors/typeid.tsv' WITH (FORMAT text, HEADER true)
SELECT verdict, count(*) FROM spec GROUP BY verdict ORDER BY verdict;

-- valid.yml: decodes to the prefix and UUID, and the two encode to the same TypeID.
SELECT name, is_typeid(typeid) AS valid, is_typeid(typeid, prefix) AS with_prefix,
       typeid_prefix(typeid) = prefix AS prefix_ok, typeid_to_uuid(typeid) = uuid::uuid AS uuid_ok,
       uuid_to_typeid(prefix, uuid::uuid) = typeid AS encodes
FROM spec WHERE verdict = 'valid' ORDER BY name COLLATE "C";

-- invalid.yml: no function accepts one; typeid_to_uuid says why.
CREATE FUNCTION pg_temp.decode_error(id text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    detail text;
BEGIN
    PERFORM typeid_to_uuid(id);
    RETURN 'decoded';
EXCEPTION WHEN others THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN SQLSTATE || ' ' || detail;
END $$;
SELECT name, is_typeid(typeid) AS valid,
       is_typeid(typeid, CASE WHEN strpos(typeid, '_') > 0 THEN regexp_replace(typeid, '_[^_]*$', '') ELSE '' END) AS with_its_prefix,
       typeid_prefix(typeid) AS prefix, pg_temp.decode_error(typeid) AS decode
FROM spec WHERE verdict = 'invalid' ORDER BY name COLLATE "C";

-- Generated: the prefix, "_", 26 chars of a UUIDv7; none without a prefix.
SELECT generate_typeid() ~ '^[0-7][0-9a-hjkmnp-tv-z]{25}$' AS unprefixed,
       generate_typeid('user') ~ '^user_[0-7][0-9a-hjkmnp-tv-z]{25}$' AS prefixed,
       generate_typeid('user_account') ~ '^user_account_[0-7][0-9a-hjkmnp-tv-z]{25}$' AS underscore,
       uuid_version(typeid_to_uuid(generate_typeid('user'))) AS version,
       length(generate_typeid(repeat('p', 63))) AS longest,
       generate_typeid(NULL) AS null_prefix;
-- In the order made, as text in the "C" collation, and distinct.
CREATE TEMP TABLE made (n bigserial, id text COLLATE "C");
INSERT INTO made (id) SELECT generate_typeid('usr') FROM generate_series(1, 20000);
SELECT count(*) AS ids, count(DISTINCT id) AS distinct_ids, count(*) FILTER (WHERE is_typeid(id, 'usr')) AS valid,
       (SELECT count(*) FROM (SELECT id < lead(id) OVER (ORDER BY n) AS up FROM made) s WHERE up) AS increasing
FROM made;
-- The time it carries is now.
SELECT abs(extract(epoch FROM uuid_v7_to_timestamptz(typeid_to_uuid(generate_typeid('usr'))) - clock_timestamp())) < 5 AS time_is_now;
DROP TABLE made;
SELECT generate_typeid('User');
SELECT generate_typeid('_usr');
SELECT generate_typeid('usr_');
SELECT generate_typeid(repeat('p', 64));

-- is_typeid never raises; NULL prefix: any; '' : none.
SELECT is_typeid('user_01h455vb4pex5vsknk084sn02q') AS any,
       is_typeid('user_01h455vb4pex5vsknk084sn02q', NULL) AS null_prefix,
       is_typeid('user_01h455vb4pex5vsknk084sn02q', 'user') AS same,
       is_typeid('user_01h455vb4pex5vsknk084sn02q', 'usr') AS other,
       is_typeid('user_01h455vb4pex5vsknk084sn02q', '') AS none,
       is_typeid('01h455vb4pex5vsknk084sn02q', '') AS unprefixed,
       is_typeid('01h455vb4pex5vsknk084sn02q', 'user') AS missing,
       is_typeid('User_01h455vb4pex5vsknk084sn02q', 'User') AS bad_prefix,
       is_typeid(NULL) AS null_id,
       is_typeid(repeat('a', 1000000)) AS long;
-- Not a prefixed CUID2, and no prefixed CUID2 is a TypeID.
SELECT is_typeid(generate_prefixed_id('usr', 26)) AS cuid2_body, is_prefixed_id(generate_typeid('usr'), 'usr', 26) AS typeid_body;

-- typeid_to_uuid: 22P02 with the reason.
SELECT typeid_to_uuid('');
SELECT typeid_to_uuid('usr_');
SELECT typeid_to_uuid('usr_01h455vb4pex5vsknk084sn02Q');
SELECT typeid_to_uuid('usr_81h455vb4pex5vsknk084sn02q');
SELECT typeid_to_uuid('Usr_01h455vb4pex5vsknk084sn02q');
SELECT typeid_to_uuid(repeat('x', 100000));
SELECT typeid_to_uuid(NULL) AS null_id;

-- uuid_to_typeid: any version; round trips.
SELECT uuid_to_typeid('', '00000000-0000-0000-0000-000000000000') AS nil,
       uuid_to_typeid('user', 'ffffffff-ffff-ffff-ffff-ffffffffffff') AS max,
       uuid_to_typeid('user', '017f22e2-79b0-7cc3-98c4-dc0c0c07398f') AS rfc_v7,
       uuid_to_typeid(NULL, gen_random_uuid()) AS null_prefix, uuid_to_typeid('x', NULL) AS null_uuid;
SELECT bool_and(typeid_to_uuid(uuid_to_typeid('order_line', u)) = u) AS v4_round_trip,
       bool_and(uuid_to_typeid('order_line', typeid_to_uuid(t)) = t) AS typeid_round_trip
FROM (SELECT gen_random_uuid() AS u, generate_typeid('order_line') AS t FROM generate_series(1, 10000)) s;
SELECT uuid_to_typeid('Bad', gen_random_uuid());
SELECT uuid_to_typeid('a-b', gen_random_uuid());

-- typeid_prefix.
SELECT typeid_prefix('user_account_01h455vb4pex5vsknk084sn02q') AS prefixed,
       typeid_prefix('01h455vb4pex5vsknk084sn02q') = '' AS unprefixed_is_empty,
       typeid_prefix('usr_ght4k2jxm7pqbv01') AS prefixed_cuid2,
       typeid_prefix('nope') AS not_one;

-- The recommended column.
CREATE TEMP TABLE users (id text COLLATE "C" PRIMARY KEY DEFAULT generate_typeid('user') CHECK (is_typeid(id, 'user')), n int);
INSERT INTO users (n) SELECT g FROM generate_series(1, 100) g;
INSERT INTO users (id, n) VALUES ('usr_01h455vb4pex5vsknk084sn02q', 0);
SELECT count(*) FROM users;
DROP TABLE users;

-- id_kind.
SELECT id, id_kind(id) FROM (VALUES ('user_01h455vb4pex5vsknk084sn02q'), ('01h455vb4pex5vsknk084sn02q'),
    ('00000000000000000000000000'), ('81h455vb4pex5vsknk084sn02q'), ('usr_ght4k2jxm7pqbv01')) v(id);

-- The registry: an entity's ids are prefixed CUID2s (the default) or TypeIDs.
SELECT register_prefix('tid_invoice', 'tinv', 'TypeID invoices', 'typeid') AS typeid_entity,
       register_prefix('tid_user', 'tusr') AS cuid2_entity,
       register_prefix('tid_order', 'tord', body => 'cuid2') AS named_body;
SELECT entity, prefix, body FROM id_prefixes WHERE entity LIKE 'tid\_%' ORDER BY entity COLLATE "C";
SELECT count(*) FILTER (WHERE is_typeid(inv, 'tinv')) AS typeids,
       count(*) FILTER (WHERE uuid_version(typeid_to_uuid(inv)) = 7) AS v7,
       count(*) FILTER (WHERE entity_of(inv) = 'tid_invoice') AS invoice_entity,
       count(*) FILTER (WHERE is_prefixed_id(usr, 'tusr')) AS cuid2s,
       count(*) FILTER (WHERE entity_of(usr) = 'tid_user') AS user_entity
FROM (SELECT generate_id_for('tid_invoice') AS inv, generate_id_for('tid_user') AS usr FROM generate_series(1, 1000)) s;
-- entity_of reads either shape for any entity: ids made before a change of body stay the entity's.
SELECT entity_of('tinv_ght4k2jxm7pqbv01') AS cuid2_shape_of_typeid_entity,
       entity_of('tusr_01h455vb4pex5vsknk084sn02q') AS typeid_shape_of_cuid2_entity,
       entity_of('01h455vb4pex5vsknk084sn02q') AS unprefixed,
       entity_of('nope_01h455vb4pex5vsknk084sn02q') AS unregistered;
-- A change of body by plain SQL reaches the next call.
UPDATE id_prefixes SET body = 'typeid' WHERE entity = 'tid_user';
SELECT is_typeid(generate_id_for('tid_user'), 'tusr') AS now_typeid;
UPDATE id_prefixes SET body = 'uuid', created_at = '2026-01-01 00:00:00+00' WHERE entity = 'tid_user';
SELECT register_prefix('tid_bad', 'tbad', NULL, 'uuid');
SELECT register_prefix('tid_bad', 'tbad', NULL, NULL);
SELECT register_prefix('tid_bad', 'tbad', NULL, 'TypeID');
DELETE FROM id_prefixes WHERE entity LIKE 'tid\_%';
