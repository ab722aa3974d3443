// uuid_generate_v7, uuid_v7_to_timestamptz, uuid_timestamptz_to_v7
#include "core/uuid7.h"

extern "C" {
#include "postgres.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
}

#include <cstring>

#include "pg/guard.h"
#include "pg/process.h"

using namespace idconv;
using namespace idconv::pg;

namespace {

static_assert(kPostgresEpochUnixUs ==
                  static_cast<std::int64_t>(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * USECS_PER_SEC,
              "the core's PostgreSQL epoch is PostgreSQL's");

Datum uuid_result(const Uuid& u) {
    auto* out = static_cast<pg_uuid_t*>(palloc(sizeof(pg_uuid_t)));
    std::memcpy(out->data, u.data(), UUID_LEN);
    PG_RETURN_UUID_P(out);
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(uuid_generate_v7);
Datum uuid_generate_v7(PG_FUNCTION_ARGS) {
    Uuid u;
    guarded([&] { u = process_uuid7().next(now_ns()); });
    return uuid_result(u);
}

PG_FUNCTION_INFO_V1(uuid_v7_to_timestamptz);
Datum uuid_v7_to_timestamptz(PG_FUNCTION_ARGS) {
    const pg_uuid_t* arg = PG_GETARG_UUID_P(0);
    Uuid u;
    std::memcpy(u.data(), arg->data, UUID_LEN);
    const std::optional<std::uint64_t> ms = uuid7_unix_ms(u);
    if (!ms) PG_RETURN_NULL();
    // At most 2^48 - 1 ms (year 10889): inside timestamptz's range.
    PG_RETURN_TIMESTAMPTZ(static_cast<TimestampTz>(*ms) * 1000 - kPostgresEpochUnixUs);
}

// STABLE, not VOLATILE, as pg_uuidv7 declares it: a bound in `id >= uuid_timestamptz_to_v7(...)`
// must be computable once for an index scan. Only the random bits below the time differ from call
// to call, and `zero => true` has none.
PG_FUNCTION_INFO_V1(uuid_timestamptz_to_v7);
Datum uuid_timestamptz_to_v7(PG_FUNCTION_ARGS) {
    const TimestampTz ts = PG_GETARG_TIMESTAMPTZ(0);
    const bool zero = PG_GETARG_BOOL(1);
    // The Unix time in µs, when it is one a UUIDv7 holds; never for an infinity.
    const std::optional<std::uint64_t> unix_us = uuid7_unix_us_of_postgres(ts);
    if (!unix_us) {
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                        errmsg("timestamp out of range for a version 7 UUID: \"%s\"", timestamptz_to_str(ts)),
                        errdetail("A version 7 UUID holds the Unix time in 48 bits of milliseconds: from "
                                  "1970-01-01 00:00:00 UTC to 10889-08-02 05:31:50.655 UTC.")));
    }
    Uuid u;
    guarded([&] {
        const std::uint64_t rand_b = zero ? 0 : process_uuid7().random_bits();
        const std::uint64_t us = *unix_us;
        u = make_uuid7(uuid7_time_of(us / 1000, static_cast<std::uint32_t>(us % 1000 * 1000)), rand_b);
    });
    return uuid_result(u);
}

}  // extern "C"
