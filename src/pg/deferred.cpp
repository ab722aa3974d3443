// require_filled_at_commit: a constraint trigger for columns that may be NULL inside a transaction
// but not at its end, as in circular ownership (users.customer_id <-> customers.owner_id: the
// owner user exists briefly before its customer does).
extern "C" {
#include "postgres.h"

#include "access/tableam.h"
#include "catalog/pg_class.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
}

#include <cstring>

#include "pg/row_key.h"
#include "pg/trigger.h"

using namespace idconv::pg;

namespace {

// "'a', 'b'": the exempt values as the trigger lists them.
char* quoted_list(char** values, int count) {
    StringInfoData s;
    initStringInfo(&s);
    for (int i = 0; i < count; ++i) {
        if (i > 0) appendStringInfoString(&s, ", ");
        appendStringInfoString(&s, quote_literal_cstr(values[i]));
    }
    return s.data;
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(require_filled_at_commit);
Datum require_filled_at_commit(PG_FUNCTION_ARGS) {
    TriggerData* trigdata = insert_update_row_trigger(
        fcinfo, "require_filled_at_commit", false,
        "Use CREATE CONSTRAINT TRIGGER ... AFTER INSERT OR UPDATE ON ... DEFERRABLE INITIALLY DEFERRED FOR EACH ROW.");
    const TriggerEvent event = trigdata->tg_event;
    Relation rel = trigdata->tg_relation;
    const Trigger* trigger = trigdata->tg_trigger;
    // The check below asks the table's access method whether the row version is still live; a
    // foreign table has none.
    if (rel->rd_rel->relkind != RELKIND_RELATION) {
        ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                        errmsg("require_filled_at_commit() cannot be used on \"%s\"", RelationGetRelationName(rel)),
                        errdetail("It works on tables (and the partitions of partitioned tables) only.")));
    }
    if (trigger->tgnargs != 1 && trigger->tgnargs < 3) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("trigger \"%s\" on \"%s\" gives require_filled_at_commit() %d arguments",
                               trigger->tgname, RelationGetRelationName(rel), trigger->tgnargs),
                        errhint("Pass the column, optionally followed by an exemption column and one or more "
                                "exempt values: require_filled_at_commit('customer_id', 'role', 'system_admin').")));
    }
    const char* column = trigger->tgargs[0];
    const char* detail = "Trigger \"%s\" names it for require_filled_at_commit().";
    const int attnum = trigger_column(rel, trigger, column, detail);
    const int exempt_attnum = trigger->tgnargs >= 3 ? trigger_column(rel, trigger, trigger->tgargs[1], detail) : 0;

    const bool update = TRIGGER_FIRED_BY_UPDATE(event);
    TupleTableSlot* slot = update ? trigdata->tg_newslot : trigdata->tg_trigslot;
    HeapTuple tuple = update ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
    // A row version that a later statement of the transaction updated or deleted is not checked:
    // the later version has an event of its own (as PostgreSQL's foreign key triggers do).
    if (!table_tuple_satisfies_snapshot(rel, slot, SnapshotSelf)) return PointerGetDatum(static_cast<HeapTuple>(nullptr));

    TupleDesc desc = RelationGetDescr(rel);
    bool isnull;
    SPI_getbinval(tuple, desc, attnum, &isnull);
    if (!isnull) return PointerGetDatum(static_cast<HeapTuple>(nullptr));
    if (exempt_attnum > 0) {
        const char* value = SPI_getvalue(tuple, desc, exempt_attnum);
        for (int i = 2; value != nullptr && i < trigger->tgnargs; ++i) {
            if (std::strcmp(value, trigger->tgargs[i]) == 0) return PointerGetDatum(static_cast<HeapTuple>(nullptr));
        }
    }
    const char* exemption =
        exempt_attnum > 0 ? psprintf(" unless \"%s\" is one of %s", trigger->tgargs[1],
                                     quoted_list(trigger->tgargs + 2, trigger->tgnargs - 2))
                          : "";
    ereport(ERROR, (errcode(ERRCODE_NOT_NULL_VIOLATION),
                    errmsg("null value in column \"%s\" of relation \"%s\" at the end of the transaction", column,
                           RelationGetRelationName(rel)),
                    errdetail("Row %s must have \"%s\" filled by commit%s.", row_key(rel, tuple), column, exemption),
                    errtablecol(rel, attnum)));
    return PointerGetDatum(static_cast<HeapTuple>(nullptr));
}

}  // extern "C"
