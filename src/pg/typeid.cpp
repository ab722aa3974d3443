// generate_typeid, is_typeid, typeid_to_uuid, uuid_to_typeid, typeid_prefix
#include "core/typeid.h"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "utils/uuid.h"
}

#include <cstring>

#include "pg/guard.h"
#include "pg/process.h"
#include "pg/text.h"

using namespace idconv;
using namespace idconv::pg;

extern "C" {

PG_FUNCTION_INFO_V1(generate_typeid);
Datum generate_typeid(PG_FUNCTION_ARGS) {
    const std::string_view prefix = text_arg(fcinfo, 0);
    char out[kMaxTypeidLength];
    std::size_t n = 0;
    guarded([&] { n = idconv::generate_typeid(process_uuid7(), prefix, now_ns(), out); });
    return text_result(out, n);
}

// Not STRICT: a NULL expected prefix means "any prefix".
PG_FUNCTION_INFO_V1(is_typeid);
Datum is_typeid(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    const std::string_view id = text_arg(fcinfo, 0);
    const bool any_prefix = PG_ARGISNULL(1);
    const std::string_view prefix = any_prefix ? std::string_view{} : text_arg(fcinfo, 1);
    bool ok = false;
    guarded([&] { ok = idconv::is_typeid(id, any_prefix ? nullptr : &prefix); });
    PG_RETURN_BOOL(ok);
}

PG_FUNCTION_INFO_V1(typeid_to_uuid);
Datum typeid_to_uuid(PG_FUNCTION_ARGS) {
    const std::string_view id = text_arg(fcinfo, 0);
    TypeidParts parts;
    TypeidProblem problem = TypeidProblem::none;
    guarded([&] { problem = parse_typeid(id, &parts); });
    if (problem != TypeidProblem::none) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                        errmsg("invalid input syntax for a TypeID: \"%s\"", shown(id)),
                        errdetail("%s", typeid_problem_text(problem))));
    }
    auto* out = static_cast<pg_uuid_t*>(palloc(sizeof(pg_uuid_t)));
    std::memcpy(out->data, parts.uuid.data(), UUID_LEN);
    PG_RETURN_UUID_P(out);
}

PG_FUNCTION_INFO_V1(uuid_to_typeid);
Datum uuid_to_typeid(PG_FUNCTION_ARGS) {
    const std::string_view prefix = text_arg(fcinfo, 0);
    const pg_uuid_t* arg = PG_GETARG_UUID_P(1);
    Uuid u;
    std::memcpy(u.data(), arg->data, UUID_LEN);
    char out[kMaxTypeidLength];
    std::size_t n = 0;
    guarded([&] { n = format_typeid(prefix, u, out); });
    return text_result(out, n);
}

PG_FUNCTION_INFO_V1(typeid_prefix);
Datum typeid_prefix(PG_FUNCTION_ARGS) {
    const std::string_view id = text_arg(fcinfo, 0);
    TypeidParts parts;
    TypeidProblem problem = TypeidProblem::none;
    guarded([&] { problem = parse_typeid(id, &parts); });
    if (problem != TypeidProblem::none) PG_RETURN_NULL();
    return text_result(parts.prefix.data(), parts.prefix.size());
}

}  // extern "C"
