// RFC 9562 version 7 UUIDs: 48 bits of Unix milliseconds, 12 bits of sub-millisecond fraction in
// rand_a (RFC 9562 section 6.2, method 3, as PostgreSQL 18's uuidv7() lays them out), 62 random
// bits in rand_b.
#pragma once

#include <cstdint>
#include <optional>

#include "core/random.h"
#include "core/uuid.h"

namespace idconv {

inline constexpr int kUuid7FractionBits = 12;
// The last millisecond a version 7 UUID can hold (year 10889).
inline constexpr std::uint64_t kUuid7MaxUnixMs = (std::uint64_t{1} << 48) - 1;

// The 60-bit time of a UUIDv7: unix_ms << 12 | fraction, where fraction = the nanoseconds within
// the millisecond (below 10^6) scaled to 0..4095, rounded down. `unix_ms` at most kUuid7MaxUnixMs.
constexpr std::uint64_t uuid7_time_of(std::uint64_t unix_ms, std::uint32_t ns_in_ms) noexcept {
    return unix_ms << kUuid7FractionBits | (std::uint64_t{ns_in_ms} << kUuid7FractionBits) / 1000000u;
}

// The same from nanoseconds since the epoch (which a uint64 counts until the year 2554).
constexpr std::uint64_t uuid7_time_of_ns(std::uint64_t unix_ns) noexcept {
    return uuid7_time_of(unix_ns / 1000000u, static_cast<std::uint32_t>(unix_ns % 1000000u));
}

// Microseconds from the Unix epoch to PostgreSQL's (2000-01-01 00:00:00 UTC).
inline constexpr std::int64_t kPostgresEpochUnixUs = 946684800000000;

// The Unix microseconds of the time `pg_us` µs after PostgreSQL's epoch (a timestamptz), when a
// version 7 UUID holds its millisecond: from 1970 to kUuid7MaxUnixMs. nullopt for any other int64,
// the infinities (INT64_MIN and INT64_MAX) included.
std::optional<std::uint64_t> uuid7_unix_us_of_postgres(std::int64_t pg_us) noexcept;

// A version 7 UUID of the RFC 9562 variant with the 60-bit `time` (see uuid7_time_of_ns) and the
// low 62 bits of `rand_b`.
Uuid make_uuid7(std::uint64_t time, std::uint64_t rand_b) noexcept;

// The Unix milliseconds of a version 7 UUID of the RFC 9562 variant; nullopt for any other UUID.
// Only the 48-bit field: what other generators put in rand_a is not always time.
std::optional<std::uint64_t> uuid7_unix_ms(const Uuid& uuid) noexcept;

// One per process, as PostgreSQL 18's uuidv7(): every UUID it makes is greater than the one made
// before. When the clock has not advanced past the last one's 60-bit time (the same fraction of a
// millisecond, or a clock set back), the time is the last one's plus one step of the fraction
// (1/4096 ms), so the order holds and the time runs at most a little ahead.
class Uuid7Generator {
public:
    explicit Uuid7Generator(long pid, RandomSource source = openssl_random) : pid_(pid), random_(source) {}

    // Throws idconv::Error (internal) if the random source fails.
    Uuid next(std::uint64_t unix_ns);

    // rand_b bits straight from the pool, for uuid_timestamptz_to_v7.
    std::uint64_t random_bits();

    long pid() const noexcept { return pid_; }
    std::uint64_t last_time() const noexcept { return last_time_; }

private:
    long pid_;
    RandomPool random_;
    std::uint64_t last_time_ = 0;
};

// The calling process's generator, made on first use and made again when `pid` differs from the
// one it was made for: a forked child never continues its parent's random stream.
Uuid7Generator& uuid7_process_generator(long pid);

}  // namespace idconv
