// generate_prefixed_id, is_valid_prefix, is_prefixed_id, prefixed_id_prefix, prefixed_id_body
#include "core/prefix.h"

#include "pg/process.h"
#include "pg/guard.h"
#include "pg/text.h"

using namespace idconv;
using namespace idconv::pg;

namespace {

// One part of a prefixed id, or SQL NULL when the argument is not one.
Datum prefixed_id_part(FunctionCallInfo fcinfo, std::string_view PrefixedIdParts::*part) {
    const std::string_view id = text_arg(fcinfo, 0);
    PrefixedIdParts parts;
    bool ok = false;
    guarded([&] { ok = split_prefixed_id(id, &parts); });
    if (!ok) PG_RETURN_NULL();
    const std::string_view value = parts.*part;
    return text_result(value.data(), value.size());
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(generate_prefixed_id);
Datum generate_prefixed_id(PG_FUNCTION_ARGS) {
    const std::string_view prefix = text_arg(fcinfo, 0);
    const int32 body_length = PG_GETARG_INT32(1);
    char out[kMaxPrefixedIdLength];
    std::size_t n = 0;
    guarded([&] { n = idconv::generate_prefixed_id(process_generator(), prefix, body_length, now_ms(), out); });
    return text_result(out, n);
}

PG_FUNCTION_INFO_V1(is_valid_prefix);
Datum is_valid_prefix(PG_FUNCTION_ARGS) {
    const std::string_view prefix = text_arg(fcinfo, 0);
    bool ok = false;
    guarded([&] { ok = idconv::is_valid_prefix(prefix); });
    PG_RETURN_BOOL(ok);
}

// Not STRICT: a NULL expected prefix means "any prefix".
PG_FUNCTION_INFO_V1(is_prefixed_id);
Datum is_prefixed_id(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(2)) PG_RETURN_NULL();
    const std::string_view id = text_arg(fcinfo, 0);
    const bool any_prefix = PG_ARGISNULL(1);
    const std::string_view prefix = any_prefix ? std::string_view{} : text_arg(fcinfo, 1);
    const int32 body_length = PG_GETARG_INT32(2);
    bool ok = false;
    guarded([&] { ok = idconv::is_prefixed_id(id, any_prefix ? nullptr : &prefix, body_length); });
    PG_RETURN_BOOL(ok);
}

PG_FUNCTION_INFO_V1(prefixed_id_prefix);
Datum prefixed_id_prefix(PG_FUNCTION_ARGS) { return prefixed_id_part(fcinfo, &PrefixedIdParts::prefix); }

PG_FUNCTION_INFO_V1(prefixed_id_body);
Datum prefixed_id_body(PG_FUNCTION_ARGS) { return prefixed_id_part(fcinfo, &PrefixedIdParts::body); }

}  // extern "C"
