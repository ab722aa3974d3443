-- PostgREST's claims on a Citus cluster (docs/citus.md): PostgREST sets request.jwt.claims with
-- set_config(…, true), which stays on the coordinator. Run as PostgREST's pre-request function
-- (db-pre-request = "public.citus_claims"), this repeats them as a SET LOCAL, which Citus sends to
-- every worker the transaction uses, so stamp_subject and the policies see them there.
CREATE FUNCTION citus_claims() RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM set_config('citus.propagate_set_commands', 'local', true);
    EXECUTE format('SET LOCAL request.jwt.claims = %L', coalesce(current_setting('request.jwt.claims', true), ''));
END
$$;
