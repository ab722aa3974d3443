-- idconv 0.1.0 -> 0.2.0
\echo Use "ALTER EXTENSION idconv UPDATE TO '0.2.0'" to load this file. \quit

-- 0.2.0 is a trusted extension: a database owner who is not a superuser may install it. The
-- objects are then owned by the bootstrap superuser, so the role that installs the extension is
-- given the right to manage the prefix registry (register_prefix writes id_prefixes as its
-- caller), and to pass that right on to the roles of its application. Everyone else keeps
-- reading it only.
GRANT SELECT, INSERT, UPDATE, DELETE ON id_prefixes TO @extowner@ WITH GRANT OPTION;

-- An entity is a name of 1 to 63 bytes, like a table's: register_prefix checks it, and so does the
-- table for rows written with plain SQL. An existing row outside that fails the update (23514):
-- rename it, then update again.
ALTER TABLE id_prefixes ADD CONSTRAINT id_prefixes_entity_check CHECK (octet_length(entity) BETWEEN 1 AND 63);

-- The per-backend generator's identity, to check that no two backends share a counter or a
-- fingerprint (see README "Guarantees"). For superusers, and whom they grant it to: the state
-- tells nothing secret, but nobody else needs it.
CREATE FUNCTION cuid2_generator_state(OUT pid int, OUT counter_start bigint, OUT counter_next bigint,
                                      OUT fingerprint text)
RETURNS record
AS 'MODULE_PATHNAME', 'cuid2_generator_state'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;

COMMENT ON FUNCTION cuid2_generator_state() IS
'This backend''s CUID2 generator: the pid it was made for, where its counter started, the counter''s next value, and its fingerprint; made now if it was not';

REVOKE ALL ON FUNCTION cuid2_generator_state() FROM PUBLIC;
