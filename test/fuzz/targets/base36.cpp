// Fuzz target "base36": base36_u64, base36_u512 and base36_u512_window, the hand-written
// multi-precision arithmetic (division by a precomputed reciprocal, Knuth's long division by a
// power of 36) that turns every CUID2 digest and fingerprint into digits. The digest of a real id
// is SHA3 output the fuzzer cannot steer, so this target hands the conversion the 512-bit values
// directly, including the ones near powers of 36 where digit counts and quotient estimates change.
//
// Input layout (missing bytes read as 0):
//   byte 0    mode: even = raw value, odd = built from a power of 36
//   raw:      up to 64 bytes, the value's low end (left-padded with zero bytes), big-endian
//   built:    byte k (% 100), u64 m, u64 d; the value is 36^k * m + d, or 36^k * m - d when bit 1
//             of the mode is set (mod 2^512)
//   then      8 bytes for base36_u64 (when absent, the value's low 64 bits)
//
// Asserts: base36_u512 equals schoolbook base 36 of the value (no leading zeros, "0" for zero);
// base36_u512_window(skip, count) for every skip 0..2 and count 1..34 equals those digits
// [skip, skip + count), cut at the end, written into a buffer of exactly `count` chars;
// base36_u64 equals std::to_chars in base 36, into a buffer of exactly kMaxBase36U64Digits.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common.h"
#include "core/base36.h"

using namespace idconv;
using fuzz::show;

namespace {

using Limbs = std::uint64_t[8];  // little-endian

void mul_small(Limbs v, std::uint64_t m) {
    unsigned __int128 carry = 0;
    for (int i = 0; i < 8; ++i) {
        const unsigned __int128 t = static_cast<unsigned __int128>(v[i]) * m + carry;
        v[i] = static_cast<std::uint64_t>(t);
        carry = t >> 64;
    }
}

void add_small(Limbs v, std::uint64_t d, bool subtract) {
    for (int i = 0; i < 8 && d != 0; ++i) {
        const std::uint64_t before = v[i];
        v[i] = subtract ? before - d : before + d;
        d = subtract ? (v[i] > before) : (v[i] < before);  // the borrow or carry
    }
}

std::string digest_hex(const unsigned char* d) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 64; ++i) {
        s += kHex[d[i] >> 4];
        s += kHex[d[i] & 15];
    }
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Reader r(data, size);
    const std::uint8_t mode = r.byte();
    unsigned char digest[64] = {};
    if (mode % 2 == 0) {
        const std::string_view bytes = r.take(64);
        std::memcpy(digest + 64 - bytes.size(), bytes.data(), bytes.size());
    } else {
        const int k = r.byte() % 100;
        const std::uint64_t m = r.u64();
        const std::uint64_t d = r.u64();
        Limbs v = {1};
        for (int i = 0; i < k; ++i) mul_small(v, 36);
        mul_small(v, m);
        add_small(v, d, (mode & 2) != 0);
        for (int i = 0; i < 8; ++i) {
            for (int b = 0; b < 8; ++b) digest[63 - 8 * i - b] = static_cast<unsigned char>(v[i] >> (8 * b));
        }
    }
    const std::string want = fuzz::ref_base36_be(digest, sizeof digest);
    const std::string value = digest_hex(digest);

    auto all = fuzz::exact_buffer(kMaxBase36U512Digits);
    const std::size_t n = base36_u512(digest, all.get());
    FUZZ_CHECK(std::string(all.get(), n) == want,
               "base36_u512(0x" + value + ") = " + show(std::string_view(all.get(), n)) + ", want " + want);

    for (std::size_t skip = 0; skip <= 2; ++skip) {
        for (std::size_t count = 1; count <= 34; ++count) {
            auto out = fuzz::exact_buffer(count);
            const std::size_t got = base36_u512_window(digest, skip, count, out.get());
            const std::string expect = skip < want.size() ? want.substr(skip, count) : std::string();
            FUZZ_CHECK(std::string(out.get(), got) == expect,
                       "base36_u512_window(0x" + value + ", " + std::to_string(skip) + ", " + std::to_string(count) +
                           ") = " + show(std::string_view(out.get(), got)) + ", want " + show(expect));
        }
    }

    std::uint64_t small = 0;
    if (r.remaining() >= 8) {
        small = r.u64();
    } else {
        for (int b = 0; b < 8; ++b) small = (small << 8) | digest[56 + b];
    }
    auto out64 = fuzz::exact_buffer(kMaxBase36U64Digits);
    const std::size_t m = base36_u64(small, out64.get());
    FUZZ_CHECK(std::string(out64.get(), m) == fuzz::ref_base36_u64(small),
               "base36_u64(" + std::to_string(small) + ") = " + show(std::string_view(out64.get(), m)));
    return 0;
}
