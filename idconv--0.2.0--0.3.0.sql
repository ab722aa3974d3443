-- idconv 0.2.0 -> 0.3.0
\echo Use "ALTER EXTENSION idconv UPDATE TO '0.3.0'" to load this file. \quit

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
