// Fuzz target "uuid7": Uuid7Generator::next over any sequence of clock readings (standing still,
// going back, jumping ahead), make_uuid7, uuid7_time_of and uuid7_unix_ms, behind SQL's
// uuid_generate_v7, generate_typeid, uuid_timestamptz_to_v7 and uuid_v7_to_timestamptz.
//
// Input: 8-byte little-endian clock readings in nanoseconds; a reading's top byte picks how it is
// used (below 0x80: as is, modulo 2^62; else: the previous reading plus its low 20 bits, or minus
// them when bit 6 of the top byte is set), so that runs within one fraction of a millisecond and
// backward steps are common.
//
// Asserts, for each UUID the generator makes:
//   - version 7 and the RFC 9562 variant; uuid7_unix_ms is its first 48 bits;
//   - greater, bytewise, than the one before;
//   - its 60-bit time is max(the clock's, the last one's + 1) (computed here from the definition),
//     so it runs ahead of the clock only when the clock did not advance;
// and that make_uuid7 keeps the time and the low 62 random bits.
#include <cstdint>
#include <cstring>
#include <string>

#include "common.h"
#include "core/uuid7.h"

using namespace idconv;

namespace {

bool fixed_source(unsigned char* buf, std::size_t len) {
    for (std::size_t i = 0; i < len; ++i) buf[i] = static_cast<unsigned char>(i * 131 + 7);
    return true;
}

std::uint64_t time_of(const Uuid& u) {
    std::uint64_t t = 0;
    for (int i = 0; i < 8; ++i) t = t << 8 | u[i];
    // Drop the version nibble between the 48-bit ms and the 12-bit fraction.
    return (t >> 16) << 12 | (t & 0x0fff);
}

std::uint64_t rand_of(const Uuid& u) {
    std::uint64_t r = 0;
    for (int i = 8; i < 16; ++i) r = r << 8 | u[i];
    return r & (~std::uint64_t{0} >> 2);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Reader in(data, size);
    Uuid7Generator gen(1, fixed_source);
    std::uint64_t clock = 0, last_time = 0;
    Uuid last{};
    bool first = true;
    while (in.remaining() >= 8) {
        const std::uint64_t v = in.u64();
        const unsigned top = static_cast<unsigned>(v >> 56);
        const std::uint64_t delta = v & 0xfffff;
        if (top < 0x80) {
            clock = v & (~std::uint64_t{0} >> 2);
        } else if (top & 0x40) {
            clock = clock >= delta ? clock - delta : 0;
        } else {
            clock += delta;
        }
        const Uuid u = gen.next(clock);
        FUZZ_CHECK(uuid_version(u) == std::optional<int>(7), "not version 7 at clock " + std::to_string(clock));
        FUZZ_CHECK((u[8] & 0xc0) == 0x80, std::string("not the RFC variant"));
        const std::uint64_t t = time_of(u);
        const std::uint64_t from_clock = uuid7_time_of_ns(clock);
        const std::uint64_t want = from_clock > last_time ? from_clock : last_time + 1;
        FUZZ_CHECK(t == want, "time " + std::to_string(t) + ", want " + std::to_string(want));
        FUZZ_CHECK(uuid7_unix_ms(u) == std::optional<std::uint64_t>(t >> 12), std::string("uuid7_unix_ms"));
        FUZZ_CHECK(first || std::memcmp(last.data(), u.data(), 16) < 0,
                   "not increasing at clock " + std::to_string(clock));
        FUZZ_CHECK(gen.last_time() == t, std::string("last_time"));
        const Uuid again = make_uuid7(t, rand_of(u));
        FUZZ_CHECK(again == u, std::string("make_uuid7 lost bits"));
        last = u;
        last_time = t;
        first = false;
    }
    return 0;
}
