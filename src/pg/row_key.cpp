#include "pg/row_key.h"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_index.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/syscache.h"
}

namespace idconv::pg {

char* row_key(Relation rel, HeapTuple tuple, bool check_privileges) {
    const Oid relid = RelationGetRelid(rel);
    // The primary key's columns in its own order, from pg_index (RelationGetPrimaryKeyIndex
    // changed its signature in PostgreSQL 18; the index list did not).
    int nkeys = 0;
    AttrNumber* keys = nullptr;
    List* indexes = RelationGetIndexList(rel);
    ListCell* cell;
    foreach (cell, indexes) {
        const Oid index = lfirst_oid(cell);
        HeapTuple index_tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
        if (!HeapTupleIsValid(index_tuple)) elog(ERROR, "cache lookup failed for index %u", index);
        const auto* form = reinterpret_cast<Form_pg_index>(GETSTRUCT(index_tuple));
        if (form->indisprimary) {
            nkeys = form->indnkeyatts;
            keys = static_cast<AttrNumber*>(palloc(sizeof(AttrNumber) * nkeys));
            for (int i = 0; i < nkeys; ++i) keys[i] = form->indkey.values[i];
        }
        ReleaseSysCache(index_tuple);
        if (keys != nullptr) break;
    }
    list_free(indexes);
    if (keys == nullptr) return pstrdup("(no primary key)");

    if (check_privileges) {
        if (check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED) return nullptr;
        if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK) {
            for (int i = 0; i < nkeys; ++i) {
                if (pg_attribute_aclcheck(relid, keys[i], GetUserId(), ACL_SELECT) != ACLCHECK_OK) return nullptr;
            }
        }
    }

    StringInfoData names, values;
    initStringInfo(&names);
    initStringInfo(&values);
    TupleDesc desc = RelationGetDescr(rel);
    for (int i = 0; i < nkeys; ++i) {
        if (i > 0) {
            appendStringInfoString(&names, ", ");
            appendStringInfoString(&values, ", ");
        }
        appendStringInfoString(&names, quote_identifier(NameStr(TupleDescAttr(desc, keys[i] - 1)->attname)));
        char* value = SPI_getvalue(tuple, desc, keys[i]);
        appendStringInfoString(&values, value != nullptr ? value : "null");
    }
    return psprintf("(%s)=(%s)", names.data, values.data);
}

}  // namespace idconv::pg
