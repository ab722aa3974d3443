// The checks every idconv trigger function makes before it reads its rows.
#pragma once

extern "C" {
#include "postgres.h"
#include "commands/trigger.h"
#include "fmgr.h"
}

namespace idconv::pg {

// The TriggerData of a row trigger fired BEFORE (`before`) or AFTER INSERT OR UPDATE and declared
// for both events on every column (a trigger declared for INSERT only, or UPDATE OF some columns,
// would let the other statements through unchecked); otherwise ERROR 39P01 saying how `function`
// must be declared, with `hint` when it is not null.
TriggerData* insert_update_row_trigger(FunctionCallInfo fcinfo, const char* function, bool before, const char* hint);

// The number of the column a trigger argument names; ERROR 42703 with `detail` (a format taking
// the trigger's name) when the relation has no such column.
int trigger_column(Relation rel, const Trigger* trigger, const char* column, const char* detail);

}  // namespace idconv::pg
