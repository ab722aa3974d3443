-- current_subject_id() parses the whole of request.jwt.claims with PostgreSQL's JSON parser,
-- decoding the escapes of every string as jsonb input does: what makes the document unreadable
-- anywhere, not only in the sub, is an error (README: the SQLSTATE table of current_subject_id()).
SET idconv.subject_namespace = '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a';
-- \u0000 in another claim: 22P02.
SELECT set_config('request.jwt.claims', '{"sub":"alice","name":"\u0000"}', false) IS NOT NULL AS set;
SELECT current_subject_id();
\echo :LAST_ERROR_SQLSTATE
-- Nested deeper than the parser's stack allows, the sub being fine: 54001.
SELECT set_config('request.jwt.claims',
                  '{"sub":"alice","deep":' || repeat('[', 1000000) || repeat(']', 1000000) || '}', false) IS NOT NULL AS set;
SELECT current_subject_id();
\echo :LAST_ERROR_SQLSTATE
-- Escapes that the encoding can hold are fine anywhere.
SELECT set_config('request.jwt.claims', '{"sub":"alice","name":"\u00e9\ud83d\ude00"}', false) IS NOT NULL AS set;
SELECT current_subject_id();
RESET request.jwt.claims;

-- In a database whose encoding lacks the character, a \u escape of it in any claim: 0A000 in
-- SQL_ASCII (22P05 in other encodings).
SELECT current_database() AS regress_database \gset
CREATE DATABASE regress_idconv_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c regress_idconv_ascii
SET client_min_messages = warning;
CREATE EXTENSION idconv;
RESET client_min_messages;
SET idconv.subject_namespace = '9b3a2c1e-7d4f-4e2a-8b6c-0f1e2d3c4b5a';
SELECT set_config('request.jwt.claims', '{"sub":"alice","name":"\u00e9"}', false) IS NOT NULL AS set;
SELECT current_subject_id();
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('request.jwt.claims', '{"sub":"alice","name":"e"}', false) IS NOT NULL AS set;
SELECT current_subject_id();
\c :regress_database
DROP DATABASE regress_idconv_ascii;
