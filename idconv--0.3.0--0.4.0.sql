-- idconv 0.3.0 -> 0.4.0
\echo Use "ALTER EXTENSION idconv UPDATE TO '0.4.0'" to load this file. \quit

-- stamp_subject: WHEN refused on the BEFORE trigger, foreign-key actions (issue 21, items 4-6).
COMMENT ON FUNCTION stamp_subject() IS
'Row trigger declared twice, with the owner column as argument and without WHEN: BEFORE INSERT OR UPDATE sets the column to current_subject_id() on INSERT and refuses changes on UPDATE, except where ON UPDATE CASCADE of a foreign key on the owner column alone renames the referenced key (logged; but not, for a subject that is no owner admin, onto or off its own id); AFTER INSERT OR UPDATE OR DELETE checks the stored rows (no later trigger changed the owner or moved the row to another partition). Members of idconv.owner_admin_role are exempt (logged); inside a foreign-key action the role the session runs as counts, not the table owner the action runs as';
