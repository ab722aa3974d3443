// id_kind
#include "core/classify.h"

#include <cstring>

#include "pg/guard.h"
#include "pg/text.h"

using namespace idconv;
using namespace idconv::pg;

extern "C" {

PG_FUNCTION_INFO_V1(id_kind);
Datum id_kind(PG_FUNCTION_ARGS) {
    const std::string_view id = text_arg(fcinfo, 0);
    const char* kind = nullptr;
    guarded([&] { kind = idconv::id_kind(id); });
    return text_result(kind, std::strlen(kind));
}

}  // extern "C"
