// Fuzz target "cuid2_generator": Cuid2Generator (constructor and next) and generate_prefixed_id,
// the code behind generate_cuid2, generate_prefixed_id and generate_id_for, driven by a random
// source the input controls (its bytes first, then a deterministic stream; or one constant byte;
// optionally failing on its n-th call).
//
// Input layout (missing bytes read as 0):
//   byte 0   flags: bit 0 = constant random bytes; bits 1-3 = fail the source's n-th call (0: never)
//   byte 1   constant mode: the constant byte (taken % 234, a value every draw accepts);
//            otherwise: how many of the following bytes the source hands out first
//   byte 2   the pid given to the generator
//   then up to 64 operations, each an op byte and its arguments:
//     op % 3 == 0  next(length, time)                          length byte, time
//     op % 3 == 1  generate_prefixed_id(prefix, length, time)  prefix length byte (% 72), prefix,
//                                                              length byte, time
//     op % 3 == 2  next(length, time) twice at the same time   length byte, time
//   where a length byte is read as in cuid2_construct, and the time is 8 bytes, or the previous
//   time when bit 4 of the op is set.
//
// Asserts:
//   - the generator's counter starts below kCuid2InitialCounterMax, counter_start() is that start
//     and never changes, and the counter goes up by exactly one per id; a rejected length or
//     prefix leaves it alone;
//   - its fingerprint is 32 chars of [0-9a-z] and never changes;
//   - next() gives a CUID2 of exactly `length` chars into a buffer of exactly kCuid2MaxLength;
//     generate_prefixed_id gives prefix + '_' + such a body, which is_prefixed_id accepts with that
//     prefix and body length, into a buffer of exactly kMaxPrefixedIdLength;
//   - a length outside 2..32 or an invalid prefix throws idconv::Error (invalid_parameter_value),
//     the prefix checked first; a failing source throws idconv::Error (internal), and only then;
//   - with constant random bytes c, the letter is 'a' + c % 26 and each salt digit pair is the
//     pair of 257 * c, so each id must equal the pure cuid2_construct over the same inputs,
//     across repeated and changing times (the generator caches the time's base-36 text).
#include <climits>
#include <cstdint>
#include <string>
#include <string_view>

#include "common.h"
#include "core/cuid2.h"
#include "core/error.h"
#include "core/prefix.h"

using namespace idconv;
using fuzz::show;

namespace {

struct Stream {
    std::string_view head;
    std::size_t pos = 0;
    std::uint64_t state = 0x9e3779b97f4a7c15ull;
    bool constant = false;
    unsigned char value = 0;
    int calls = 0;
    int fail_at = 0;
    int failures = 0;
} g_stream;

unsigned char stream_byte() {
    Stream& s = g_stream;
    if (s.constant) return s.value;
    if (s.pos < s.head.size()) return static_cast<unsigned char>(s.head[s.pos++]);
    // xorshift64*: deterministic, and never stuck on one value, so rejection sampling ends.
    s.state ^= s.state >> 12;
    s.state ^= s.state << 25;
    s.state ^= s.state >> 27;
    return static_cast<unsigned char>((s.state * 0x2545f4914f6cdd1dull) >> 56);
}

bool fuzz_source(unsigned char* buf, std::size_t len) {
    if (++g_stream.calls == g_stream.fail_at) {
        ++g_stream.failures;
        return false;
    }
    for (std::size_t i = 0; i < len; ++i) buf[i] = stream_byte();
    return true;
}

int pick_length(std::uint8_t b) {
    static constexpr int kExtreme[16] = {INT_MIN, INT_MIN + 1, -1000, -2, -1, 0, 1, 2,
                                         31, 32, 33, 64, 1000, INT_MAX - 1, INT_MAX, 24};
    return b < 0xF0 ? b % 40 - 4 : kExtreme[b - 0xF0];
}

bool length_ok(int length) { return length >= kCuid2MinLength && length <= kCuid2MaxLength; }

// The salt the generator draws from constant bytes c: pairs of 257 * c, then one digit c % 36.
std::string constant_salt(unsigned char c, int length) {
    const unsigned pair = (257u * c) % 1296u;
    std::string salt;
    for (int i = 0; i + 1 < length; i += 2) {
        salt += kBase36Digits[pair / 36];
        salt += kBase36Digits[pair % 36];
    }
    if (length % 2 == 1) salt += kBase36Digits[c % 36];
    return salt;
}

struct Run {
    Cuid2Generator& gen;
    std::string fingerprint;
    std::uint64_t counter;
    std::uint64_t start;  // counter_start(), which never changes
    std::uint64_t time = 0;

    // Runs `call` (which makes one id); checks the exception it throws against what is expected:
    // `invalid` says a parameter is invalid. Returns true when an id was made.
    template <typename Call>
    bool attempt(bool invalid, const std::string& what, Call call) {
        const int failures = g_stream.failures;
        try {
            call();
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::internal) {
                FUZZ_CHECK(g_stream.failures > failures, what + " threw an internal error with no source failure: " +
                                                             show(e.what()));
                FUZZ_CHECK(std::string(e.what()) == "could not generate random bytes", "message " + show(e.what()));
                counter = gen.counter();
            } else {
                FUZZ_CHECK(e.kind() == ErrorKind::invalid_parameter_value, what + ": unknown error kind");
                FUZZ_CHECK(invalid, what + " rejected valid parameters: " + show(e.what()));
                FUZZ_CHECK(gen.counter() == counter, what + " moved the counter and then threw");
            }
            FUZZ_CHECK(gen.fingerprint() == fingerprint, what + " changed the fingerprint");
            return false;
        }
        FUZZ_CHECK(!invalid, what + " accepted invalid parameters");
        FUZZ_CHECK(g_stream.failures == failures, what + " ignored a failed random source");
        FUZZ_CHECK(gen.counter() == counter + 1, what + " moved the counter from " + std::to_string(counter) + " to " +
                                                     std::to_string(gen.counter()));
        FUZZ_CHECK(gen.fingerprint() == fingerprint, what + " changed the fingerprint");
        FUZZ_CHECK(gen.counter_start() == start, what + " changed counter_start()");
        return true;
    }

    void check_body(std::string_view body, int length, const std::string& what) {
        FUZZ_CHECK(is_cuid2(body, length, length), what + " gave " + show(body));
        if (g_stream.constant) {
            const char letter = static_cast<char>('a' + g_stream.value % 26);
            const std::string salt = constant_salt(g_stream.value, length);
            const Cuid2Inputs in{letter, time, salt, counter, fingerprint, length};
            char made[kCuid2MaxLength];
            const std::string want(made, cuid2_construct(in, made));
            FUZZ_CHECK(body == want, what + " gave " + show(body) + ", the construction gives " + show(want));
        }
    }

    void next(int length) {
        auto out = fuzz::exact_buffer(kCuid2MaxLength);
        std::size_t n = 0;
        const std::string what = "next(" + std::to_string(length) + ", " + std::to_string(time) + ")";
        if (attempt(!length_ok(length), what, [&] { n = gen.next(length, time, out.get()); })) {
            check_body(std::string_view(out.get(), n), length, what);
            counter = gen.counter();
        }
    }

    void prefixed(std::string_view prefix, int length) {
        auto out = fuzz::exact_buffer(kMaxPrefixedIdLength);
        std::size_t n = 0;
        const bool prefix_ok = is_valid_prefix(prefix);
        const std::string what = "generate_prefixed_id(" + show(prefix) + ", " + std::to_string(length) + ")";
        if (!attempt(!prefix_ok || !length_ok(length), what,
                     [&] { n = generate_prefixed_id(gen, prefix, length, time, out.get()); })) {
            return;
        }
        const std::string_view id(out.get(), n);
        FUZZ_CHECK(n == prefix.size() + 1 + static_cast<std::size_t>(length), what + " gave " + show(id));
        FUZZ_CHECK(is_prefixed_id(id, &prefix, length), what + " gave " + show(id) + ", which is_prefixed_id rejects");
        FUZZ_CHECK(id.substr(0, prefix.size()) == prefix && id[prefix.size()] == '_', what + " gave " + show(id));
        check_body(id.substr(prefix.size() + 1), length, what);
        counter = gen.counter();
    }
};

// Which error generate_prefixed_id reports first: the prefix.
void check_prefixed_error_order(Cuid2Generator& gen) {
    char out[kMaxPrefixedIdLength];
    try {
        generate_prefixed_id(gen, "USR", 1, 0, out);
        FUZZ_CHECK(false, std::string("generate_prefixed_id(\"USR\", 1) did not throw"));
    } catch (const Error& e) {
        FUZZ_CHECK(std::string_view(e.what()).substr(0, 15) == "invalid prefix ", "first error: " + show(e.what()));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Reader r(data, size);
    const std::uint8_t flags = r.byte();
    const std::uint8_t arg = r.byte();
    const long pid = r.byte();
    g_stream = Stream{};
    g_stream.constant = (flags & 1) != 0;
    g_stream.fail_at = (flags >> 1) & 7;
    if (g_stream.constant) {
        g_stream.value = static_cast<unsigned char>(arg % 234);
    } else {
        g_stream.head = r.take(arg);
        for (char c : g_stream.head) g_stream.state = g_stream.state * 31 + static_cast<unsigned char>(c);
    }

    Cuid2Generator* made = nullptr;
    try {
        made = new Cuid2Generator(pid, fuzz_source);
    } catch (const Error& e) {
        FUZZ_CHECK(e.kind() == ErrorKind::internal && g_stream.failures == 1,
                   "the constructor threw " + show(e.what()) + " with no source failure");
        return 0;
    }
    std::unique_ptr<Cuid2Generator> gen(made);
    FUZZ_CHECK(g_stream.failures == 0, std::string("the constructor ignored a failed random source"));
    FUZZ_CHECK(gen->counter() < kCuid2InitialCounterMax, "initial counter " + std::to_string(gen->counter()));
    FUZZ_CHECK(gen->counter_start() == gen->counter(), "counter_start() " + std::to_string(gen->counter_start()) +
                                                           " is not the initial counter " + std::to_string(gen->counter()));
    FUZZ_CHECK(gen->fingerprint().size() == kCuid2FingerprintLength && fuzz::all_base36(gen->fingerprint()),
               "fingerprint " + show(gen->fingerprint()));

    Run run{*gen, std::string(gen->fingerprint()), gen->counter(), gen->counter_start()};
    for (int ops = 0; ops < 64 && !r.empty(); ++ops) {
        const std::uint8_t op = r.byte();
        auto read_time = [&] {
            if ((op & 0x10) == 0) run.time = r.u64();
        };
        switch (op % 3) {
            case 0: {
                const int length = pick_length(r.byte());
                read_time();
                run.next(length);
                break;
            }
            case 1: {
                const std::string prefix(r.take(r.byte() % 72));
                const int length = pick_length(r.byte());
                read_time();
                run.prefixed(prefix, length);
                break;
            }
            default: {
                const int length = pick_length(r.byte());
                read_time();
                run.next(length);
                run.next(length);
                break;
            }
        }
    }
    check_prefixed_error_order(*gen);
    return 0;
}
