// Random characters and numbers from a CSPRNG, without modulo bias.
#pragma once

#include <cstddef>
#include <cstdint>

namespace idconv {

// Fills `len` bytes with cryptographically strong randomness; returns false on failure.
using RandomSource = bool (*)(unsigned char* buf, std::size_t len);

// OpenSSL's RAND_bytes: a DRBG seeded from the operating system, reseeded after fork.
bool openssl_random(unsigned char* buf, std::size_t len);

// Buffers bytes from a RandomSource so that one id costs one refill in many, and draws
// uniform values from them by rejection sampling.
class RandomPool {
public:
    explicit RandomPool(RandomSource source = openssl_random) : source_(source) {}

    // A uniform value in [0, bound), 1 <= bound <= 256. Throws idconv::Error (internal) if the
    // source fails.
    unsigned below(unsigned bound);
    // A uniform value in [0, bound), bound >= 1.
    std::uint32_t below32(std::uint32_t bound);

    // `n` base-36 digits, uniform and independent: two per 16-bit draw below 64800 (= 50 * 36^2).
    void fill_base36(char* out, std::size_t n);

    // `n` raw bytes, the next ones of the stream.
    void fill(unsigned char* out, std::size_t n);

private:
    unsigned char byte();
    void refill();

    static constexpr std::size_t kSize = 4096;
    RandomSource source_;
    unsigned char buf_[kSize];
    std::size_t pos_ = kSize;
};

}  // namespace idconv
