#include "core/uuid7.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/error.h"

namespace idconv {
namespace {

std::vector<unsigned char> script;
std::size_t script_pos = 0;
bool scripted_source(unsigned char* buf, std::size_t len) {
    for (std::size_t i = 0; i < len; ++i) buf[i] = script_pos < script.size() ? script[script_pos++] : 0xff;
    return true;
}

bool failing_source(unsigned char*, std::size_t) { return false; }

TEST(Uuid7, LayoutOfRfc9562) {
    // RFC 9562 appendix A.6: 2022-02-22 19:22:22.000 UTC = 0x017F22E279B0 ms.
    const std::uint64_t ms = 0x017F22E279B0u;
    const Uuid u = make_uuid7(ms << 12 | 0xCC3, 0x18C4DC0C0C07398Fu);
    EXPECT_EQ(format_uuid(u), "017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
    EXPECT_EQ(uuid_version(u), std::optional<int>(7));
    EXPECT_EQ(uuid7_unix_ms(u), std::optional<std::uint64_t>(ms));
}

TEST(Uuid7, UnixTimeOfATimestamptz) {
    // 2022-02-22 19:22:22.000999 UTC, as PostgreSQL stores it: µs since 2000-01-01.
    EXPECT_EQ(uuid7_unix_us_of_postgres(698872942000999), std::optional<std::uint64_t>(1645557742000999u));
    EXPECT_EQ(uuid7_unix_us_of_postgres(-kPostgresEpochUnixUs), std::optional<std::uint64_t>(0));
    EXPECT_EQ(uuid7_unix_us_of_postgres(-kPostgresEpochUnixUs - 1), std::nullopt);
    const auto last_us = static_cast<std::int64_t>(kUuid7MaxUnixMs * 1000 + 999);
    EXPECT_EQ(uuid7_unix_us_of_postgres(last_us - kPostgresEpochUnixUs),
              std::optional<std::uint64_t>(static_cast<std::uint64_t>(last_us)));
    EXPECT_EQ(uuid7_unix_us_of_postgres(last_us + 1 - kPostgresEpochUnixUs), std::nullopt);
    // PostgreSQL's last timestamptz (294276-12-31 23:59:59.999999 UTC), one after year 294247 whose
    // Unix time no int64 holds, and the infinities: out of range, with no overflow on the way
    // (UBSan, in the sanitized build, reports one).
    EXPECT_EQ(uuid7_unix_us_of_postgres(9223371331199999999), std::nullopt);
    EXPECT_EQ(uuid7_unix_us_of_postgres(INT64_MAX - kPostgresEpochUnixUs + 1), std::nullopt);
    EXPECT_EQ(uuid7_unix_us_of_postgres(INT64_MAX), std::nullopt);
    EXPECT_EQ(uuid7_unix_us_of_postgres(INT64_MIN), std::nullopt);
}

TEST(Uuid7, VariantBitsOverwriteRandom) {
    const Uuid u = make_uuid7(0, ~std::uint64_t{0});
    EXPECT_EQ(format_uuid(u), "00000000-0000-7000-bfff-ffffffffffff");
    const Uuid z = make_uuid7(0, 0);
    EXPECT_EQ(format_uuid(z), "00000000-0000-7000-8000-000000000000");
}

TEST(Uuid7, FractionOfTheMillisecond) {
    EXPECT_EQ(uuid7_time_of_ns(1000000), 1u << 12);
    EXPECT_EQ(uuid7_time_of_ns(1999999), (1u << 12) | 4095u);
    EXPECT_EQ(uuid7_time_of_ns(1500000), (1u << 12) | 2048u);
    EXPECT_EQ(uuid7_time_of_ns(244), 0u);   // 1/4096 ms is 244.14 ns
    EXPECT_EQ(uuid7_time_of_ns(245), 1u);
    // The last millisecond, which nanoseconds in 64 bits cannot reach.
    EXPECT_EQ(uuid7_time_of(kUuid7MaxUnixMs, 999999), ~std::uint64_t{0} >> 4);
    EXPECT_EQ(format_uuid(make_uuid7(uuid7_time_of(kUuid7MaxUnixMs, 999999), 0)), "ffffffff-ffff-7fff-8000-000000000000");
}

TEST(Uuid7, UnixMsOnlyForVersion7OfTheRfcVariant) {
    Uuid u = make_uuid7(12345u << 12, 0);
    EXPECT_EQ(uuid7_unix_ms(u), std::optional<std::uint64_t>(12345));
    u[6] = static_cast<unsigned char>(0x40 | (u[6] & 0x0f));
    EXPECT_FALSE(uuid7_unix_ms(u));
    u = make_uuid7(12345u << 12, 0);
    u[8] = 0x00;  // NCS variant
    EXPECT_FALSE(uuid7_unix_ms(u));
}

TEST(Uuid7, RandomBitsComeFromThePool) {
    script = {1, 2, 3, 4, 5, 6, 7, 8};
    script_pos = 0;
    Uuid7Generator gen(1, scripted_source);
    const Uuid u = gen.next(1000000);
    EXPECT_EQ(format_uuid(u), "00000000-0001-7000-8102-030405060708");
}

TEST(Uuid7, StrictlyIncreasingWhenTheClockStandsStillOrGoesBack) {
    Uuid7Generator gen(1);
    const std::uint64_t t = 1780000000123456789u;
    Uuid last = gen.next(t);
    const std::uint64_t times[] = {t, t, t + 100, t - 5000000, t - 5000000, t + 1000000};
    for (std::uint64_t now : times) {
        const Uuid u = gen.next(now);
        EXPECT_LT(std::memcmp(last.data(), u.data(), 16), 0) << format_uuid(last) << " " << format_uuid(u);
        last = u;
    }
    // The step is one unit of the fraction: 5 calls at a standing clock run 5/4096 ms ahead.
    Uuid7Generator g2(1);
    for (int i = 0; i < 5; ++i) g2.next(t);
    EXPECT_EQ(g2.last_time(), uuid7_time_of_ns(t) + 4);
    // 4096 calls in one fraction carry into the next millisecond, still in order.
    Uuid7Generator g3(1);
    for (int i = 0; i < 5000; ++i) g3.next(t);
    EXPECT_EQ(g3.last_time(), uuid7_time_of_ns(t) + 4999);
    EXPECT_EQ(*uuid7_unix_ms(make_uuid7(g3.last_time(), 0)), (uuid7_time_of_ns(t) + 4999) >> 12);
}

TEST(Uuid7, AdvancingClockIsUsedAsIs) {
    Uuid7Generator gen(1);
    gen.next(1000000000);
    gen.next(1000000000 + 250);  // one fraction step later
    EXPECT_EQ(gen.last_time(), uuid7_time_of_ns(1000000250));
    gen.next(2000000000);
    EXPECT_EQ(gen.last_time(), uuid7_time_of_ns(2000000000));
}

TEST(Uuid7, FailedSourceRaises) {
    Uuid7Generator gen(1, failing_source);
    EXPECT_THROW(gen.next(0), Error);
}

TEST(Uuid7, ProcessGeneratorIsRemadeInAForkedChild) {
    Uuid7Generator& a = uuid7_process_generator(100);
    a.next(5000000000);
    EXPECT_EQ(&uuid7_process_generator(100), &a);
    Uuid7Generator& b = uuid7_process_generator(101);
    EXPECT_EQ(b.pid(), 101);
    EXPECT_EQ(b.last_time(), 0u);
}

}  // namespace
}  // namespace idconv
