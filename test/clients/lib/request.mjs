// One HTTP request as PostgREST runs it: one transaction; the token's role and claims set for that
// transaction only (SET LOCAL, set_config(..., true)), so nothing is left on the connection when it
// goes back to the pool or to PgBouncer; then the request's statements.
export async function withRequest(pool, claims, statements, role = "authenticated") {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SET LOCAL ROLE ${role}`);
    if (claims !== null) {
      await client.query("SELECT set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
    }
    const result = await statements(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}
