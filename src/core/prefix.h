// Prefixed ids, Stripe style: `usr_ght4k2jxm7pqbv01` = a TypeID-grammar prefix, '_', a CUID2 body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/cuid2.h"

namespace idconv {

inline constexpr std::size_t kMaxPrefixLength = 63;
inline constexpr int kDefaultPrefixedBodyLength = 16;
inline constexpr std::size_t kMaxPrefixedIdLength = kMaxPrefixLength + 1 + kCuid2MaxLength;
inline constexpr char kPrefixRule[] =
    "A prefix is 1 to 63 characters of lowercase a-z and \"_\", and starts and ends with a letter.";

// TypeID prefix grammar: 1-63 chars of [a-z_], first and last a letter.
bool is_valid_prefix(std::string_view prefix) noexcept;

// ^[a-z][0-9a-z]+$ with min_length <= length <= max_length.
bool is_cuid2(std::string_view id, std::int64_t min_length, std::int64_t max_length) noexcept;

struct PrefixedIdParts {
    std::string_view prefix;
    std::string_view body;
};

// Splits at the last '_'. True when the prefix is valid and the body is a CUID2 of
// kCuid2MinLength..kCuid2MaxLength chars; `parts` is set only then.
bool split_prefixed_id(std::string_view id, PrefixedIdParts* parts) noexcept;

// split_prefixed_id, and the body is exactly `body_length` chars, and the prefix equals `*prefix`
// when `prefix` is not null.
bool is_prefixed_id(std::string_view id, const std::string_view* prefix, std::int64_t body_length) noexcept;

// Throws idconv::Error (invalid_parameter_value) showing the prefix and the rule.
void check_prefix(std::string_view prefix);

// Writes prefix + '_' + a new CUID2 body into `out` (kMaxPrefixedIdLength chars) and returns the
// length; throws idconv::Error for an invalid prefix or body length.
std::size_t generate_prefixed_id(Cuid2Generator& gen, std::string_view prefix, int body_length,
                                 std::uint64_t now_ms, char* out);

}  // namespace idconv
