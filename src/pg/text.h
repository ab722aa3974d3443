// Argument and result helpers for text. Both can raise a PostgreSQL ERROR (detoasting, palloc), so
// call them outside guarded().
#pragma once

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "utils/builtins.h"
}

#include "pg/compat.h"

#include <string_view>

namespace idconv::pg {

inline std::string_view text_arg(FunctionCallInfo fcinfo, int n) {
    // PG_GETARG_TEXT_PP, with its test made here: a short id is never compressed or out of line,
    // and the call to pg_detoast_datum_packed costs as much as validating it.
    auto* t = reinterpret_cast<struct varlena*>(DatumGetPointer(PG_GETARG_DATUM(n)));
    if (VARATT_IS_COMPRESSED(t) || VARATT_IS_EXTERNAL(t)) t = pg_detoast_datum_packed(t);
    return {VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)};
}

inline Datum text_result(const char* data, std::size_t len) {
    return PointerGetDatum(cstring_to_text_with_len(data, static_cast<int>(len)));
}

}  // namespace idconv::pg
