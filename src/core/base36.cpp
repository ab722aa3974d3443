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

// The reciprocal the method needs for a normalized divisor d (top bit set).
constexpr std::uint64_t reciprocal(std::uint64_t d) noexcept { return static_cast<std::uint64_t>(~u128{0} / d); }

// (hi, lo) / d for normalized d with reciprocal v and hi < d: the quotient, the remainder in *rem.
inline std::uint64_t divide_2by1(std::uint64_t hi, std::uint64_t lo, std::uint64_t d, std::uint64_t v,
                                 std::uint64_t* rem) noexcept {
    u128 q = static_cast<u128>(v) * hi;
    q += (static_cast<u128>(hi) << 64) | lo;
    auto q1 = static_cast<std::uint64_t>(q >> 64) + 1;
    const auto q0 = static_cast<std::uint64_t>(q);
    std::uint64_t r = lo - q1 * d;
    if (r > q0) {
        --q1;
        r += d;
    }
    if (r >= d) {
        ++q1;
        r -= d;
    }
    *rem = r;
    return q1;
}

inline std::uint64_t divide_normalized(std::uint64_t hi, std::uint64_t lo, std::uint64_t* rem) noexcept {
    return divide_2by1(hi, lo, kNormalized, kReciprocal, rem);
}

// Writes the 12 digits of r < 36^12, most significant first, zero-padded.
inline void twelve_digits(std::uint64_t r, char* out) noexcept {
    // Two independent halves of six digits, three pairs each.
    auto hi = static_cast<std::uint32_t>(r / 2176782336u);  // 36^6
    auto lo = static_cast<std::uint32_t>(r % 2176782336u);
    for (int k = 2; k >= 0; --k) {
        std::memcpy(out + 2 * k, kBase36Pairs.pairs[hi % 1296], 2);
        std::memcpy(out + 6 + 2 * k, kBase36Pairs.pairs[lo % 1296], 2);
        hi /= 1296;
        lo /= 1296;
    }
}


// Writes the base-36 digits of the big-endian limbs[0..n) (destroyed) without leading zeros ("0"
// for zero) and returns the count; `out` holds up to 100 chars.
std::size_t convert_be(std::uint64_t* limbs, int n, char* out) {
    // Chunks of 12 digits, least significant first, written from the end of tmp backwards.
    constexpr std::size_t kTmp = 9 * kChunkDigits;  // 108 >= 100 digits
    char tmp[kTmp];
    std::size_t start = kTmp;
    int top = 0;
    while (top < n && limbs[top] == 0) ++top;
    while (top < n) {
        // Divide by 36^12 as (2 * value) / (2 * 36^12): the high word stays below the divisor,
        // and `rem` carries twice the true remainder (even, so the next limb's top bit fits in).
        std::uint64_t rem = 0;
        for (int i = top; i < n; ++i) {
            const std::uint64_t hi = rem | (limbs[i] >> 63);
            limbs[i] = divide_normalized(hi, limbs[i] << 1, &rem);
        }
        while (top < n && limbs[top] == 0) ++top;
        start -= kChunkDigits;
        twelve_digits(rem >> 1, tmp + start);
    }
    // The last chunk was padded with zeros above its highest digit; drop them.
    while (start < kTmp - 1 && tmp[start] == '0') ++start;
    if (start == kTmp) tmp[--start] = '0';
    const std::size_t count = kTmp - start;
    std::memcpy(out, tmp + start, count);
    return count;
}

void read_be(const unsigned char* digest, std::uint64_t* limbs) {
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
        std::uint64_t v;
        std::memcpy(&v, digest + 8 * i, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        v = __builtin_bswap64(v);
#endif
        limbs[i] = v;
    }
}

// small_quotient's constants for 36^k, made by tables/make-base36-reciprocals.py.
struct Estimate {
    int shift;
    std::uint64_t high;
    std::uint64_t low;
};
constexpr Estimate kEstimates[100] = {
#include "core/tables/base36_reciprocals.inc"
};

// Powers of 36 as little-endian 64-bit limbs, with what long division by them needs: each is
// normalized (shifted left until its top bit is set) once, here, instead of once per id.
struct Power {
    std::uint64_t limbs[9];       // 36^k, little-endian, zero above `count`
    int count;                    // limbs in use
    int shift;                    // leading zero bits of the top limb
    std::uint64_t normalized[9];  // 36^k << shift
    std::uint64_t top_reciprocal;  // reciprocal(normalized[count - 1])
};

struct Powers {
    Power p[100];
    Powers() {
        std::uint64_t v[9] = {1};
        for (int k = 0; k < 100; ++k) {
            Power& w = p[k];
            std::memcpy(w.limbs, v, sizeof v);
            w.count = 9;
            while (w.count > 1 && v[w.count - 1] == 0) --w.count;
            w.shift = __builtin_clzll(v[w.count - 1]);
            for (int i = w.count - 1; i >= 0; --i) {
                w.normalized[i] = (v[i] << w.shift) | (w.shift != 0 && i > 0 ? v[i - 1] >> (64 - w.shift) : 0);
            }
            w.top_reciprocal = reciprocal(w.normalized[w.count - 1]);
            std::uint64_t carry = 0;  // v *= 36
            for (auto& limb : v) {
                const u128 t = static_cast<u128>(limb) * 36 + carry;
                limb = static_cast<std::uint64_t>(t);
                carry = static_cast<std::uint64_t>(t >> 64);
            }
        }
    }
};

const Powers& powers() {
    static const Powers table;
    return table;
}

// a >= b for little-endian 8-limb a and b (b's limbs above its count are zero).
bool at_least(const std::uint64_t* a, const Power& b) {
#pragma GCC unroll 8
    for (int i = 7; i >= 0; --i) {
        if (a[i] != b.limbs[i]) return a[i] > b.limbs[i];
    }
    return true;
}

// floor(u / 36^k) for little-endian 8-limb u when the quotient is known to be below 2^125, without
// a division: with f = bits(36^k) - 3 and R = floor(2^(f + 130) / 36^k), the estimate
// floor((u >> f) * R / 2^130) is below u / 36^k by less than 2^f / 36^k + (u >> f) / 2^130, that
// is less than 1/4 + 1/4, so it is the quotient or one less; the remainder decides which, with no
// branch on the data. Needs bits(36^k) >= 3 (k >= 1).
u128 small_quotient(const std::uint64_t* u, const Power& d, const Estimate& e) {
    const int f = e.shift;
    const int limb = f / 64;
    const int s = f % 64;
    // (u >> f) as 128 bits; it is below 2^128 because the quotient is below 2^125.
    const std::uint64_t l0 = u[limb];
    const std::uint64_t l1 = limb + 1 < 8 ? u[limb + 1] : 0;
    const std::uint64_t l2 = limb + 2 < 8 ? u[limb + 2] : 0;
    const std::uint64_t top_lo = s == 0 ? l0 : (l0 >> s) | (l1 << (64 - s));
    const std::uint64_t top_hi = s == 0 ? l1 : (l1 >> s) | (l2 << (64 - s));
    // The top 128 bits of the 256-bit product, shifted down 2 more.
    const std::uint64_t r_lo = e.low;
    const std::uint64_t r_hi = e.high;
    const u128 ll = static_cast<u128>(top_lo) * r_lo;
    const u128 lh = static_cast<u128>(top_lo) * r_hi;
    const u128 hl = static_cast<u128>(top_hi) * r_lo;
    const u128 hh = static_cast<u128>(top_hi) * r_hi;
    const u128 mid = (ll >> 64) + static_cast<std::uint64_t>(lh) + static_cast<std::uint64_t>(hl);
    const u128 high = hh + (lh >> 64) + (hl >> 64) + (mid >> 64);  // product >> 128
    const u128 q = high >> 2;
    // rem = u - q * 36^k (non-negative, below twice 36^k), then q + (rem >= 36^k).
    const auto q0 = static_cast<std::uint64_t>(q);
    const auto q1 = static_cast<std::uint64_t>(q >> 64);
    std::uint64_t product[8];
    std::uint64_t carry0 = 0;
    std::uint64_t carry1 = 0;
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
        const u128 a = static_cast<u128>(q0) * d.limbs[i] + carry0;
        carry0 = static_cast<std::uint64_t>(a >> 64);
        const u128 b = static_cast<u128>(q1) * (i > 0 ? d.limbs[i - 1] : 0) + carry1 + static_cast<std::uint64_t>(a);
        carry1 = static_cast<std::uint64_t>(b >> 64);
        product[i] = static_cast<std::uint64_t>(b);
    }
    std::uint64_t rem[8];
    std::uint64_t borrow = 0;
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
        const u128 t = static_cast<u128>(u[i]) - product[i] - borrow;
        rem[i] = static_cast<std::uint64_t>(t);
        borrow = static_cast<std::uint64_t>(t >> 64) & 1;
    }
    borrow = 0;  // rem - 36^k: no borrow out means rem >= 36^k
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
        const u128 t = static_cast<u128>(rem[i]) - d.limbs[i] - borrow;
        borrow = static_cast<std::uint64_t>(t >> 64) & 1;
    }
    return q + (borrow ^ 1);
}

// floor(u / 36^k) for little-endian 8-limb u, as little-endian limbs in q; returns their count.
// Knuth's algorithm D (TAOCP 4.3.1) with 64-bit digits; 36^k must have at least 2 limbs.
int divide_by_power(const std::uint64_t* u, const Power& d, std::uint64_t* q) {
    const int m = d.count;
    const int n = 8;
    const int s = d.shift;
    const std::uint64_t* vn = d.normalized;
    std::uint64_t un[9];
    un[n] = s != 0 ? u[n - 1] >> (64 - s) : 0;
    for (int i = n - 1; i > 0; --i) un[i] = (u[i] << s) | (s != 0 ? u[i - 1] >> (64 - s) : 0);
    un[0] = u[0] << s;
    for (int j = n - m; j >= 0; --j) {
        // The estimate from the top two limbs, by the divisor's precomputed reciprocal rather
        // than a hardware divide; when the top limbs are equal the estimate is b - 1.
        u128 qhat;
        u128 rhat;
        if (un[j + m] >= vn[m - 1]) {
            qhat = ~std::uint64_t{0};
            rhat = static_cast<u128>(un[j + m - 1]) + vn[m - 1];
        } else {
            std::uint64_t r = 0;
            qhat = divide_2by1(un[j + m], un[j + m - 1], vn[m - 1], d.top_reciprocal, &r);
            rhat = r;
        }
        while ((rhat >> 64) == 0 && qhat * vn[m - 2] > ((rhat << 64) | un[j + m - 2])) {
            --qhat;
            rhat += vn[m - 1];
        }
        // un[j .. j+m] -= qhat * vn
        __int128 borrow = 0;
        __int128 t = 0;
        for (int i = 0; i < m; ++i) {
            const u128 p = qhat * vn[i];
            t = static_cast<__int128>(un[i + j]) - borrow - static_cast<__int128>(static_cast<std::uint64_t>(p));
            un[i + j] = static_cast<std::uint64_t>(t);
            borrow = static_cast<__int128>(p >> 64) - (t >> 64);
        }
        t = static_cast<__int128>(un[j + m]) - borrow;
        un[j + m] = static_cast<std::uint64_t>(t);
        q[j] = static_cast<std::uint64_t>(qhat);
        if (t < 0) {  // qhat was one too large (rare): add the divisor back
            --q[j];
            u128 carry = 0;
            for (int i = 0; i < m; ++i) {
                const u128 sum = static_cast<u128>(un[i + j]) + vn[i] + carry;
                un[i + j] = static_cast<std::uint64_t>(sum);
                carry = sum >> 64;
            }
            un[j + m] += static_cast<std::uint64_t>(carry);
        }
    }
    int count = n - m + 1;
    while (count > 1 && q[count - 1] == 0) --count;
    return count;
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
    read_be(digest, limbs);
    return convert_be(limbs, 8, out);
}

std::size_t base36_u512_window(const unsigned char* digest, std::size_t skip, std::size_t count, char* out) {
    if (count == 0) return 0;
    std::uint64_t be[8];
    read_be(digest, be);
    // Nearly every digest has 99 or 100 digits (2^512 is about 1.13 * 36^99); the rest, about one
    // in 40, take the full conversion.
    std::uint64_t le[8];
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) le[i] = be[7 - i];
    const Powers& table = powers();
    int digits = 0;
    if (at_least(le, table.p[99])) {
        digits = 100;
    } else if (at_least(le, table.p[98])) {
        digits = 99;
    }
    if (digits == 0 || skip + count > static_cast<std::size_t>(digits) || count > 34 || skip > 2) {
        char all[kMaxBase36U512Digits];
        const std::size_t n = convert_be(be, 8, all);
        if (skip >= n) return 0;
        const std::size_t take = count < n - skip ? count : n - skip;
        std::memcpy(out, all + skip, take);
        return take;
    }
    // Divide away the digits below the window, then convert what is left: skip + count digits.
    const int below = digits - static_cast<int>(skip + count);
    if (skip + count <= 24) {
        // The quotient is below 36^24 < 2^125 (and below >= 99 - 24): one estimate and one
        // correction, then two chunks of twelve digits (as 2q / 2 * 36^12, so the high word stays
        // below the divisor).
        const u128 q = small_quotient(le, table.p[below], kEstimates[below]);
        std::uint64_t low = 0;
        const std::uint64_t high = divide_normalized(static_cast<std::uint64_t>(q >> 63),
                                                     static_cast<std::uint64_t>(q) << 1, &low);
        char top[2 * kChunkDigits];
        twelve_digits(high, top);
        twelve_digits(low >> 1, top + kChunkDigits);
        std::memcpy(out, top + 2 * kChunkDigits - count, count);
        return count;
    }
    std::uint64_t q[8];
    const int qn = divide_by_power(le, table.p[below], q);
    std::uint64_t qbe[8];
    for (int i = 0; i < qn; ++i) qbe[i] = q[qn - 1 - i];
    char top[36];
    const std::size_t n = convert_be(qbe, qn, top);  // exactly skip + count digits
    std::memcpy(out, top + skip, n - skip);
    return n - skip;
}

}  // namespace idconv
