#include "pg/trigger.h"

extern "C" {
#include "catalog/pg_trigger.h"
#include "executor/spi.h"
#include "utils/rel.h"
}

namespace idconv::pg {

TriggerData* insert_update_row_trigger(FunctionCallInfo fcinfo, const char* function, bool before, const char* hint) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("%s() must be called as a trigger", function)));
    }
    auto* trigdata = reinterpret_cast<TriggerData*>(fcinfo->context);
    const TriggerEvent event = trigdata->tg_event;
    const bool right_time = before ? TRIGGER_FIRED_BEFORE(event) : TRIGGER_FIRED_AFTER(event);
    const Trigger* trigger = trigdata->tg_trigger;
    const bool declared_right = TRIGGER_FOR_INSERT(trigger->tgtype) && TRIGGER_FOR_UPDATE(trigger->tgtype) &&
                                trigger->tgnattr == 0;
    if (!right_time || !TRIGGER_FIRED_FOR_ROW(event) || !declared_right ||
        !(TRIGGER_FIRED_BY_INSERT(event) || TRIGGER_FIRED_BY_UPDATE(event))) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("%s() must be fired %s INSERT OR UPDATE ... FOR EACH ROW", function,
                               before ? "BEFORE" : "AFTER"),
                        hint != nullptr ? errhint("%s", hint) : 0));
    }
    return trigdata;
}

int trigger_column(Relation rel, const Trigger* trigger, const char* column, const char* detail) {
    const int attnum = SPI_fnumber(RelationGetDescr(rel), column);
    if (attnum <= 0) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" of relation \"%s\" does not exist", column, RelationGetRelationName(rel)),
                        errdetail(detail, trigger->tgname)));
    }
    return attnum;
}

}  // namespace idconv::pg
