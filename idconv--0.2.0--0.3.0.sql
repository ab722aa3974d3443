-- idconv 0.2.0 -> 0.3.0
\echo Use "ALTER EXTENSION idconv UPDATE TO '0.3.0'" to load this file. \quit

-- Prefix registry: invalidate for each row (a logical replication subscriber's apply worker fires
-- row triggers only), and for each statement on TRUNCATE.
DROP TRIGGER id_prefixes_invalidate ON id_prefixes;
COMMENT ON FUNCTION id_prefixes_invalidate() IS
'Trigger on id_prefixes (for each row, and for each statement on TRUNCATE): tells every backend to drop its cached copy of the registry';
CREATE TRIGGER id_prefixes_invalidate
AFTER INSERT OR UPDATE OR DELETE ON id_prefixes
FOR EACH ROW EXECUTE FUNCTION id_prefixes_invalidate();
CREATE TRIGGER id_prefixes_invalidate_truncate
AFTER TRUNCATE ON id_prefixes
FOR EACH STATEMENT EXECUTE FUNCTION id_prefixes_invalidate();
ALTER TABLE id_prefixes ENABLE ALWAYS TRIGGER id_prefixes_invalidate;
ALTER TABLE id_prefixes ENABLE ALWAYS TRIGGER id_prefixes_invalidate_truncate;
