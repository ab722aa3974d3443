#include "core/sha3.h"

#include <cstdint>
#include <cstring>

namespace idconv {

namespace {

constexpr std::size_t kRate = 200 - 2 * kSha3_512Bytes;  // 72 bytes a block

// The round constants from the LFSR x^8 + x^6 + x^5 + x^4 + 1 (FIPS 202, 3.2.5), the rotation
// offsets from the walk (x, y) -> (y, 2x + 3y) (3.2.2): computed, not typed in.
struct Tables {
    std::uint64_t rc[24] = {};
    int rho[25] = {};
};

constexpr std::uint8_t lfsr_step(std::uint8_t r) {
    return static_cast<std::uint8_t>((r << 1) ^ ((r & 0x80) != 0 ? 0x71 : 0));
}

constexpr Tables make_tables() {
    Tables t;
    std::uint8_t r = 1;
    for (int round = 0; round < 24; ++round) {
        for (int j = 0; j < 7; ++j) {
            if ((r & 1) != 0) t.rc[round] |= std::uint64_t{1} << ((1 << j) - 1);
            r = lfsr_step(r);
        }
    }
    int x = 1;
    int y = 0;
    for (int step = 0; step < 24; ++step) {
        t.rho[x + 5 * y] = ((step + 1) * (step + 2) / 2) % 64;
        const int next_y = (2 * x + 3 * y) % 5;
        x = y;
        y = next_y;
    }
    return t;
}

constexpr Tables kTables = make_tables();
static_assert(kTables.rc[0] == 1 && kTables.rc[23] == 0x8000000080008008ull, "FIPS 202 round constants");

inline std::uint64_t rotl(std::uint64_t v, int n) { return n == 0 ? v : (v << n) | (v >> (64 - n)); }

// One round from state a into state e (lanes at x + 5y): theta, rho and pi by output plane, chi.
inline void round_to(const std::uint64_t* a, std::uint64_t* e, std::uint64_t rc) {
    std::uint64_t c[5];
    std::uint64_t d[5];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
#pragma GCC unroll 5
    for (int y = 0; y < 5; ++y) {
        std::uint64_t b[5];
#pragma GCC unroll 5
        for (int x = 0; x < 5; ++x) {
            // Output lane (x, y) comes from input lane (x', x) with y = 2x' + 3x (mod 5).
            const int from_x = ((y - 3 * x + 15) * 3) % 5;
            const int from = from_x + 5 * x;
            b[x] = rotl(a[from] ^ d[from_x], kTables.rho[from]);
        }
#pragma GCC unroll 5
        for (int x = 0; x < 5; ++x) e[x + 5 * y] = b[x] ^ (~b[(x + 1) % 5] & b[(x + 2) % 5]);
    }
    e[0] ^= rc;
}

void keccak_f1600(std::uint64_t* state) {
    std::uint64_t e[25];
    for (int round = 0; round < 24; round += 2) {
        round_to(state, e, kTables.rc[round]);
        round_to(e, state, kTables.rc[round + 1]);
    }
}

inline std::uint64_t load_le(const unsigned char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

void absorb(std::uint64_t* state, const unsigned char* block) {
    for (std::size_t i = 0; i < kRate / 8; ++i) state[i] ^= load_le(block + 8 * i);
    keccak_f1600(state);
}

}  // namespace

void sha3_512(const Digest::Piece* pieces, std::size_t count, unsigned char* out) noexcept {
    std::uint64_t state[25] = {};
    unsigned char block[kRate];
    std::size_t fill = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const auto* data = reinterpret_cast<const unsigned char*>(pieces[i].data);
        std::size_t len = pieces[i].len;
        while (len > 0) {
            const std::size_t take = len < kRate - fill ? len : kRate - fill;
            std::memcpy(block + fill, data, take);
            fill += take;
            data += take;
            len -= take;
            if (fill == kRate) {
                absorb(state, block);
                fill = 0;
            }
        }
    }
    // The SHA-3 domain bits 01, then the pad10*1 rule.
    std::memset(block + fill, 0, kRate - fill);
    block[fill] ^= 0x06;
    block[kRate - 1] ^= 0x80;
    absorb(state, block);
    for (std::size_t i = 0; i < kSha3_512Bytes / 8; ++i) {
        for (int b = 0; b < 8; ++b) out[8 * i + b] = static_cast<unsigned char>(state[i] >> (8 * b));
    }
}

}  // namespace idconv
