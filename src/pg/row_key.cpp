#include "pg/row_key.h"

extern "C" {
#include "access/sysattr.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "nodes/bitmapset.h"
#include "utils/builtins.h"
#include "utils/rel.h"
}

namespace idconv::pg {

char* row_key(Relation rel, HeapTuple tuple) {
    Bitmapset* pk = RelationGetIndexAttrBitmap(rel, INDEX_ATTR_BITMAP_PRIMARY_KEY);
    if (pk == nullptr) return pstrdup("(no primary key)");
    StringInfoData names, values;
    initStringInfo(&names);
    initStringInfo(&values);
    TupleDesc desc = RelationGetDescr(rel);
    int member = -1;
    while ((member = bms_next_member(pk, member)) >= 0) {
        const AttrNumber attnum = static_cast<AttrNumber>(member + FirstLowInvalidHeapAttributeNumber);
        if (names.len > 0) {
            appendStringInfoString(&names, ", ");
            appendStringInfoString(&values, ", ");
        }
        appendStringInfoString(&names, quote_identifier(NameStr(TupleDescAttr(desc, attnum - 1)->attname)));
        char* value = SPI_getvalue(tuple, desc, attnum);
        appendStringInfoString(&values, value != nullptr ? value : "null");
    }
    return psprintf("(%s)=(%s)", names.data, values.data);
}

}  // namespace idconv::pg
