// Fuzz target "cuid2_shape": is_cuid2(id, min_length, max_length), the check behind SQL's
// is_cuid2(id text, min_length int, max_length int).
//
// Input: the first byte picks two extra bounds (see below); the rest is the id.
//
// Asserts: for a grid of bounds (INT64_MIN, INT32_MIN, -1, 0, 1, 2, 3, 23..25, 31..33, the id's
// length and its neighbours, INT32_MAX, INT64_MAX and two bounds from the input),
//   is_cuid2(id, min, max) == (id matches ^[a-z][0-9a-z]+$ && min <= len && len <= max);
// in particular an inverted range (min > max) never matches, and no bound admits a 0- or 1-char id.
#include <climits>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common.h"
#include "core/prefix.h"

using namespace idconv;
using fuzz::show;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Reader in(data, size);
    const std::uint8_t pick = in.byte();
    const std::string_view id = in.rest();
    const auto len = static_cast<std::int64_t>(id.size());
    const bool shape = fuzz::ref_cuid2_shape(id);

    // Two bounds the fuzzer chooses: small signed values near the length.
    const std::int64_t a = len + static_cast<std::int8_t>(pick) / 16;
    const std::int64_t b = static_cast<std::int64_t>(pick & 0x0f) * 3 - 6;
    std::vector<std::int64_t> bounds = {INT64_MIN, INT32_MIN, -1, 0, 1, 2, 3, 23, 24, 25, 31, 32, 33,
                                        len - 1, len, len + 1, INT32_MAX, INT64_MAX, a, b};
    // Long ids: the check is linear in the id, so keep the grid small.
    if (len > 256) bounds = {INT64_MIN, 0, 2, 32, len - 1, len, len + 1, INT64_MAX};
    for (const std::int64_t lo : bounds) {
        for (const std::int64_t hi : bounds) {
            const bool want = shape && lo <= len && len <= hi;
            const bool got = is_cuid2(id, lo, hi);
            FUZZ_CHECK(got == want, "is_cuid2(" + show(id) + ", " + std::to_string(lo) + ", " + std::to_string(hi) +
                                        ") returned " + std::to_string(got));
        }
    }
    return 0;
}
