// "(id)=(usr_...)": a row's primary key as PostgreSQL's own messages show keys, for errors and
// log lines that must name a row. Calls PostgreSQL (output functions), so not inside guarded().
#pragma once

extern "C" {
#include "postgres.h"
#include "access/htup.h"
#include "utils/relcache.h"
}

namespace idconv::pg {

// The key columns in the primary key's order. With `check_privileges`, NULL unless the current
// role may read the key, by the rules of PostgreSQL's BuildIndexValueDescription: row-level
// security does not apply to it, and it has SELECT on the table or on every key column. Without,
// for the server log only. "(no primary key)" for a table without one.
char* row_key(Relation rel, HeapTuple tuple, bool check_privileges);

}  // namespace idconv::pg
