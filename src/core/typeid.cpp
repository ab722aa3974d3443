#include "core/typeid.h"

#include <array>
#include <cstring>

#include "core/error.h"

namespace idconv {

namespace {

constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr unsigned char kInvalid = 0xff;

constexpr std::array<unsigned char, 256> make_decode_table() {
    std::array<unsigned char, 256> t{};
    for (auto& v : t) v = kInvalid;
    for (unsigned i = 0; i < 32; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<unsigned char>(i);
    return t;
}
constexpr std::array<unsigned char, 256> kDecode = make_decode_table();

// The 26 characters are known to be of the alphabet, the first at most '7'.
Uuid decode_suffix(const char* s) noexcept {
    std::uint64_t hi = 0, lo = 0;
    for (std::size_t i = 0; i < kTypeidSuffixLength; ++i) {
        hi = hi << 5 | lo >> 59;
        lo = lo << 5 | kDecode[static_cast<unsigned char>(s[i])];
    }
    Uuid u;
    for (int i = 0; i < 8; ++i) {
        u[i] = static_cast<unsigned char>(hi >> (56 - 8 * i));
        u[8 + i] = static_cast<unsigned char>(lo >> (56 - 8 * i));
    }
    return u;
}

TypeidProblem check_suffix(const char* s, std::size_t n) noexcept {
    if (n != kTypeidSuffixLength) return TypeidProblem::suffix_length;
    unsigned any_invalid = 0;
    for (std::size_t i = 0; i < kTypeidSuffixLength; ++i) any_invalid |= kDecode[static_cast<unsigned char>(s[i])];
    // Every valid value is below 32: only kInvalid sets the top bit.
    if (any_invalid & 0x80) return TypeidProblem::suffix_alphabet;
    if (s[0] > '7') return TypeidProblem::suffix_overflow;
    return TypeidProblem::none;
}

}  // namespace

const char* typeid_problem_text(TypeidProblem problem) noexcept {
    switch (problem) {
        case TypeidProblem::none:
            return "It is a valid TypeID.";
        case TypeidProblem::too_long:
            return "A TypeID has at most 90 characters: a prefix of up to 63, \"_\" and 26.";
        case TypeidProblem::empty_prefix:
            return "An unprefixed TypeID has no \"_\" separator.";
        case TypeidProblem::invalid_prefix:
            return "The prefix (before the last \"_\") must be 1 to 63 characters of lowercase a-z and \"_\" that start and end with a letter.";
        case TypeidProblem::suffix_length:
            return "The suffix (after the last \"_\", or the whole id without one) must be exactly 26 characters.";
        case TypeidProblem::suffix_alphabet:
            return "The suffix must use only the lowercase base32 alphabet 0123456789abcdefghjkmnpqrstvwxyz.";
        case TypeidProblem::suffix_overflow:
            return "The suffix must start with 0 to 7: a larger one encodes more than 128 bits.";
    }
    return "It is not a TypeID.";
}

TypeidProblem parse_typeid(std::string_view id, TypeidParts* parts) noexcept {
    // Bounded first, so a megabyte of text costs one comparison, not a search for '_'.
    if (id.size() > kMaxTypeidLength) return TypeidProblem::too_long;
    const std::size_t sep = id.rfind('_');
    std::string_view prefix, suffix = id;
    if (sep != std::string_view::npos) {
        prefix = id.substr(0, sep);
        suffix = id.substr(sep + 1);
        if (prefix.empty()) return TypeidProblem::empty_prefix;
        if (!is_valid_prefix(prefix)) return TypeidProblem::invalid_prefix;
    }
    const TypeidProblem problem = check_suffix(suffix.data(), suffix.size());
    if (problem != TypeidProblem::none) return problem;
    parts->prefix = prefix;
    parts->uuid = decode_suffix(suffix.data());
    return TypeidProblem::none;
}

bool is_typeid(std::string_view id, const std::string_view* prefix) noexcept {
    if (prefix != nullptr) {
        // By construction, as is_prefixed_id: the suffix has no '_', so the expected prefix and
        // its '_' at the front is the split at the last '_'.
        const std::size_t p = prefix->size();
        const std::size_t sep = p == 0 ? 0 : 1;
        if (id.size() != p + sep + kTypeidSuffixLength) return false;
        if (p != 0 && (id[p] != '_' || std::memcmp(id.data(), prefix->data(), p) != 0 || !is_valid_prefix(*prefix))) {
            return false;
        }
        return check_suffix(id.data() + p + sep, kTypeidSuffixLength) == TypeidProblem::none;
    }
    TypeidParts parts;
    return parse_typeid(id, &parts) == TypeidProblem::none;
}

void encode_typeid_suffix(const Uuid& uuid, char* out) noexcept {
    std::uint64_t hi = 0, lo = 0;
    for (int i = 0; i < 8; ++i) {
        hi = hi << 8 | uuid[i];
        lo = lo << 8 | uuid[8 + i];
    }
    for (std::size_t i = kTypeidSuffixLength; i-- > 0;) {
        out[i] = kAlphabet[lo & 31];
        lo = lo >> 5 | hi << 59;
        hi >>= 5;
    }
}

bool is_valid_typeid_prefix(std::string_view prefix) noexcept { return prefix.empty() || is_valid_prefix(prefix); }

namespace {

void check_typeid_prefix(std::string_view prefix) {
    if (!is_valid_typeid_prefix(prefix)) {
        // Quoted, not quote_for_message: the glue cuts the value on a character of the database's
        // encoding, where a UTF-8 cut can split an EUC_JP character and fail the message's conversion.
        throw Error(ErrorKind::invalid_parameter_value, "invalid TypeID prefix ", Quoted{prefix}, kTypeidPrefixRule);
    }
}

std::size_t write_typeid(std::string_view prefix, const Uuid& uuid, char* out) noexcept {
    std::size_t n = 0;
    if (!prefix.empty()) {
        std::memcpy(out, prefix.data(), prefix.size());
        out[prefix.size()] = '_';
        n = prefix.size() + 1;
    }
    encode_typeid_suffix(uuid, out + n);
    return n + kTypeidSuffixLength;
}

}  // namespace

std::size_t format_typeid(std::string_view prefix, const Uuid& uuid, char* out) {
    check_typeid_prefix(prefix);
    return write_typeid(prefix, uuid, out);
}

std::size_t generate_typeid(Uuid7Generator& gen, std::string_view prefix, std::uint64_t unix_ns, char* out) {
    check_typeid_prefix(prefix);
    return write_typeid(prefix, gen.next(unix_ns), out);
}

}  // namespace idconv
