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

-- stamp_subject is now declared twice on a table (BEFORE, and AFTER to check the stored rows).
COMMENT ON FUNCTION stamp_subject() IS
'Row trigger declared twice, with the owner column as argument: BEFORE INSERT OR UPDATE sets the column to current_subject_id() on INSERT and refuses changes on UPDATE; AFTER INSERT OR UPDATE OR DELETE checks the stored rows (no later trigger changed the owner or moved the row to another partition). Members of idconv.owner_admin_role are exempt (logged)';

-- audit_id_column reads the table as its owner, in a security-restricted operation (C).
CREATE OR REPLACE FUNCTION audit_id_column(tbl regclass, col name)
RETURNS TABLE (kind text, rows bigint, example text)
AS 'MODULE_PATHNAME', 'audit_id_column'
LANGUAGE C STABLE STRICT;

COMMENT ON FUNCTION audit_id_column(regclass, name) IS
'One row per id_kind found in the column: the kind (NULL for NULL values), how many rows, and the smallest value as an example; reads the table as its owner, in a security-restricted operation';
