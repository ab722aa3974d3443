-- idconv 0.1.0 -> 0.2.0
\echo Use "ALTER EXTENSION idconv UPDATE TO '0.2.0'" to load this file. \quit

-- 0.2.0 is a trusted extension: a database owner who is not a superuser may install it. The
-- objects are then owned by the bootstrap superuser, so the role that installs the extension is
-- given the right to manage the prefix registry (register_prefix writes id_prefixes as its
-- caller), and to pass that right on to the roles of its application. Everyone else keeps
-- reading it only.
GRANT SELECT, INSERT, UPDATE, DELETE ON id_prefixes TO @extowner@ WITH GRANT OPTION;
