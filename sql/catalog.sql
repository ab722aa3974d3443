-- The markings of every function, as the catalog records them, and that each is documented.
SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args,
       pg_get_function_result(p.oid) AS result,
       p.provolatile AS vol, p.proisstrict AS strict, p.proparallel AS par,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'idconv'
ORDER BY 1, 2;

-- Defaults as declared.
SELECT pg_get_function_arguments('generate_cuid2(int)'::regprocedure) AS generate_cuid2,
       pg_get_function_arguments('is_prefixed_id(text, text, int)'::regprocedure) AS is_prefixed_id;

-- Relocatable: the functions move with the extension and keep working.
CREATE SCHEMA ids;
ALTER EXTENSION idconv SET SCHEMA ids;
SELECT ids.is_prefixed_id(ids.generate_prefixed_id('usr'), 'usr') AS works_after_move;
ALTER EXTENSION idconv SET SCHEMA public;
DROP SCHEMA ids;
SELECT e.extrelocatable AS relocatable, e.extversion AS version FROM pg_extension e WHERE extname = 'idconv';
