// "(id)=(usr_...)": a row's primary key as PostgreSQL's own messages show keys, for errors and
// log lines that must name a row. Calls PostgreSQL (output functions), so not inside guarded().
#pragma once

extern "C" {
#include "postgres.h"
#include "access/htup.h"
#include "utils/relcache.h"
}

namespace idconv::pg {

char* row_key(Relation rel, HeapTuple tuple);

}  // namespace idconv::pg
