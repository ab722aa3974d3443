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

constexpr bool is_alnum(char c) noexcept {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_hex(char c) noexcept { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
constexpr bool is_auth0_connection(char c) noexcept { return is_lower_or_digit(c) || c == '-'; }
constexpr bool is_auth0_part(char c) noexcept {
    return is_alnum(c) || c == '.' || c == '_' || c == '~' || c == '@' || c == '+' || c == '-';
}

// 36 characters, '-' at 8, 13, 18 and 23, hex digits elsewhere.
bool is_uuid_text(std::string_view s) noexcept {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
    }
    return true;
}

bool is_auth0(std::string_view s) noexcept {
    const std::size_t bar = s.find('|');
    if (bar == std::string_view::npos || bar == 0 || !is_lower_or_digit(s[0])) return false;
    if (!all_of(s.substr(0, bar), is_auth0_connection)) return false;
    // Each part after a '|' is one or more of the part characters.
    std::size_t start = bar + 1;
    while (true) {
        const std::size_t next = s.find('|', start);
        const std::string_view part = s.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start);
        if (part.empty() || !all_of(part, is_auth0_part)) return false;
        if (next == std::string_view::npos) return true;
        start = next + 1;
    }
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

const char* subject_kind(std::string_view s) noexcept {
    if (is_uuid_text(s)) {
        const bool lower = std::none_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'F'; });
        const bool v4 = s[14] == '4' && (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
        return lower && v4 ? "supabase" : "uuid";
    }
    if (s.size() >= 16 && s.size() <= 19 && s[0] != '0' && all_of(s, is_digit)) return "zitadel";
    if (is_auth0(s)) return "auth0";
    if (s.size() == 32 && s.substr(0, 5) == "user_" && all_of(s.substr(5), is_alnum)) return "clerk";
    if (s.size() == 28 && all_of(s, is_alnum)) return "firebase";
    return "other";
}

}  // namespace idconv
