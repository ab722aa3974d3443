#include "core/classify.h"

#include <algorithm>

#include "core/prefix.h"
#include "core/slug.h"
#include "core/typeid.h"
#include "core/uuid.h"

namespace idconv {

namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_lower_or_digit(char c) noexcept { return (c >= 'a' && c <= 'z') || is_digit(c); }

bool all_of(std::string_view s, bool (*pred)(char) noexcept) noexcept {
    return std::all_of(s.begin(), s.end(), pred);
}

bool is_prefixed(std::string_view id) noexcept {
    PrefixedIdParts parts;
    return split_prefixed_id(id, &parts) && parts.body.size() >= 16;
}

}  // namespace

const char* id_kind(std::string_view id) noexcept {
    if (parse_uuid_text(id)) return "uuid";
    if (is_prefixed(id)) return "prefixed";
    if (!id.empty() && all_of(id, is_digit)) return "integer";
    if (is_typeid(id, nullptr)) return "typeid";
    if (id.size() == 25 && id[0] == 'c' && all_of(id.substr(1), is_lower_or_digit)) return "cuid";
    if (is_cuid2(id, 24, 32)) return "cuid2";
    if (is_slug(id) && id.find('-') != std::string_view::npos) return "slug";
    if (!id.empty() && id.size() <= 63 && all_of(id, is_lower_or_digit)) return "token";
    return "other";
}

}  // namespace idconv
