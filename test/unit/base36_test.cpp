#include "core/base36.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace idconv {
namespace {

std::string u64(std::uint64_t v) {
    char buf[kMaxBase36U64Digits];
    return std::string(buf, base36_u64(v, buf));
}

std::string u512(const std::vector<unsigned char>& digest) {
    char buf[kMaxBase36U512Digits];
    return std::string(buf, base36_u512(digest.data(), buf));
}

// Schoolbook long division of a big-endian byte string by 36: slow and obviously right.
std::string reference_base36(std::vector<unsigned char> n) {
    std::string out;
    auto is_zero = [&] {
        for (unsigned char b : n)
            if (b) return false;
        return true;
    };
    do {
        unsigned rem = 0;
        for (auto& b : n) {
            const unsigned cur = (rem << 8) | b;
            b = static_cast<unsigned char>(cur / 36);
            rem = cur % 36;
        }
        out.insert(out.begin(), kBase36Digits[rem]);
    } while (!is_zero());
    return out;
}

TEST(Base36, U64KnownValues) {
    EXPECT_EQ(u64(0), "0");
    EXPECT_EQ(u64(9), "9");
    EXPECT_EQ(u64(10), "a");
    EXPECT_EQ(u64(35), "z");
    EXPECT_EQ(u64(36), "10");
    EXPECT_EQ(u64(1295), "zz");
    EXPECT_EQ(u64(476782367), "7vv3mn");  // the reference's initial counter bound
    EXPECT_EQ(u64(1700000000000), "loyw3v28");
    EXPECT_EQ(u64(UINT64_MAX), "3w5e11264sgsf");
}

TEST(Base36, U512Edges) {
    std::vector<unsigned char> d(64, 0);
    EXPECT_EQ(u512(d), "0");
    d[63] = 1;
    EXPECT_EQ(u512(d), "1");
    d[63] = 36;
    EXPECT_EQ(u512(d), "10");
    std::vector<unsigned char> ones(64, 0xff);
    EXPECT_EQ(u512(ones),
              "14plki42mdv1mt36i2rnak3ginnt5vcx207hpuf9x0vj6i1i7h29nu12wls3ulfv1yyabi94ua3wauamsxz4snwv27fya36hqdj3");
    std::vector<unsigned char> top(64, 0);
    top[0] = 0x80;  // 2^511
    EXPECT_EQ(u512(top),
              "kcss921b6xitejl91dtna1q9btwkxogj03qux7myifrl90r3qj4tx0jgaw1xapxizh55r4kf51y5f5begzkebyfj3pz51l8v6rk");
}

TEST(Base36, U512MatchesLongDivision) {
    std::mt19937_64 rng(20261122);
    for (int i = 0; i < 2000; ++i) {
        std::vector<unsigned char> d(64);
        for (auto& b : d) b = static_cast<unsigned char>(rng());
        // Also cover short numbers: zero out a random number of leading bytes.
        const std::size_t zeros = rng() % 65;
        for (std::size_t j = 0; j < zeros; ++j) d[j] = 0;
        ASSERT_EQ(u512(d), reference_base36(d)) << "case " << i;
    }
}

std::string window(const std::vector<unsigned char>& digest, std::size_t skip, std::size_t count) {
    char buf[kMaxBase36U512Digits];
    return std::string(buf, base36_u512_window(digest.data(), skip, count, buf));
}

// The window is the full conversion's substring, for every length a CUID2 uses, on random digests,
// on digests at the 99/100-digit boundary, and on short numbers (the slow path).
TEST(Base36, WindowMatchesFullConversion) {
    std::mt19937_64 rng(777);
    std::vector<std::vector<unsigned char>> digests;
    for (int i = 0; i < 3000; ++i) {
        std::vector<unsigned char> d(64);
        for (auto& b : d) b = static_cast<unsigned char>(rng());
        digests.push_back(d);
    }
    // Short numbers: a zeroed head.
    for (std::size_t zeros = 1; zeros <= 64; ++zeros) {
        std::vector<unsigned char> d(64);
        for (auto& b : d) b = static_cast<unsigned char>(rng());
        for (std::size_t j = 0; j < zeros; ++j) d[j] = 0;
        digests.push_back(d);
    }
    // 36^99 and its neighbours, where the digit count changes.
    std::vector<unsigned char> p99(64, 0);  // big-endian 36^99, by repeated multiplication
    p99[63] = 1;
    for (int k = 0; k < 99; ++k) {
        unsigned carry = 0;
        for (int j = 63; j >= 0; --j) {
            const unsigned v = p99[j] * 36u + carry;
            p99[j] = static_cast<unsigned char>(v);
            carry = v >> 8;
        }
    }
    digests.push_back(p99);
    auto minus_one = p99;
    for (int j = 63; j >= 0 && minus_one[j]-- == 0; --j) {
    }
    digests.push_back(minus_one);
    digests.push_back(std::vector<unsigned char>(64, 0xff));
    digests.push_back(std::vector<unsigned char>(64, 0));

    for (const auto& d : digests) {
        const std::string full = reference_base36(d);
        for (std::size_t count = 1; count <= 31; ++count) {
            const std::string expected = full.size() > 2 ? full.substr(2, count) : std::string();
            ASSERT_EQ(window(d, 2, count), expected) << "count " << count << " of " << full;
        }
        ASSERT_EQ(window(d, 0, 34), full.substr(0, 34));
    }
}

// The 64-byte big-endian number whose base-36 digits are `digits`; false if it needs more bytes.
bool from_base36(const std::string& digits, std::vector<unsigned char>* n) {
    n->assign(64, 0);
    for (char c : digits) {
        unsigned carry = static_cast<unsigned>(std::string(kBase36Digits).find(c));
        for (int j = 63; j >= 0; --j) {
            const unsigned v = (*n)[j] * 36u + carry;
            (*n)[j] = static_cast<unsigned char>(v);
            carry = v >> 8;
        }
        if (carry != 0) return false;
    }
    return true;
}

// The window's quotient estimate is the quotient or one less, and the remainder decides: numbers
// whose digits below the window are all 0 (remainder 0) or all z (remainder 36^k - 1), and their
// neighbours, are where a wrong decision would show.
TEST(Base36, WindowAtRemainderEdges) {
    std::mt19937_64 rng(4242);
    int checked = 0;
    for (int i = 0; i < 400; ++i) {
        std::vector<unsigned char> d(64);
        for (auto& b : d) b = static_cast<unsigned char>(rng());
        const std::string full = reference_base36(d);
        for (std::size_t count : {1u, 7u, 15u, 22u, 23u}) {
            const std::size_t kept = 2 + count;
            if (full.size() <= kept) continue;
            for (char fill : {'0', 'z'}) {
                const std::string edge = full.substr(0, kept) + std::string(full.size() - kept, fill);
                std::vector<unsigned char> n;
                if (!from_base36(edge, &n)) continue;
                ASSERT_EQ(reference_base36(n), edge);
                ASSERT_EQ(window(n, 2, count), edge.substr(2, count)) << edge;
                // One above the all-z tail carries into the window; one below the all-0 tail borrows.
                std::vector<unsigned char> m = n;
                if (fill == 'z') {
                    for (int j = 63; j >= 0 && ++m[j] == 0; --j) {
                    }
                } else {
                    for (int j = 63; j >= 0 && m[j]-- == 0; --j) {
                    }
                }
                const std::string moved = reference_base36(m);
                if (moved.size() == full.size()) {
                    ASSERT_EQ(window(m, 2, count), moved.substr(2, count)) << moved;
                    ++checked;
                }
            }
        }
    }
    EXPECT_GT(checked, 3000);
}

// The window's estimate constants (tables/base36_reciprocals.inc, made with Python's exact
// integers) computed again here by binary long division: bits(36^k) - 3 and
// floor(2^(bits(36^k) + 127) / 36^k).
struct Estimate {
    int shift;
    std::uint64_t high;
    std::uint64_t low;
};
constexpr Estimate kEstimates[100] = {
#include "core/tables/base36_reciprocals.inc"
};

TEST(Base36, EstimateTableIsExact) {
    using u128 = unsigned __int128;
    std::vector<std::uint64_t> d(10, 0);  // 36^k, little-endian
    d[0] = 1;
    for (int k = 0; k < 100; ++k) {
        int bits = 0;
        for (int i = 9; i >= 0 && bits == 0; --i) {
            if (d[i] != 0) bits = 64 * i + 64 - __builtin_clzll(d[i]);
        }
        if (bits >= 3) {
            std::vector<std::uint64_t> r(11, 0);
            u128 q = 0;
            const int e = bits + 127;
            for (int bit = e; bit >= 0; --bit) {
                for (int i = 10; i > 0; --i) r[i] = (r[i] << 1) | (r[i - 1] >> 63);
                r[0] = (r[0] << 1) | (bit == e ? 1u : 0u);
                bool ge = true;
                for (int i = 10; i >= 0; --i) {
                    const std::uint64_t di = i < 10 ? d[i] : 0;
                    if (r[i] != di) {
                        ge = r[i] > di;
                        break;
                    }
                }
                ASSERT_EQ(q >> 127, 0u) << "k " << k;
                q <<= 1;
                if (ge) {
                    std::uint64_t borrow = 0;
                    for (int i = 0; i < 11; ++i) {
                        const std::uint64_t di = i < 10 ? d[i] : 0;
                        const u128 t = static_cast<u128>(r[i]) - di - borrow;
                        r[i] = static_cast<std::uint64_t>(t);
                        borrow = static_cast<std::uint64_t>(t >> 64) & 1;
                    }
                    q |= 1;
                }
            }
            EXPECT_EQ(kEstimates[k].shift, bits - 3) << "k " << k;
            EXPECT_EQ(kEstimates[k].high, static_cast<std::uint64_t>(q >> 64)) << "k " << k;
            EXPECT_EQ(kEstimates[k].low, static_cast<std::uint64_t>(q)) << "k " << k;
        }
        std::uint64_t carry = 0;  // d *= 36
        for (auto& limb : d) {
            const u128 t = static_cast<u128>(limb) * 36 + carry;
            limb = static_cast<std::uint64_t>(t);
            carry = static_cast<std::uint64_t>(t >> 64);
        }
    }
}

}  // namespace
}  // namespace idconv
