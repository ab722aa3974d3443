// Fuzz target "slug": is_slug and slugify, behind SQL's is_slug(text) and slugify(text).
//
// Input: the bytes are the text (any bytes: valid or invalid UTF-8, NULs, combining marks).
//
// Asserts:
//   - is_slug agrees with the grammar: 1-63 chars, runs of [a-z0-9] joined by single '-';
//   - slugify writes at most kMaxSlugLength chars (into a buffer of exactly that size, so ASan
//     sees any write past it) and its result is empty (SQL NULL) or passes is_slug: the docs'
//     "when nothing is left, the result is NULL; otherwise it always passes is_slug";
//   - slugify equals a reference written from the docs: ASCII letters lower-cased, Latin letters
//     folded by the committed table (src/core/tables/latin_fold.inc), combining marks dropped,
//     every other run of characters (invalid UTF-8 bytes included) one '-', trimmed, then cut to
//     63 at the last '-' within the first 64 chars, or at 63 when there is none;
//   - slugify is idempotent, leaves a slug unchanged, and ignores ASCII case;
// and once, at start-up: the fold table is sorted with unique code points and spells every
// letter with one or more of [a-z] (slugify looks it up by binary search).
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "common.h"
#include "core/slug.h"

using namespace idconv;
using fuzz::show;

namespace {

struct FoldEntry {
    std::uint32_t code_point;
    const char* ascii;
};

constexpr FoldEntry kFold[] = {
#include "core/tables/latin_fold.inc"
};

const char* fold(std::uint32_t cp) {
    const FoldEntry* it = std::partition_point(std::begin(kFold), std::end(kFold),
                                               [cp](const FoldEntry& e) { return e.code_point < cp; });
    return it != std::end(kFold) && it->code_point == cp ? it->ascii : nullptr;
}

// The Unicode blocks of combining diacritics: Combining Diacritical Marks, ... Extended,
// ... Supplement, ... for Symbols, and Combining Half Marks.
bool combining(std::uint32_t cp) {
    struct Range {
        std::uint32_t first, last;
    };
    static constexpr Range kBlocks[] = {
        {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x20D0, 0x20FF}, {0xFE20, 0xFE2F}};
    for (const Range& r : kBlocks) {
        if (cp >= r.first && cp <= r.last) return true;
    }
    return false;
}

std::string reference_slugify(std::string_view text) {
    std::string full;
    bool gap = false;
    auto emit = [&](std::string_view letters) {
        if (gap && !full.empty()) full += '-';
        gap = false;
        full += letters;
    };
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t cp = 0;
        const std::size_t n = fuzz::ref_utf8(text, i, &cp);
        if (n == 0) {  // not UTF-8: an "other character"
            gap = true;
            ++i;
            continue;
        }
        i += n;
        if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
        if (cp < 0x80 && fuzz::ref_lower_or_digit(static_cast<char>(cp))) {
            const char c = static_cast<char>(cp);
            emit(std::string_view(&c, 1));
        } else if (combining(cp)) {
            // belongs to the letter before it
        } else if (const char* ascii = fold(cp)) {
            emit(ascii);
        } else {
            gap = true;
        }
    }
    if (full.size() <= kMaxSlugLength) return full;
    // Cut at the last '-' among the first 64 chars; a single word that long is cut at 63.
    const std::size_t dash = full.rfind('-', kMaxSlugLength);
    return full.substr(0, dash == std::string::npos || dash == 0 ? kMaxSlugLength : dash);
}

std::string run_slugify(std::string_view text) {
    auto out = fuzz::exact_buffer(kMaxSlugLength);
    const std::size_t n = slugify(text, out.get());
    FUZZ_CHECK(n <= kMaxSlugLength, "slugify(" + show(text) + ") returned length " + std::to_string(n));
    return std::string(out.get(), n);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    for (std::size_t i = 0; i < std::size(kFold); ++i) {
        FUZZ_CHECK(i == 0 || kFold[i - 1].code_point < kFold[i].code_point,
                   "latin_fold.inc is not sorted at entry " + std::to_string(i));
        const std::string_view a = kFold[i].ascii;
        FUZZ_CHECK(!a.empty() && std::all_of(a.begin(), a.end(), fuzz::ref_lower),
                   "latin_fold.inc entry " + std::to_string(i) + " spells " + show(a));
        FUZZ_CHECK(kFold[i].code_point >= 0x80 && !combining(kFold[i].code_point),
                   "latin_fold.inc entry " + std::to_string(i) + " folds ASCII or a combining mark");
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const bool slug = is_slug(text);
    FUZZ_CHECK(slug == fuzz::ref_slug(text), "is_slug(" + show(text) + ") returned " + std::to_string(slug));

    const std::string s = run_slugify(text);
    FUZZ_CHECK(s.empty() || is_slug(s), "slugify(" + show(text) + ") = " + show(s) + " is not a slug");
    FUZZ_CHECK(s.empty() || fuzz::ref_slug(s), "slugify(" + show(text) + ") = " + show(s) + " breaks the grammar");

    const std::string want = reference_slugify(text);
    FUZZ_CHECK(s == want, "slugify(" + show(text) + ") = " + show(s) + ", want " + show(want));

    FUZZ_CHECK(run_slugify(s) == s, "slugify is not idempotent on " + show(s));
    if (slug) FUZZ_CHECK(s == text, "slugify changed the slug " + show(text) + " to " + show(s));
    if (text.size() <= 4096) {
        const std::string lower = fuzz::ascii_lower(text);
        FUZZ_CHECK(run_slugify(lower) == s, "slugify(" + show(text) + ") depends on ASCII case");
    }
    return 0;
}
