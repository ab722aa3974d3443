-- idconv 0.3.0 -> 0.4.0
\echo Use "ALTER EXTENSION idconv UPDATE TO '0.4.0'" to load this file. \quit

-- Built by `make` from src/sql/idconv--0.3.0--0.4.0.sql (src/sql/build.py upgrade): there, each
-- `--% create NAME` line becomes the install script's CREATE FUNCTION and COMMENT of NAME, each
-- `--% comment NAME` its COMMENT alone; every other line is copied as it is.

-- stamp_subject: WHEN refused on the BEFORE trigger, foreign-key actions (issue 21, items 4-6).
--% comment stamp_subject

-- Citus: the registry on every node (distribute_registry).
--% create id_prefixes_mirror
--% create distribute_registry

-- The adoption procedures (issue 23): rekey, rekey_all, resolve_key, convert_subject_column,
-- finish_subject_column, subject_kind, repair_reference and the tables they keep their runs in.
--% create _adopt_in_transaction_block
--% create subject_kind
--% create adopt
--% create adopt-repair
--% create adopt-grants
