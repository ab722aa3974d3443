// Fuzz target "uuid": parse_uuid_text, format_uuid, uuid_version, uuidv5, sha1_subject_uuid and
// normalize_subject, behind SQL's uuidv5, normalize_subject, sha1_subject_uuid, uuid_version,
// current_subject_id and the idconv.subject_namespace setting.
//
// Input: the bytes are a subject (a JWT "sub": a UUID in either case, a Zitadel number, auth0|...,
// user_..., anything); their first 16 bytes, when there are 16, are also used as raw UUID bytes
// and as a second namespace.
//
// Asserts:
//   - parse_uuid_text accepts exactly the 36-char 8-4-4-4-12 hex form, either case;
//   - round trips: format(parse(text)) is the text lower-cased; parse(format(bytes)) == bytes for
//     any 16 bytes; format writes 36 chars of lower-case hex with hyphens at 8, 13, 18, 23;
//   - uuid_version is the high nibble of byte 6 for the RFC variant (byte 8 = 10xxxxxx), else none;
//   - uuidv5 and sha1_subject_uuid equal SHA-1 (OpenSSL's one-shot EVP_Digest) over namespace and
//     name, or the name alone, cut to 16 bytes with version 5 and the RFC variant set;
//   - normalize_subject: an empty subject throws idconv::Error (invalid_parameter_value), a
//     UUID-shaped one passes through as its bytes, anything else is uuidv5(namespace, subject);
// and once, at start-up, that the docs' Zitadel example maps to the documented id.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "common.h"
#include "core/error.h"
#include "core/uuid.h"

using namespace idconv;
using fuzz::show;

namespace {

Digest& sha1() {
    static Digest d(Digest::Algorithm::sha1);
    return d;
}

std::string text_of(const Uuid& u) {
    auto out = fuzz::exact_buffer(kUuidTextLength);
    format_uuid(u, out.get());
    return std::string(out.get(), kUuidTextLength);
}

std::string hex_of(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    for (char c : bytes) {
        s += kHex[static_cast<unsigned char>(c) >> 4];
        s += kHex[static_cast<unsigned char>(c) & 15];
    }
    return s;
}

Uuid version5(const unsigned char* digest) {
    Uuid u;
    std::memcpy(u.data(), digest, 16);
    u[6] = static_cast<unsigned char>(0x50 | (u[6] & 0x0f));
    u[8] = static_cast<unsigned char>(0x80 | (u[8] & 0x3f));
    return u;
}

Uuid reference_v5(const Uuid& ns, std::string_view name) {
    std::string msg(reinterpret_cast<const char*>(ns.data()), ns.size());
    msg += name;
    return version5(fuzz::ref_sha1(msg).data());
}

Uuid reference_sha1_subject(std::string_view name) { return version5(fuzz::ref_sha1(name).data()); }

// The docs' example namespace.
constexpr Uuid kNamespace = {0x9b, 0x3a, 0x2c, 0x1e, 0x7d, 0x4f, 0x4e, 0x2a,
                             0x8b, 0x6c, 0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a};

void check_format(const Uuid& u) {
    const std::string t = text_of(u);
    FUZZ_CHECK(t == format_uuid(u), "the two format_uuid overloads disagree on " + show(t));
    for (std::size_t i = 0; i < t.size(); ++i) {
        const bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
        const bool ok = hyphen ? t[i] == '-' : (fuzz::ref_digit(t[i]) || (t[i] >= 'a' && t[i] <= 'f'));
        FUZZ_CHECK(ok, "format_uuid wrote " + show(t));
    }
    const std::optional<Uuid> back = parse_uuid_text(t);
    FUZZ_CHECK(back && *back == u, "parse_uuid_text(format_uuid(x)) != x for " + show(t));
    const std::optional<int> version = uuid_version(u);
    if ((u[8] & 0xc0) == 0x80) {
        FUZZ_CHECK(version && *version == (u[6] >> 4), "uuid_version of RFC-variant " + show(t));
    } else {
        FUZZ_CHECK(!version, "uuid_version of non-RFC " + show(t) + " should be none");
    }
}

void check_v5(const Uuid& got, const Uuid& want, const std::string& what) {
    FUZZ_CHECK(got == want, what + " = " + text_of(got) + ", want " + text_of(want));
    FUZZ_CHECK(uuid_version(got) == std::optional<int>(5), what + " is not version 5: " + text_of(got));
}

void check_subject(std::string_view subject, const Uuid& ns) {
    if (subject.empty()) {
        try {
            (void)normalize_subject(sha1(), subject, ns);
            FUZZ_CHECK(false, std::string("normalize_subject accepted an empty subject"));
        } catch (const Error& e) {
            FUZZ_CHECK(e.kind() == ErrorKind::invalid_parameter_value, std::string("empty subject: wrong error kind"));
            FUZZ_CHECK(std::string(e.what()) == "subject must not be empty", "empty subject: message " + show(e.what()));
        }
        return;
    }
    const Uuid got = normalize_subject(sha1(), subject, ns);
    if (fuzz::ref_uuid_shape(subject)) {
        FUZZ_CHECK(text_of(got) == fuzz::ascii_lower(subject),
                   "normalize_subject(" + show(subject) + ") = " + text_of(got) + " did not pass it through");
    } else {
        check_v5(got, reference_v5(ns, subject), "normalize_subject(" + show(subject) + ", " + text_of(ns) + ")");
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // docs "Zitadel, Auth0, Clerk": the oracle and the core agree with the documented mapping.
    const Uuid want = *parse_uuid_text("0119f314-073c-5994-97d8-8033973455b7");
    FUZZ_CHECK(reference_v5(kNamespace, "335517149097361411") == want, std::string("the reference UUIDv5 is wrong"));
    FUZZ_CHECK(normalize_subject(sha1(), "335517149097361411", kNamespace) == want,
               std::string("normalize_subject breaks the docs' example"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    // Parsing.
    const std::optional<Uuid> parsed = parse_uuid_text(text);
    FUZZ_CHECK(parsed.has_value() == fuzz::ref_uuid_shape(text), "parse_uuid_text(" + show(text) + ") " +
                                                                     (parsed ? "accepted" : "rejected") + " it");
    if (parsed) {
        const std::string lower = fuzz::ascii_lower(text);
        FUZZ_CHECK(text_of(*parsed) == lower, "format(parse(" + show(text) + ")) = " + text_of(*parsed));
        std::string digits;
        for (char c : lower) {
            if (c != '-') digits += c;
        }
        FUZZ_CHECK(hex_of(std::string_view(reinterpret_cast<const char*>(parsed->data()), 16)) == digits,
                   "parse_uuid_text(" + show(text) + ") read the wrong bytes");
        check_format(*parsed);
    }

    // Raw bytes: formatting and the version field.
    Uuid raw{};
    const bool have_raw = size >= 16;
    if (have_raw) {
        std::memcpy(raw.data(), data, 16);
        check_format(raw);
    }

    // The subject mappings, in the docs' namespace and in one from the input.
    check_subject(text, kNamespace);
    if (have_raw) check_subject(text, raw);
    check_v5(uuidv5(sha1(), kNamespace, text), reference_v5(kNamespace, text), "uuidv5(" + show(text) + ")");
    check_v5(sha1_subject_uuid(sha1(), text), reference_sha1_subject(text), "sha1_subject_uuid(" + show(text) + ")");
    return 0;
}
