// generate_cuid2, is_cuid2
#include "core/cuid2.h"

#include "core/prefix.h"
#include "pg/process.h"
#include "pg/guard.h"
#include "pg/text.h"

using namespace idconv;
using namespace idconv::pg;

extern "C" {

PG_FUNCTION_INFO_V1(generate_cuid2);
Datum generate_cuid2(PG_FUNCTION_ARGS) {
    const int32 length = PG_GETARG_INT32(0);
    char out[kCuid2MaxLength];
    std::size_t n = 0;
    guarded([&] { n = process_generator().next(length, now_ms(), out); });
    return text_result(out, n);
}

PG_FUNCTION_INFO_V1(is_cuid2);
Datum is_cuid2(PG_FUNCTION_ARGS) {
    const std::string_view id = text_arg(fcinfo, 0);
    const int32 min_length = PG_GETARG_INT32(1);
    const int32 max_length = PG_GETARG_INT32(2);
    bool ok = false;
    guarded([&] { ok = idconv::is_cuid2(id, min_length, max_length); });
    PG_RETURN_BOOL(ok);
}

}  // extern "C"
