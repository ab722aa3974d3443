// Base-36 digits (0-9, a-z) as the CUID2 reference writes them with JavaScript's toString(36).
#pragma once

#include <cstddef>
#include <cstdint>

namespace idconv {

inline constexpr char kBase36Digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";

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

}  // namespace idconv
