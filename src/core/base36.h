// Base-36 digits (0-9, a-z) as the CUID2 reference writes them with JavaScript's toString(36).
#pragma once

#include <cstddef>
#include <cstdint>

namespace idconv {

inline constexpr char kBase36Digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";

// All 1296 two-digit strings "00".."zz", for writing two digits at a time.
struct Base36Pairs {
    char pairs[36 * 36][2];
    constexpr Base36Pairs() : pairs() {
        for (int i = 0; i < 36 * 36; ++i) {
            pairs[i][0] = kBase36Digits[i / 36];
            pairs[i][1] = kBase36Digits[i % 36];
        }
    }
};
inline constexpr Base36Pairs kBase36Pairs;

// Most digits an unsigned 64-bit value takes in base 36.
inline constexpr std::size_t kMaxBase36U64Digits = 13;
// Most digits a 512-bit value takes in base 36 (36^99 < 2^512 < 36^100).
inline constexpr std::size_t kMaxBase36U512Digits = 100;

// Writes `value` in base 36 without leading zeros ("0" for zero) and returns the digit count.
// `out` must hold kMaxBase36U64Digits chars; no terminator is written.
std::size_t base36_u64(std::uint64_t value, char* out);

// Reads the 64 bytes at `digest` as one big-endian unsigned integer and writes it in base 36
// without leading zeros ("0" for zero); returns the digit count. `out` must hold
// kMaxBase36U512Digits chars; no terminator is written.
std::size_t base36_u512(const unsigned char* digest, char* out);

// Digits [skip, skip + count) of base36_u512(digest), written into `out`; returns how many there
// are (fewer than `count` only when the number has fewer digits). 1 <= count <= 34, skip <= 2.
// What a CUID2 needs from its digest, without converting the 66-odd low digits it never shows.
std::size_t base36_u512_window(const unsigned char* digest, std::size_t skip, std::size_t count, char* out);

}  // namespace idconv
