// Tenant slugs: a mutable, human-readable name beside a UUID primary key.
#pragma once

#include <cstddef>
#include <string_view>

namespace idconv {

inline constexpr std::size_t kMaxSlugLength = 63;

// 1-63 chars: runs of [a-z0-9] joined by single '-', no '-' at either end.
bool is_slug(std::string_view text) noexcept;

// The slug of UTF-8 `text`: ASCII letters lower-cased, Latin letters with diacritics folded to
// ASCII (É -> e, İ -> i, ß -> ss), combining marks dropped, every other run of characters one '-',
// trimmed, cut to 63 chars at the last '-' within them when there is one. Writes into `out`
// (kMaxSlugLength chars) and returns the length; 0 when nothing is left. Bytes that are not
// UTF-8 count as "other characters". The result, when not empty, always passes is_slug.
std::size_t slugify(std::string_view text, char* out) noexcept;

}  // namespace idconv
