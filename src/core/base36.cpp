#include "core/base36.h"

#include <cstring>

namespace idconv {

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
    // 16 big-endian 32-bit limbs, divided repeatedly by 36^6: the divisor is a constant that
    // fits 32 bits, so each step is a multiply-by-reciprocal, and every pass yields six digits.
    constexpr std::uint32_t kChunk = 2176782336u;  // 36^6
    constexpr int kChunkDigits = 6;
    std::uint32_t limbs[16];
    for (int i = 0; i < 16; ++i) {
        limbs[i] = (std::uint32_t{digest[4 * i]} << 24) | (std::uint32_t{digest[4 * i + 1]} << 16) |
                   (std::uint32_t{digest[4 * i + 2]} << 8) | std::uint32_t{digest[4 * i + 3]};
    }
    char tmp[kMaxBase36U512Digits + kChunkDigits];
    std::size_t n = 0;  // digits written to tmp, least significant first
    int top = 0;        // first non-zero limb
    while (top < 16 && limbs[top] == 0) ++top;
    while (top < 16) {
        std::uint64_t rem = 0;
        for (int i = top; i < 16; ++i) {
            const std::uint64_t cur = (rem << 32) | limbs[i];
            limbs[i] = static_cast<std::uint32_t>(cur / kChunk);
            rem = cur % kChunk;
        }
        while (top < 16 && limbs[top] == 0) ++top;
        auto r = static_cast<std::uint32_t>(rem);
        for (int d = 0; d < kChunkDigits; ++d) {
            tmp[n++] = kBase36Digits[r % 36];
            r /= 36;
        }
    }
    // The last chunk was padded with zeros above its highest digit; drop them.
    while (n > 1 && tmp[n - 1] == '0') --n;
    if (n == 0) tmp[n++] = '0';
    for (std::size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
    return n;
}

}  // namespace idconv
