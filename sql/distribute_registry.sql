-- distribute_registry, id_prefixes_mirror, and register_prefix writing the registry
-- distribute_registry() makes (test/citus/run runs them on a Citus cluster).
-- Without Citus: an error that says what is missing, and nothing made.
SELECT distribute_registry();
SELECT to_regclass('id_prefix_registry') AS made;

-- The table distribute_registry() makes, here made by hand. Without the mirror trigger it is a
-- table of the user's own, which register_prefix leaves alone.
CREATE TABLE id_prefix_registry (LIKE id_prefixes INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
SELECT register_prefix('dr_plain', 'drp');
SELECT (SELECT count(*) FROM id_prefix_registry) AS in_user_table,
       (SELECT count(*) FROM id_prefixes WHERE entity = 'dr_plain') AS in_id_prefixes;

-- With it, register_prefix writes the table, and the trigger (which fires on each node's copy on
-- a cluster) writes this node's id_prefixes, which generate_id_for and entity_of read.
CREATE TRIGGER id_prefixes_mirror AFTER INSERT OR UPDATE OR DELETE ON id_prefix_registry
FOR EACH ROW EXECUTE FUNCTION id_prefixes_mirror();
SELECT register_prefix('dr_order', 'dro', 'orders', 'typeid');
SELECT register_prefix('dr_ticket', 'drt');
SELECT entity, prefix, description, body FROM id_prefix_registry ORDER BY entity;
SELECT entity, prefix, description, body FROM id_prefixes WHERE entity LIKE 'dr\_%' ORDER BY entity;
SELECT generate_id_for('dr_order') ~ '^dro_[0-7][0-9a-hjkmnp-tv-z]{25}$' AS typeid,
       entity_of(generate_id_for('dr_ticket')) AS entity;
-- Taken entities and prefixes are refused as before.
SELECT register_prefix('dr_other', 'dro');
SELECT register_prefix('dr_ticket', 'dra');
-- A row of the registry takes the place of the node's own entry of the same prefix; an update
-- and a delete reach id_prefixes too.
INSERT INTO id_prefixes (entity, prefix) VALUES ('dr_local', 'drl');
INSERT INTO id_prefix_registry (entity, prefix) VALUES ('dr_remote', 'drl');
UPDATE id_prefix_registry SET prefix = 'drx' WHERE entity = 'dr_order';
DELETE FROM id_prefix_registry WHERE entity = 'dr_ticket';
SELECT entity, prefix FROM id_prefixes WHERE entity LIKE 'dr\_%' ORDER BY entity;
SELECT entity_of(generate_id_for('dr_order')) AS renamed;

DROP TABLE id_prefix_registry;
DELETE FROM id_prefixes WHERE entity LIKE 'dr\_%';
