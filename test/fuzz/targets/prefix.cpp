// Fuzz target "prefix": is_valid_prefix, check_prefix, split_prefixed_id (what prefixed_id_prefix
// and prefixed_id_body return) and is_prefixed_id, with and without a prefix, over body lengths
// that are odd, negative, huge or off by one.
//
// Input: the bytes are an id. When they contain a NUL byte (which PostgreSQL text cannot hold),
// the part before it is also checked as an id and the part after it as a claimed prefix.
//
// Asserts, for every input:
//   - is_valid_prefix agrees with the TypeID grammar (1-63 of [a-z_], letter at both ends);
//   - check_prefix throws exactly when the prefix is invalid, an idconv::Error of kind
//     invalid_parameter_value whose message quotes the prefix (cut to 80 bytes) and whose detail
//     is the rule;
//   - split_prefixed_id succeeds exactly when the text splits at its LAST '_' into a valid prefix
//     and a CUID2 body of 2-32 chars; the parts are views into the id, and are left untouched on
//     failure;
//   - is_prefixed_id(id, prefix, body_length) is that split, plus body length equality, plus prefix
//     equality when a prefix is given; never true for a length out of 2..32 nor for an id
//     longer than kMaxPrefixedIdLength.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <string_view>

#include "common.h"
#include "core/error.h"
#include "core/prefix.h"

using namespace idconv;
using fuzz::show;

namespace {

void check_prefix_rules(std::string_view p) {
    const bool expected = fuzz::ref_valid_prefix(p);
    FUZZ_CHECK(is_valid_prefix(p) == expected, "is_valid_prefix(" + show(p) + ") should be " + std::to_string(expected));
    try {
        check_prefix(p);
        FUZZ_CHECK(expected, "check_prefix accepted invalid prefix " + show(p));
    } catch (const Error& e) {
        FUZZ_CHECK(!expected, "check_prefix rejected valid prefix " + show(p));
        FUZZ_CHECK(e.kind() == ErrorKind::invalid_parameter_value, "check_prefix error kind for " + show(p));
        // what() is a C string: a NUL in the prefix (which PostgreSQL text cannot hold) ends it.
        std::string want = "invalid prefix " + quote_for_message(p.data(), p.size());
        want.resize(std::min(want.size(), want.find('\0')));
        FUZZ_CHECK(e.what() == want, "check_prefix message " + show(e.what()) + ", want " + show(want));
        FUZZ_CHECK(e.detail() == kPrefixRule, "check_prefix detail " + show(e.detail()));
        FUZZ_CHECK(std::string_view(e.what()).size() <= 15 + 80 + 5, "check_prefix message too long for " + show(p));
    }
}

void check_id(std::string_view id, const std::string_view* claimed) {
    const fuzz::RefSplit ref = fuzz::ref_split_prefixed(id);

    // split_prefixed_id, with sentinel parts to see that a failure leaves them alone.
    static const char kSentinel[] = "sentinel";
    PrefixedIdParts parts{kSentinel, kSentinel};
    const bool split = split_prefixed_id(id, &parts);
    FUZZ_CHECK(split == ref.ok, "split_prefixed_id(" + show(id) + ") returned " + std::to_string(split));
    if (split) {
        FUZZ_CHECK(parts.prefix.data() == id.data() && parts.prefix.size() == ref.sep,
                   "prefix part of " + show(id) + " is " + show(parts.prefix));
        FUZZ_CHECK(parts.body.data() == id.data() + ref.sep + 1 && parts.body.size() == id.size() - ref.sep - 1,
                   "body part of " + show(id) + " is " + show(parts.body));
        FUZZ_CHECK(is_valid_prefix(parts.prefix) && is_cuid2(parts.body, kCuid2MinLength, kCuid2MaxLength),
                   "parts of " + show(id) + " do not validate on their own");
        FUZZ_CHECK(parts.body.find('_') == std::string_view::npos, "body of " + show(id) + " holds a '_'");
        FUZZ_CHECK(id.size() <= kMaxPrefixedIdLength, "a prefixed id longer than kMaxPrefixedIdLength: " + show(id));
    } else {
        FUZZ_CHECK(parts.prefix.data() == kSentinel && parts.body.data() == kSentinel,
                   "split_prefixed_id(" + show(id) + ") failed but wrote the parts");
    }

    // is_prefixed_id over odd body lengths and several candidate prefixes.
    const std::int64_t body_size = ref.ok ? static_cast<std::int64_t>(ref.body.size()) : 16;
    const std::int64_t lengths[] = {INT64_MIN, INT32_MIN, -16, -1, 0, 1, 2, 3, 15, 16, 17, 23, 24, 25, 31, 32, 33, 64,
                                    static_cast<std::int64_t>(id.size()), body_size - 1, body_size, body_size + 1,
                                    static_cast<std::int64_t>(UINT32_MAX) + body_size, INT32_MAX, INT64_MAX};
    std::string upper(ref.prefix);
    for (char& c : upper) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    const std::string longer = std::string(ref.prefix) + "x";
    const std::string shorter(ref.prefix.substr(0, ref.prefix.empty() ? 0 : ref.prefix.size() - 1));
    const std::string_view own = ref.prefix, up = upper, more = longer, less = shorter, none = "";
    const std::string_view* prefixes[] = {nullptr, &own, &up, &more, &less, &none, claimed};
    const std::size_t count = sizeof prefixes / sizeof prefixes[0] - (claimed == nullptr ? 1 : 0);
    for (std::size_t k = 0; k < count; ++k) {
        const std::string_view* p = prefixes[k];
        for (const std::int64_t len : lengths) {
            const bool want = ref.ok && static_cast<std::int64_t>(ref.body.size()) == len && (p == nullptr || *p == ref.prefix);
            const bool got = is_prefixed_id(id, p, len);
            FUZZ_CHECK(got == want, "is_prefixed_id(" + show(id) + ", " + (p ? show(*p) : std::string("NULL")) + ", " +
                                        std::to_string(len) + ") returned " + std::to_string(got));
            if (got) {
                FUZZ_CHECK(len >= kCuid2MinLength && len <= kCuid2MaxLength, "a body length out of range matched");
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_id(text, nullptr);
    check_prefix_rules(text);
    const std::size_t nul = text.find('\0');
    if (nul != std::string_view::npos) {
        const std::string_view id = text.substr(0, nul);
        const std::string_view claimed = text.substr(nul + 1);
        check_id(id, &claimed);
        check_prefix_rules(id);
        check_prefix_rules(claimed);
    }
    return 0;
}
