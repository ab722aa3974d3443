// Fuzz target "cuid2_construct": the pure CUID2 construction (cuid2_construct, both overloads),
// check_cuid2_length and cuid2_fingerprint, over any time, counter, salt, fingerprint and length.
//
// Input layout (missing bytes read as 0):
//   byte 0      the letter: 'a' + byte % 26
//   byte 1      the length: (byte % 40) - 4 below 0xF0, else one of 16 extreme values
//   bytes 2-9   time_ms, little-endian
//   bytes 10-17 counter, little-endian
//   byte 18     the salt's length, then the salt
//   the rest    the fingerprint
// The salt and fingerprint may be any bytes and any length (the generator passes 2-32 and 32
// base-36 chars; longer ones take the core's piecewise hashing path).
//
// Asserts:
//   - a length outside 2..32 throws idconv::Error (invalid_parameter_value) with the documented
//     message, from cuid2_construct and from check_cuid2_length, and nothing else throws;
//   - otherwise the id is exactly what the docs' recipe gives, computed here the slow way:
//     letter + base36(SHA3-512(base36(time) + salt + base36(counter) + fingerprint)) digits
//     [2, length + 1), with OpenSSL's one-shot EVP_Digest and schoolbook base 36;
//   - so the id has `length` chars (fewer only if the digest had fewer than length + 1 digits),
//     the letter first and [0-9a-z] after it, written into a buffer of exactly kCuid2MaxLength;
//   - the std::string overload agrees;
//   - cuid2_fingerprint(salt, fingerprint) is 32 chars: base36(SHA3-512(source + entropy))
//     without its first digit, padded with '0'.
#include <climits>
#include <cstdint>
#include <string>
#include <string_view>

#include "common.h"
#include "core/cuid2.h"
#include "core/error.h"

using namespace idconv;
using fuzz::show;

namespace {

std::string reference_cuid2(const Cuid2Inputs& in) {
    const std::string msg = fuzz::ref_base36_u64(in.time_ms) + std::string(in.salt) + fuzz::ref_base36_u64(in.counter) +
                            std::string(in.fingerprint);
    const auto digest = fuzz::ref_sha3_512(msg);
    const std::string digits = fuzz::ref_base36_be(digest.data(), digest.size());
    const std::size_t want = static_cast<std::size_t>(in.length) - 1;
    return std::string(1, in.letter) + (digits.size() > 2 ? digits.substr(2, want) : std::string());
}

std::string reference_fingerprint(std::string_view source, std::string_view entropy) {
    const auto digest = fuzz::ref_sha3_512(std::string(source) + std::string(entropy));
    std::string digits = fuzz::ref_base36_be(digest.data(), digest.size()).substr(1, kCuid2FingerprintLength);
    digits.resize(kCuid2FingerprintLength, '0');
    return digits;
}

std::string describe(const Cuid2Inputs& in) {
    return "letter=" + std::string(1, in.letter) + " time=" + std::to_string(in.time_ms) + " salt=" + show(in.salt) +
           " counter=" + std::to_string(in.counter) + " fingerprint=" + show(in.fingerprint) +
           " length=" + std::to_string(in.length);
}

int pick_length(std::uint8_t b) {
    static constexpr int kExtreme[16] = {INT_MIN, INT_MIN + 1, -1000, -2, -1, 0, 1, 2,
                                         31, 32, 33, 64, 1000, INT_MAX - 1, INT_MAX, 24};
    return b < 0xF0 ? b % 40 - 4 : kExtreme[b - 0xF0];
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // One row of test/unit/vectors/cuid2.tsv (made by @paralleldrive/cuid2): the oracle is right.
    const Cuid2Inputs in{'q', 1763836800000ull, "abcdefghijklmnop", 12345, "k9x2m4pq7r1t8v3w6y0z5b2n4c6d8f0h", 16};
    FUZZ_CHECK(reference_cuid2(in) == "qtrutd37snzz25my", "the reference construction is wrong: " + reference_cuid2(in));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Reader r(data, size);
    const char letter = static_cast<char>('a' + r.byte() % 26);
    const int length = pick_length(r.byte());
    const std::uint64_t time_ms = r.u64();
    const std::uint64_t counter = r.u64();
    const std::string_view salt = r.take(r.byte());
    const std::string_view fingerprint = r.rest();
    const Cuid2Inputs in{letter, time_ms, salt, counter, fingerprint, length};
    const bool in_range = length >= kCuid2MinLength && length <= kCuid2MaxLength;

    // The length check, on its own and inside the construction.
    try {
        check_cuid2_length(length, "body length");
        FUZZ_CHECK(in_range, "check_cuid2_length accepted " + std::to_string(length));
    } catch (const Error& e) {
        FUZZ_CHECK(!in_range, "check_cuid2_length rejected " + std::to_string(length));
        FUZZ_CHECK(e.kind() == ErrorKind::invalid_parameter_value, std::string("check_cuid2_length: error kind"));
        FUZZ_CHECK(std::string(e.what()) == "body length " + std::to_string(length) + " is out of range",
                   "check_cuid2_length message " + show(e.what()));
        FUZZ_CHECK(e.detail() == "The length must be between 2 and 32.", "check_cuid2_length detail " + show(e.detail()));
    }

    auto out = fuzz::exact_buffer(kCuid2MaxLength);
    std::size_t n = 0;
    try {
        n = cuid2_construct(in, out.get());
        FUZZ_CHECK(in_range, "cuid2_construct accepted " + describe(in));
    } catch (const Error& e) {
        FUZZ_CHECK(!in_range, "cuid2_construct threw " + show(e.what()) + " for " + describe(in));
        FUZZ_CHECK(e.kind() == ErrorKind::invalid_parameter_value, "cuid2_construct: error kind for " + describe(in));
        FUZZ_CHECK(std::string(e.what()) == "CUID2 length " + std::to_string(length) + " is out of range",
                   "cuid2_construct message " + show(e.what()));
    }

    if (in_range) {
        const std::string id(out.get(), n);
        const std::string want = reference_cuid2(in);
        FUZZ_CHECK(id == want, "cuid2_construct gave " + show(id) + ", want " + show(want) + " for " + describe(in));
        FUZZ_CHECK(n == static_cast<std::size_t>(length) || want.size() < static_cast<std::size_t>(length),
                   "cuid2_construct gave " + std::to_string(n) + " chars for " + describe(in));
        FUZZ_CHECK(id[0] == letter && fuzz::all_base36(id), "cuid2_construct gave " + show(id));
        FUZZ_CHECK(cuid2_construct(in) == id, "the two cuid2_construct overloads disagree for " + describe(in));
    }

    // The fingerprint: salt as the host data, the fingerprint bytes as the entropy.
    auto fp = fuzz::exact_buffer(kCuid2FingerprintLength);
    cuid2_fingerprint(salt, fingerprint, fp.get());
    const std::string got(fp.get(), kCuid2FingerprintLength);
    const std::string want = reference_fingerprint(salt, fingerprint);
    FUZZ_CHECK(got == want, "cuid2_fingerprint(" + show(salt) + ", " + show(fingerprint) + ") = " + show(got) +
                                ", want " + show(want));
    return 0;
}
