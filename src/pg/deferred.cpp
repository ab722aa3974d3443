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
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/typcache.h"
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

// The exempt values of one trigger as values of the exemption column's type, read once per
// FmgrInfo (one batch of trigger events) and kept in fn_extra.
struct ExemptValues {
    Oid trigger;
    Oid type;
    int32 typmod;
    Oid collation;
    int count;
    Datum* values;
    FmgrInfo equal;
};

struct ExemptArgument {
    const Trigger* trigger;
    Relation rel;
    int position;
};

void exempt_argument_context(void* arg) {
    const auto* a = static_cast<const ExemptArgument*>(arg);
    errcontext("exempt value %d (%s) of trigger \"%s\" on \"%s\"", a->position - 1,
               quote_literal_cstr(a->trigger->tgargs[a->position]), a->trigger->tgname,
               RelationGetRelationName(a->rel));
}

// Text output depends on session settings (extra_float_digits, DateStyle, TimeZone), so values are
// compared as the column's type, with its equality operator and collation. The arguments are read
// with fixed settings (DateStyle ISO, MDY; TimeZone UTC; IntervalStyle postgres): a trigger means
// the same in every session. Write a timestamptz exempt value with its offset.
const ExemptValues* exempt_values(FunctionCallInfo fcinfo, Relation rel, const Trigger* trigger, int attnum) {
    const Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), attnum - 1);
    auto* cached = static_cast<ExemptValues*>(fcinfo->flinfo->fn_extra);
    if (cached != nullptr && cached->trigger == trigger->tgoid && cached->type == att->atttypid &&
        cached->typmod == att->atttypmod && cached->collation == att->attcollation) {
        return cached;
    }
    TypeCacheEntry* type = lookup_type_cache(getBaseType(att->atttypid), TYPECACHE_EQ_OPR_FINFO);
    if (!OidIsValid(type->eq_opr_finfo.fn_oid)) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_FUNCTION),
                        errmsg("column \"%s\" of relation \"%s\" is of type %s, which has no equality operator",
                               NameStr(att->attname), RelationGetRelationName(rel), format_type_be(att->atttypid)),
                        errdetail("Trigger \"%s\" names it as the exemption column of require_filled_at_commit(), "
                                  "which compares its values with the exempt values.",
                                  trigger->tgname)));
    }
    MemoryContext old_context = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    auto* entry = static_cast<ExemptValues*>(palloc0(sizeof(ExemptValues)));
    entry->count = trigger->tgnargs - 2;
    entry->values = static_cast<Datum*>(palloc(sizeof(Datum) * entry->count));
    fmgr_info_copy(&entry->equal, &type->eq_opr_finfo, fcinfo->flinfo->fn_mcxt);
    Oid input_function, input_param;
    getTypeInputInfo(att->atttypid, &input_function, &input_param);
    const int nest_level = NewGUCNestLevel();
    set_config_option("DateStyle", "ISO, MDY", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
    set_config_option("TimeZone", "UTC", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
    set_config_option("IntervalStyle", "postgres", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
    ExemptArgument argument{trigger, rel, 0};
    ErrorContextCallback context;
    context.callback = exempt_argument_context;
    context.arg = &argument;
    context.previous = error_context_stack;
    error_context_stack = &context;
    for (int i = 0; i < entry->count; ++i) {
        argument.position = i + 2;
        entry->values[i] = OidInputFunctionCall(input_function, trigger->tgargs[i + 2], input_param, att->atttypmod);
    }
    error_context_stack = context.previous;
    AtEOXact_GUC(true, nest_level);
    MemoryContextSwitchTo(old_context);
    entry->trigger = trigger->tgoid;
    entry->type = att->atttypid;
    entry->typmod = att->atttypmod;
    entry->collation = att->attcollation;
    fcinfo->flinfo->fn_extra = entry;
    return entry;
}

bool is_exempt(const ExemptValues* exempt, Oid collation, Datum value) {
    for (int i = 0; i < exempt->count; ++i) {
        FmgrInfo* equal = const_cast<FmgrInfo*>(&exempt->equal);
        if (DatumGetBool(FunctionCall2Coll(equal, collation, value, exempt->values[i]))) return true;
    }
    return false;
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
        bool exempt_null;
        const Datum value = SPI_getbinval(tuple, desc, exempt_attnum, &exempt_null);
        if (!exempt_null) {
            const ExemptValues* exempt = exempt_values(fcinfo, rel, trigger, exempt_attnum);
            if (is_exempt(exempt, TupleDescAttr(desc, exempt_attnum - 1)->attcollation, value)) {
                return PointerGetDatum(static_cast<HeapTuple>(nullptr));
            }
        }
    }
    const char* exemption =
        exempt_attnum > 0 ? psprintf(" unless \"%s\" is one of %s", trigger->tgargs[1],
                                     quoted_list(trigger->tgargs + 2, trigger->tgnargs - 2))
                          : "";
    // The key only for a role that may read it (as PostgreSQL's own constraint messages).
    const char* key = row_key(rel, tuple, true);
    ereport(ERROR, (errcode(ERRCODE_NOT_NULL_VIOLATION),
                    errmsg("null value in column \"%s\" of relation \"%s\" at the end of the transaction", column,
                           RelationGetRelationName(rel)),
                    key != nullptr
                        ? errdetail("Row %s must have \"%s\" filled by commit%s.", key, column, exemption)
                        : errdetail("The row must have \"%s\" filled by commit%s.", column, exemption),
                    errtablecol(rel, attnum)));
    return PointerGetDatum(static_cast<HeapTuple>(nullptr));
}

}  // extern "C"
