// CUID2 as @paralleldrive/cuid2 3.3.0 makes it:
//   id = letter + base36(SHA3-512(base36(time_ms) + salt + base36(counter) + fingerprint))[2 .. length+1)
// (SHA3-512 from core/sha3.h)
// with the digest read as a big-endian integer. The construction is a pure function of its inputs;
// Cuid2Generator supplies those inputs the way the reference does, from a CSPRNG.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base36.h"
#include "core/random.h"

namespace idconv {

inline constexpr int kCuid2MinLength = 2;
inline constexpr int kCuid2MaxLength = 32;
inline constexpr int kCuid2DefaultLength = 24;
inline constexpr std::size_t kCuid2FingerprintLength = 32;
// The per-process counter starts below this, as in the reference.
inline constexpr std::uint32_t kCuid2InitialCounterMax = 476782367;

struct Cuid2Inputs {
    char letter;                   // a-z
    std::uint64_t time_ms;         // milliseconds since the Unix epoch
    std::string_view salt;         // the reference uses `length` random base-36 chars
    std::uint64_t counter;
    std::string_view fingerprint;  // the reference uses 32 base-36 chars
    int length;                    // kCuid2MinLength..kCuid2MaxLength
};

// Throws idconv::Error (invalid_parameter_value) unless kCuid2MinLength <= length <= kCuid2MaxLength;
// `what` names the value in the message.
void check_cuid2_length(int length, const char* what = "CUID2 length");

// Writes the id into `out` (room for kCuid2MaxLength chars, no terminator) and returns its length,
// which is `in.length` unless the digest were to have fewer than length + 1 base-36 digits (odds
// about 2^-337; the reference then returns a shorter id and so does this).
std::size_t cuid2_construct(const Cuid2Inputs& in, char* out);
std::string cuid2_construct(const Cuid2Inputs& in);

// The reference's fingerprint: base36(SHA3-512(source + entropy)) without its first digit, cut to
// 32 chars. `out` holds kCuid2FingerprintLength chars.
void cuid2_fingerprint(std::string_view source, std::string_view entropy, char* out);

// Host and process data for the fingerprint (the reference hashes the JS global object's keys,
// which a database backend does not have): host name, pid, parent pid, uid, and the clock.
std::string cuid2_fingerprint_source(long pid);

// One per process: the counter, the fingerprint and the random pool belong to the process that
// made them (see cuid2_process_generator).
class Cuid2Generator {
public:
    explicit Cuid2Generator(long pid, RandomSource source = openssl_random);

    // Writes a new id of `length` chars into `out` and returns its length; throws idconv::Error for
    // a length out of range or a failed random source.
    std::size_t next(int length, std::uint64_t now_ms, char* out);

    long pid() const noexcept { return pid_; }
    std::uint64_t counter() const noexcept { return counter_; }
    std::uint64_t counter_start() const noexcept { return counter_start_; }
    std::string_view fingerprint() const noexcept { return {fingerprint_, kCuid2FingerprintLength}; }

private:
    long pid_;
    RandomPool random_;
    std::uint64_t counter_;
    std::uint64_t counter_start_;
    char fingerprint_[kCuid2FingerprintLength];
    std::uint64_t time_ms_ = 0;  // the millisecond time36_ holds
    char time36_[kMaxBase36U64Digits];
    std::size_t time36_len_ = 0;
};

// The calling process's generator, made on first use and made again when `pid` differs from the
// pid it was made for: a process forked from one that had a generator (a backend forked from a
// postmaster that preloaded the library) never reuses its parent's counter, fingerprint or
// buffered random bytes. Never destroyed: a static with a destructor would run after OpenSSL's
// own exit handler. Throws what the Cuid2Generator constructor throws.
Cuid2Generator& cuid2_process_generator(long pid);

}  // namespace idconv
