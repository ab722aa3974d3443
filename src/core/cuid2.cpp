#include "core/cuid2.h"

#include <unistd.h>

#include <chrono>
#include <cstring>

#include "core/base36.h"
#include "core/error.h"
#include "core/sha3.h"

namespace idconv {

namespace {
constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyz";
}

void check_cuid2_length(int length, const char* what) {
    if (length < kCuid2MinLength || length > kCuid2MaxLength) {
        throw Error(ErrorKind::invalid_parameter_value,
                    std::string(what) + " " + std::to_string(length) + " is out of range",
                    "The length must be between " + std::to_string(kCuid2MinLength) + " and " +
                        std::to_string(kCuid2MaxLength) + ".");
    }
}

namespace {

// The construction with the time already in base 36 (the generator keeps it for the current
// millisecond: a bulk insert makes hundreds of ids in each).
// Callers have checked in.length.
std::size_t construct(const Cuid2Inputs& in, std::string_view time36, char* out) {
    // The hash input, contiguous: one digest update costs less than four. A salt or fingerprint
    // longer than the reference's does not fit the buffer and is hashed in pieces instead.
    char input[2 * kMaxBase36U64Digits + kCuid2MaxLength + kCuid2FingerprintLength];
    unsigned char digest[kSha3_512Bytes];
    if (in.salt.size() <= kCuid2MaxLength && in.fingerprint.size() <= kCuid2FingerprintLength) {
        std::size_t n = time36.size();
        std::memcpy(input, time36.data(), n);
        std::memcpy(input + n, in.salt.data(), in.salt.size());
        n += in.salt.size();
        n += base36_u64(in.counter, input + n);
        std::memcpy(input + n, in.fingerprint.data(), in.fingerprint.size());
        n += in.fingerprint.size();
        const Digest::Piece whole{input, n};
        sha3_512(&whole, 1, digest);
    } else {
        char count36[kMaxBase36U64Digits];
        const Digest::Piece pieces[] = {
            {time36.data(), time36.size()},
            {in.salt.data(), in.salt.size()},
            {count36, base36_u64(in.counter, count36)},
            {in.fingerprint.data(), in.fingerprint.size()},
        };
        sha3_512(pieces, sizeof pieces / sizeof pieces[0], digest);
    }
    // The reference drops the digest's first digit (it is biased: 0 or 1 for most digests), then
    // takes substring(1, length) of the rest, which skips one more.
    constexpr std::size_t kSkipped = 2;
    out[0] = in.letter;
    return 1 + base36_u512_window(digest, kSkipped, static_cast<std::size_t>(in.length) - 1, out + 1);
}

}  // namespace

std::size_t cuid2_construct(const Cuid2Inputs& in, char* out) {
    check_cuid2_length(in.length);
    char time36[kMaxBase36U64Digits];
    return construct(in, {time36, base36_u64(in.time_ms, time36)}, out);
}

std::string cuid2_construct(const Cuid2Inputs& in) {
    char out[kCuid2MaxLength];
    return std::string(out, cuid2_construct(in, out));
}

void cuid2_fingerprint(std::string_view source, std::string_view entropy, char* out) {
    const Digest::Piece pieces[] = {{source.data(), source.size()}, {entropy.data(), entropy.size()}};
    unsigned char digest[kSha3_512Bytes];
    sha3_512(pieces, 2, digest);
    char digits[kMaxBase36U512Digits];
    const std::size_t n = base36_u512(digest, digits);
    // substring(0, 32) of the digits after the first; a digest short enough to leave fewer is
    // padded with '0' (odds about 2^-345), so the fingerprint always has its full width.
    for (std::size_t i = 0; i < kCuid2FingerprintLength; ++i) out[i] = i + 1 < n ? digits[i + 1] : '0';
}

std::string cuid2_fingerprint_source(long pid) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    std::string s = host;
    s += ',' + std::to_string(pid) + ',' + std::to_string(static_cast<long>(getppid())) + ',' +
         std::to_string(static_cast<unsigned long>(getuid())) + ',' +
         std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
    return s;
}

Cuid2Generator::Cuid2Generator(long pid, RandomSource source) : pid_(pid), random_(source) {
    counter_ = counter_start_ = random_.below32(kCuid2InitialCounterMax);
    char entropy[kCuid2FingerprintLength];
    random_.fill_base36(entropy, sizeof entropy);
    cuid2_fingerprint(cuid2_fingerprint_source(pid), {entropy, sizeof entropy}, fingerprint_);
}

std::size_t Cuid2Generator::next(int length, std::uint64_t now_ms, char* out) {
    check_cuid2_length(length);
    char salt[kCuid2MaxLength];
    const char letter = kLetters[random_.below(26)];
    random_.fill_base36(salt, static_cast<std::size_t>(length));
    if (now_ms != time_ms_ || time36_len_ == 0) {
        time_ms_ = now_ms;
        time36_len_ = base36_u64(now_ms, time36_);
    }
    const Cuid2Inputs in{letter, now_ms, {salt, static_cast<std::size_t>(length)}, counter_++,
                         fingerprint(), length};
    return construct(in, {time36_, time36_len_}, out);
}

Cuid2Generator& cuid2_process_generator(long pid) {
    static Cuid2Generator* generator = nullptr;
    if (generator == nullptr || generator->pid() != pid) {
        Cuid2Generator* fresh = new Cuid2Generator(pid);
        delete generator;
        generator = fresh;
    }
    return *generator;
}

}  // namespace idconv
