// generate_cuid2, is_cuid2, cuid2_generator_state
#include "core/cuid2.h"

extern "C" {
#include "postgres.h"
#include "access/htup_details.h"
#include "funcapi.h"
}

#include "core/prefix.h"
#include "pg/process.h"
#include "pg/guard.h"
#include "pg/text.h"

#include <cstring>

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

// This backend's generator, made now if it was not: what tells two backends' generators apart.
PG_FUNCTION_INFO_V1(cuid2_generator_state);
Datum cuid2_generator_state(PG_FUNCTION_ARGS) {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE) {
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("cuid2_generator_state must be called in a context that accepts a record")));
    }
    long pid = 0;
    std::uint64_t start = 0;
    std::uint64_t next = 0;
    char fingerprint[kCuid2FingerprintLength];
    guarded([&] {
        const Cuid2Generator& gen = process_generator();
        pid = gen.pid();
        start = gen.counter_start();
        next = gen.counter();
        std::memcpy(fingerprint, gen.fingerprint().data(), sizeof fingerprint);
    });
    Datum values[4] = {Int32GetDatum(static_cast<int32>(pid)), Int64GetDatum(static_cast<int64>(start)),
                       Int64GetDatum(static_cast<int64>(next)), text_result(fingerprint, sizeof fingerprint)};
    bool nulls[4] = {false, false, false, false};
    return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls));
}

}  // extern "C"
