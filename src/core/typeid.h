// TypeIDs (spec 0.3.0, github.com/jetify-com/typeid): an optional prefix of the TypeID grammar,
// '_' when there is a prefix, and a UUID as 26 characters of lower-case Crockford base 32
// (two zero bits, then the 128 bits, five at a time; so the first character is 0..7).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/prefix.h"
#include "core/uuid.h"
#include "core/uuid7.h"

namespace idconv {

inline constexpr std::size_t kTypeidSuffixLength = 26;
inline constexpr std::size_t kMaxTypeidLength = kMaxPrefixLength + 1 + kTypeidSuffixLength;
inline constexpr char kTypeidPrefixRule[] =
    "A TypeID prefix is empty, or 1 to 63 characters of lowercase a-z and \"_\" that start and end with a letter.";

// Why a string is not a TypeID, in the order parse_typeid checks.
enum class TypeidProblem {
    none,
    too_long,         // longer than any TypeID
    empty_prefix,     // a '_' with nothing before it
    invalid_prefix,   // the part before the last '_' breaks the prefix grammar
    suffix_length,    // the part after the last '_' (or the whole, without one) is not 26 chars
    suffix_alphabet,  // a character outside 0-9 a-z minus i l o u (upper case included)
    suffix_overflow,  // first character above '7': more than 128 bits
};

// A sentence for an error's detail.
const char* typeid_problem_text(TypeidProblem problem) noexcept;

struct TypeidParts {
    std::string_view prefix;  // empty for an unprefixed TypeID
    Uuid uuid;
};

// Splits at the last '_' and decodes; `parts` is set only when the answer is `none`.
TypeidProblem parse_typeid(std::string_view id, TypeidParts* parts) noexcept;

// parse_typeid(id) == none, and the prefix equals `*prefix` when `prefix` is not null ("" for an
// unprefixed one).
bool is_typeid(std::string_view id, const std::string_view* prefix) noexcept;

// The 26-character suffix of a UUID.
void encode_typeid_suffix(const Uuid& uuid, char* out) noexcept;

// Empty, or is_valid_prefix.
bool is_valid_typeid_prefix(std::string_view prefix) noexcept;

// Writes prefix, '_' unless the prefix is empty, and the suffix of `uuid` into `out`
// (kMaxTypeidLength chars) and returns the length; throws idconv::Error
// (invalid_parameter_value) for an invalid prefix.
std::size_t format_typeid(std::string_view prefix, const Uuid& uuid, char* out);

// format_typeid with a new UUIDv7 from `gen`; the prefix is checked before the generator moves.
std::size_t generate_typeid(Uuid7Generator& gen, std::string_view prefix, std::uint64_t unix_ns, char* out);

}  // namespace idconv
