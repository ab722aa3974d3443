// _adopt_in_transaction_block: what the adoption procedures ask before their first change. They
// commit batch by batch, which PostgreSQL allows only to a CALL outside a transaction block; a
// CALL inside one would fail at its first COMMIT with "invalid transaction termination" (2D000).
// Asked first, the procedure refuses with 25001 instead, as VACUUM does. No SQL expression can
// tell a transaction block from autocommit over every protocol, so this one is in C.
extern "C" {
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"

PG_FUNCTION_INFO_V1(adopt_in_transaction_block);
Datum adopt_in_transaction_block(PG_FUNCTION_ARGS) {
    PG_RETURN_BOOL(IsTransactionBlock());
}
}
