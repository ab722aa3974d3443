#include "core/uuid7.h"

namespace idconv {

Uuid make_uuid7(std::uint64_t time, std::uint64_t rand_b) noexcept {
    const std::uint64_t ms = time >> kUuid7FractionBits;
    const unsigned fraction = static_cast<unsigned>(time & ((1u << kUuid7FractionBits) - 1));
    Uuid u;
    for (int i = 0; i < 6; ++i) u[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
    u[6] = static_cast<unsigned char>(0x70 | (fraction >> 8));
    u[7] = static_cast<unsigned char>(fraction);
    for (int i = 0; i < 8; ++i) u[8 + i] = static_cast<unsigned char>(rand_b >> (56 - 8 * i));
    u[8] = static_cast<unsigned char>(0x80 | (u[8] & 0x3f));
    return u;
}

std::optional<std::uint64_t> uuid7_unix_us_of_postgres(std::int64_t pg_us) noexcept {
    // Bounds in PostgreSQL's time, compared before the shift to Unix time: the addition overflows
    // an int64 after about the year 294247, and timestamptz runs to 294276.
    constexpr std::int64_t kLastUs = static_cast<std::int64_t>(kUuid7MaxUnixMs * 1000 + 999) - kPostgresEpochUnixUs;
    if (pg_us < -kPostgresEpochUnixUs || pg_us > kLastUs) return std::nullopt;
    return static_cast<std::uint64_t>(pg_us + kPostgresEpochUnixUs);
}

std::optional<std::uint64_t> uuid7_unix_ms(const Uuid& uuid) noexcept {
    if (uuid_version(uuid) != std::optional<int>(7)) return std::nullopt;
    std::uint64_t ms = 0;
    for (int i = 0; i < 6; ++i) ms = ms << 8 | uuid[i];
    return ms;
}

std::uint64_t Uuid7Generator::random_bits() {
    unsigned char b[8];
    random_.fill(b, sizeof b);
    std::uint64_t v = 0;
    for (unsigned char c : b) v = v << 8 | c;
    return v;
}

Uuid Uuid7Generator::next(std::uint64_t unix_ns) {
    const std::uint64_t rand_b = random_bits();
    std::uint64_t time = uuid7_time_of_ns(unix_ns);
    if (time <= last_time_) time = last_time_ + 1;
    // Past year 10889 the field would wrap, and the order with it; stay at the last value there
    // rather than go back to 1970 (only a clock that far off gets here).
    const std::uint64_t max_time = (kUuid7MaxUnixMs << kUuid7FractionBits) | ((1u << kUuid7FractionBits) - 1);
    if (time > max_time) time = max_time;
    last_time_ = time;
    return make_uuid7(time, rand_b);
}

Uuid7Generator& uuid7_process_generator(long pid) {
    // Never destroyed: no destructor may run after OpenSSL's exit handler.
    static Uuid7Generator* generator = nullptr;
    if (generator == nullptr || generator->pid() != pid) {
        Uuid7Generator* fresh = new Uuid7Generator(pid);
        delete generator;
        generator = fresh;
    }
    return *generator;
}

}  // namespace idconv
