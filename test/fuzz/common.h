// Shared by the fuzz targets in test/fuzz/targets/: a property check that aborts (so libFuzzer
// keeps the input as a crash), a reader that splits one fuzz input into typed fields, and
// reference versions of the grammars and computations the core implements, written from the
// docs and the headers rather than from src/core, so a target can compare the two.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

// ---------------------------------------------------------------------------------------------
// Reporting

// Printable form of arbitrary bytes: ASCII as is, everything else as \xNN, cut after 200 bytes.
inline std::string show(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    const std::size_t shown = s.size() < 200 ? s.size() : 200;
    for (std::size_t i = 0; i < shown; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    out += '"';
    if (shown < s.size()) out += "... (" + std::to_string(s.size()) + " bytes)";
    return out;
}

[[noreturn]] inline void fail(const char* file, int line, const char* check, const std::string& what) {
    std::fprintf(stderr, "\n==== fuzz property violated at %s:%d\n     check: %s\n     %s\n", file, line, check,
                 what.c_str());
    std::fflush(stderr);
    std::abort();
}

// FUZZ_CHECK(condition, explanation): aborts with the explanation when the condition is false.
// The explanation (a std::string expression) is only evaluated then.
#define FUZZ_CHECK(cond, what)                                  \
    do {                                                        \
        if (!(cond)) ::fuzz::fail(__FILE__, __LINE__, #cond, (what)); \
    } while (0)

// A heap buffer of exactly `n` chars, so that ASan reports a write past a documented size.
inline std::unique_ptr<char[]> exact_buffer(std::size_t n) { return std::unique_ptr<char[]>(new char[n ? n : 1]); }

// ---------------------------------------------------------------------------------------------
// Input splitting

class Reader {
public:
    Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    std::size_t remaining() const { return size_ - pos_; }
    bool empty() const { return pos_ == size_; }

    // Missing bytes read as zero, so every input decodes to something.
    std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
    std::uint64_t u64() {  // little-endian
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(byte()) << (8 * i);
        return v;
    }
    std::string_view take(std::size_t n) {
        if (n > remaining()) n = remaining();
        const std::string_view s(reinterpret_cast<const char*>(data_ + pos_), n);
        pos_ += n;
        return s;
    }
    std::string_view rest() { return take(remaining()); }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Reference grammars (docs/api.md, and docs/conventions.md "Classification and audits", "Tenant slugs")

inline bool ref_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool ref_digit(char c) { return c >= '0' && c <= '9'; }
inline bool ref_lower_or_digit(char c) { return ref_lower(c) || ref_digit(c); }
inline bool ref_hex(char c) { return ref_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// 1 to 63 characters of [a-z_], starting and ending with a letter.
inline bool ref_valid_prefix(std::string_view p) {
    if (p.size() < 1 || p.size() > 63) return false;
    for (char c : p) {
        if (!ref_lower(c) && c != '_') return false;
    }
    return ref_lower(p[0]) && ref_lower(p[p.size() - 1]);
}

// ^[a-z][0-9a-z]+$ (so at least 2 characters), no length bounds.
inline bool ref_cuid2_shape(std::string_view s) {
    if (s.size() < 2 || !ref_lower(s[0])) return false;
    for (std::size_t i = 1; i < s.size(); ++i) {
        if (!ref_lower_or_digit(s[i])) return false;
    }
    return true;
}

// The split of a prefixed id at its last '_': valid prefix before, CUID2 of 2..32 after.
struct RefSplit {
    bool ok = false;
    std::size_t sep = 0;  // index of the last '_' when there is one
    std::string_view prefix, body;
};
inline RefSplit ref_split_prefixed(std::string_view id) {
    RefSplit r;
    std::size_t i = id.size();
    while (i > 0 && id[i - 1] != '_') --i;
    if (i == 0) return r;
    r.sep = i - 1;
    r.prefix = id.substr(0, r.sep);
    r.body = id.substr(r.sep + 1);
    r.ok = ref_valid_prefix(r.prefix) && ref_cuid2_shape(r.body) && r.body.size() <= 32;
    return r;
}

// 8-4-4-4-12 hex digits, any case, hyphens between.
inline bool ref_uuid_shape(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
        const bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
        if (hyphen ? s[i] != '-' : !ref_hex(s[i])) return false;
    }
    return true;
}

// 1-63 chars: runs of [a-z0-9] joined by single '-', no '-' at either end.
inline bool ref_slug(std::string_view s) {
    if (s.empty() || s.size() > 63) return false;
    bool in_run = false;  // the previous char was [a-z0-9]
    for (char c : s) {
        if (ref_lower_or_digit(c)) {
            in_run = true;
        } else if (c == '-' && in_run) {
            in_run = false;
        } else {
            return false;
        }
    }
    return in_run;
}

inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// UTF-8, by the table of well-formed byte sequences (Unicode chapter 3, table 3-7)

// Length of the well-formed sequence at s[i] (its code point in *cp), or 0 when the byte at s[i]
// does not start one.
inline std::size_t ref_utf8(std::string_view s, std::size_t i, std::uint32_t* cp) {
    auto at = [&](std::size_t k) -> unsigned { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0x100; };
    const unsigned b0 = at(0);
    auto in = [](unsigned b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
    std::size_t len;
    unsigned lo1 = 0x80, hi1 = 0xBF;
    if (b0 <= 0x7F) {
        *cp = b0;
        return 1;
    } else if (in(b0, 0xC2, 0xDF)) {
        len = 2;
    } else if (b0 == 0xE0) {
        len = 3, lo1 = 0xA0;
    } else if (in(b0, 0xE1, 0xEC) || in(b0, 0xEE, 0xEF)) {
        len = 3;
    } else if (b0 == 0xED) {
        len = 3, hi1 = 0x9F;
    } else if (b0 == 0xF0) {
        len = 4, lo1 = 0x90;
    } else if (in(b0, 0xF1, 0xF3)) {
        len = 4;
    } else if (b0 == 0xF4) {
        len = 4, hi1 = 0x8F;
    } else {
        return 0;
    }
    if (!in(at(1), lo1, hi1)) return 0;
    for (std::size_t k = 2; k < len; ++k) {
        if (!in(at(k), 0x80, 0xBF)) return 0;
    }
    std::uint32_t v = b0 & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < len; ++k) v = (v << 6) | (at(k) & 0x3F);
    *cp = v;
    return len;
}

inline bool ref_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::uint32_t cp;
        const std::size_t n = ref_utf8(s, i, &cp);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Digests and base 36, the slow and obvious way (OpenSSL's one-shot EVP_Digest, not idconv::Digest)

template <std::size_t N>
std::array<unsigned char, N> ref_digest(const EVP_MD* md, std::string_view msg) {
    std::array<unsigned char, N> out{};
    unsigned int len = 0;
    if (EVP_Digest(msg.data(), msg.size(), out.data(), &len, md, nullptr) != 1 || len != N) {
        std::fprintf(stderr, "reference EVP_Digest failed\n");
        std::abort();
    }
    return out;
}
inline std::array<unsigned char, 64> ref_sha3_512(std::string_view msg) { return ref_digest<64>(EVP_sha3_512(), msg); }
inline std::array<unsigned char, 20> ref_sha1(std::string_view msg) { return ref_digest<20>(EVP_sha1(), msg); }

// A big-endian unsigned integer of any width in base 36, by schoolbook division by 36, no
// leading zeros ("0" for zero).
inline std::string ref_base36_be(const unsigned char* bytes, std::size_t n) {
    static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    std::vector<unsigned char> num(bytes, bytes + n);
    std::string reversed;
    std::size_t first = 0;
    for (;;) {
        while (first < num.size() && num[first] == 0) ++first;
        if (first == num.size()) break;
        unsigned rem = 0;
        for (std::size_t i = first; i < num.size(); ++i) {
            const unsigned cur = rem * 256 + num[i];
            num[i] = static_cast<unsigned char>(cur / 36);
            rem = cur % 36;
        }
        reversed += kDigits[rem];
    }
    if (reversed.empty()) return "0";
    return std::string(reversed.rbegin(), reversed.rend());
}

// std::to_chars in base 36 (lower-case letters, as JavaScript's toString(36)).
inline std::string ref_base36_u64(std::uint64_t v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, 36);
    return std::string(buf, r.ptr);
}

inline bool all_base36(std::string_view s) {
    for (char c : s) {
        if (!ref_lower_or_digit(c)) return false;
    }
    return true;
}

}  // namespace fuzz
