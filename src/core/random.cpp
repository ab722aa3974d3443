#include "core/random.h"

#include <openssl/rand.h>

#include <climits>
#include <cstring>

#include "core/base36.h"
#include "core/error.h"

namespace idconv {

bool openssl_random(unsigned char* buf, std::size_t len) {
    return len <= INT_MAX && RAND_bytes(buf, static_cast<int>(len)) == 1;
}

void RandomPool::refill() {
    if (!source_(buf_, kSize)) {
        throw Error(ErrorKind::internal, "could not generate random bytes",
                    "The cryptographically secure random number generator failed.");
    }
    pos_ = 0;
}

unsigned char RandomPool::byte() {
    if (pos_ == kSize) refill();
    return buf_[pos_++];
}

unsigned RandomPool::below(unsigned bound) {
    // Accept only bytes under the largest multiple of `bound`: each residue is then equally likely.
    const unsigned limit = 256 - 256 % bound;
    for (;;) {
        const unsigned b = byte();
        if (b < limit) return b % bound;
    }
}

std::uint32_t RandomPool::below32(std::uint32_t bound) {
    const std::uint64_t range = std::uint64_t{1} << 32;
    const std::uint64_t limit = range - range % bound;
    for (;;) {
        std::uint64_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | byte();
        if (v < limit) return static_cast<std::uint32_t>(v % bound);
    }
}

void RandomPool::fill_base36(char* out, std::size_t n) {
    constexpr unsigned kPairs = 36 * 36;
    constexpr unsigned kLimit = 65536 - 65536 % kPairs;  // 64800
    while (n >= 2) {
        // The same bytes in the same order as two byte() calls; read in place while the buffer
        // holds both.
        unsigned v;
        if (kSize - pos_ >= 2) {
            v = (static_cast<unsigned>(buf_[pos_]) << 8) | buf_[pos_ + 1];
            pos_ += 2;
        } else {
            v = static_cast<unsigned>(byte()) << 8;
            v |= byte();
        }
        if (v >= kLimit) continue;
        std::memcpy(out, kBase36Pairs.pairs[v % kPairs], 2);
        out += 2;
        n -= 2;
    }
    if (n == 1) *out = kBase36Digits[below(36)];
}

void RandomPool::fill(unsigned char* out, std::size_t n) {
    while (n > 0) {
        if (pos_ == kSize) refill();
        const std::size_t take = n < kSize - pos_ ? n : kSize - pos_;
        std::memcpy(out, buf_ + pos_, take);
        pos_ += take;
        out += take;
        n -= take;
    }
}

}  // namespace idconv
