#include "core/base36.h"

#include <cstring>

namespace idconv {

namespace {

using u128 = unsigned __int128;

// Dividing the 512-bit digest by 36 again and again is a chain of dependent divisions, so its
// cost is their number times their latency. Dividing by 36^12 (the largest power of 36 below
// 2^64) with 64-bit limbs takes a quarter of the steps of 32-bit limbs and 36^6, and each step is
// a division by an invariant integer done with a precomputed reciprocal (Moller and Granlund,
// "Improved division by invariant integers", 2011): two multiplications and no divide.
constexpr std::uint64_t kChunk = 4738381338321616896ull;  // 36^12, between 2^62 and 2^63
constexpr int kChunkDigits = 12;
constexpr std::uint64_t kNormalized = kChunk << 1;  // top bit set, as the method needs
constexpr std::uint64_t kReciprocal = static_cast<std::uint64_t>(~u128{0} / kNormalized);  // minus 2^64

// (hi, lo) / kNormalized with hi < kNormalized: the quotient, and the remainder in *rem.
inline std::uint64_t divide_normalized(std::uint64_t hi, std::uint64_t lo, std::uint64_t* rem) noexcept {
    u128 q = static_cast<u128>(kReciprocal) * hi;
    q += (static_cast<u128>(hi) << 64) | lo;
    auto q1 = static_cast<std::uint64_t>(q >> 64) + 1;
    const auto q0 = static_cast<std::uint64_t>(q);
    std::uint64_t r = lo - q1 * kNormalized;
    if (r > q0) {
        --q1;
        r += kNormalized;
    }
    if (r >= kNormalized) {
        ++q1;
        r -= kNormalized;
    }
    *rem = r;
    return q1;
}

// Two base-36 digits at a time.
struct DigitPairs {
    char pairs[36 * 36][2];
    constexpr DigitPairs() : pairs() {
        for (int i = 0; i < 36 * 36; ++i) {
            pairs[i][0] = kBase36Digits[i / 36];
            pairs[i][1] = kBase36Digits[i % 36];
        }
    }
};
constexpr DigitPairs kPairs;

// Writes the 12 digits of r < 36^12, most significant first, zero-padded.
inline void twelve_digits(std::uint64_t r, char* out) noexcept {
    // Two independent halves of six digits, three pairs each.
    auto hi = static_cast<std::uint32_t>(r / 2176782336u);  // 36^6
    auto lo = static_cast<std::uint32_t>(r % 2176782336u);
    for (int k = 2; k >= 0; --k) {
        std::memcpy(out + 2 * k, kPairs.pairs[hi % 1296], 2);
        std::memcpy(out + 6 + 2 * k, kPairs.pairs[lo % 1296], 2);
        hi /= 1296;
        lo /= 1296;
    }
}

}  // namespace

std::size_t base36_u64(std::uint64_t value, char* out) {
    char tmp[kMaxBase36U64Digits];
    std::size_t n = 0;
    do {
        tmp[n++] = kBase36Digits[value % 36];
        value /= 36;
    } while (value != 0);
    for (std::size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
    return n;
}

std::size_t base36_u512(const unsigned char* digest, char* out) {
    std::uint64_t limbs[8];
    for (int i = 0; i < 8; ++i) {
        std::uint64_t v = 0;
        for (int b = 0; b < 8; ++b) v = (v << 8) | digest[8 * i + b];
        limbs[i] = v;
    }
    // Chunks of 12 digits, least significant first, written from the end of tmp backwards.
    constexpr std::size_t kTmp = 9 * kChunkDigits;  // 108 >= 100 digits
    char tmp[kTmp];
    std::size_t start = kTmp;
    int top = 0;
    while (top < 8 && limbs[top] == 0) ++top;
    while (top < 8) {
        // Divide by 36^12 as (2 * value) / (2 * 36^12): the high word stays below the divisor,
        // and `rem` carries twice the true remainder (even, so the next limb's top bit fits in).
        std::uint64_t rem = 0;
        for (int i = top; i < 8; ++i) {
            const std::uint64_t hi = rem | (limbs[i] >> 63);
            limbs[i] = divide_normalized(hi, limbs[i] << 1, &rem);
        }
        while (top < 8 && limbs[top] == 0) ++top;
        start -= kChunkDigits;
        twelve_digits(rem >> 1, tmp + start);
    }
    // The last chunk was padded with zeros above its highest digit; drop them.
    while (start < kTmp - 1 && tmp[start] == '0') ++start;
    if (start == kTmp) tmp[--start] = '0';
    const std::size_t n = kTmp - start;
    std::memcpy(out, tmp + start, n);
    return n;
}

}  // namespace idconv
