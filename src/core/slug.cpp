#include "core/slug.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>

namespace idconv {

namespace {

struct Fold {
    std::uint32_t code_point;
    const char* ascii;
};

constexpr Fold kLatinFold[] = {
#include "core/tables/latin_fold.inc"
};

constexpr bool is_alnum(unsigned char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Diacritics written as separate code points (decomposed input such as "e" + U+0301).
constexpr bool is_combining_mark(std::uint32_t cp) noexcept {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

const char* fold_latin(std::uint32_t cp) noexcept {
    const Fold* end = std::end(kLatinFold);
    const Fold* it = std::lower_bound(std::begin(kLatinFold), end, cp,
                                      [](const Fold& f, std::uint32_t v) { return f.code_point < v; });
    return it != end && it->code_point == cp ? it->ascii : nullptr;
}

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 for a byte that does not start
// a well-formed sequence (overlong forms and surrogates included).
std::size_t decode_utf8(std::string_view text, std::size_t i, std::uint32_t* cp) noexcept {
    const auto b0 = static_cast<unsigned char>(text[i]);
    std::size_t len;
    std::uint32_t v;
    std::uint32_t min;
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    } else if ((b0 & 0xE0) == 0xC0) {
        len = 2, v = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, v = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, v = b0 & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > text.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        v = (v << 6) | (b & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

}  // namespace

bool is_slug(std::string_view text) noexcept {
    if (text.empty() || text.size() > kMaxSlugLength) return false;
    if (text.front() == '-' || text.back() == '-') return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '-') {
            if (text[i - 1] == '-') return false;
        } else if (!is_alnum(c)) {
            return false;
        }
    }
    return true;
}

std::size_t slugify(std::string_view text, char* out) noexcept {
    // Two chars past the limit decide where the cut goes; the longest spelling adds two more.
    char buf[kMaxSlugLength + 8];
    constexpr std::size_t kEnough = kMaxSlugLength + 2;
    std::size_t n = 0;
    bool separator_pending = false;
    auto append = [&](const char* s) {
        if (separator_pending && n > 0) buf[n++] = '-';
        separator_pending = false;
        while (*s != '\0') buf[n++] = *s++;
    };
    for (std::size_t i = 0; i < text.size() && n < kEnough;) {
        std::uint32_t cp = 0;
        const std::size_t len = decode_utf8(text, i, &cp);
        if (len == 0) {
            separator_pending = true;
            ++i;
            continue;
        }
        i += len;
        if (cp < 0x80) {
            char ascii[2] = {static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp), '\0'};
            if (is_alnum(static_cast<unsigned char>(ascii[0]))) {
                append(ascii);
            } else {
                separator_pending = true;
            }
        } else if (is_combining_mark(cp)) {
            // Part of the letter before it: no separator.
        } else if (const char* folded = fold_latin(cp)) {
            append(folded);
        } else {
            separator_pending = true;
        }
    }
    if (n > kMaxSlugLength) {
        // Cut at the last '-' within the first 64 chars (a '-' at index 63 is a boundary right at
        // the limit); a single word that long is cut at 63.
        std::size_t cut = kMaxSlugLength;
        while (cut > 0 && buf[cut] != '-') --cut;
        n = cut > 0 ? cut : kMaxSlugLength;
    }
    std::memcpy(out, buf, n);
    return n;
}

}  // namespace idconv
