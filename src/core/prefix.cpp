#include "core/prefix.h"

#include <cstring>
#include <string>

#include "core/error.h"

namespace idconv {

namespace {
constexpr bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
}  // namespace

bool is_valid_prefix(std::string_view prefix) noexcept {
    if (prefix.empty() || prefix.size() > kMaxPrefixLength) return false;
    if (!is_lower(prefix.front()) || !is_lower(prefix.back())) return false;
    for (char c : prefix) {
        if (!is_lower(c) && c != '_') return false;
    }
    return true;
}

bool is_cuid2(std::string_view id, std::int64_t min_length, std::int64_t max_length) noexcept {
    const auto len = static_cast<std::int64_t>(id.size());
    if (len < 2 || len < min_length || len > max_length) return false;
    if (!is_lower(id.front())) return false;
    for (std::size_t i = 1; i < id.size(); ++i) {
        if (!is_lower(id[i]) && !is_digit(id[i])) return false;
    }
    return true;
}

bool split_prefixed_id(std::string_view id, PrefixedIdParts* parts) noexcept {
    // Longer than the longest prefix, "_" and the longest body: not one, without reading it.
    if (id.size() > kMaxPrefixedIdLength) return false;
    const std::size_t sep = id.rfind('_');
    if (sep == std::string_view::npos) return false;
    const std::string_view prefix = id.substr(0, sep);
    const std::string_view body = id.substr(sep + 1);
    if (!is_valid_prefix(prefix) || !is_cuid2(body, kCuid2MinLength, kCuid2MaxLength)) return false;
    *parts = {prefix, body};
    return true;
}

bool is_prefixed_id(std::string_view id, const std::string_view* prefix, std::int64_t body_length) noexcept {
    if (prefix != nullptr) {
        // The usual CHECK, by construction instead of by search: the id must be the prefix, "_"
        // and body_length body chars. A body has no "_", so that "_" is the last one, and the
        // answer is the one the split below gives.
        const std::size_t p = prefix->size();
        if (body_length < kCuid2MinLength || body_length > kCuid2MaxLength ||
            id.size() != p + 1 + static_cast<std::size_t>(body_length) || id[p] != '_' ||
            id.compare(0, p, *prefix) != 0) {
            return false;
        }
        return is_valid_prefix(*prefix) && is_cuid2(id.substr(p + 1), body_length, body_length);
    }
    PrefixedIdParts parts;
    if (!split_prefixed_id(id, &parts)) return false;
    if (static_cast<std::int64_t>(parts.body.size()) != body_length) return false;
    return prefix == nullptr || parts.prefix == *prefix;
}

void check_prefix(std::string_view prefix) {
    if (!is_valid_prefix(prefix)) {
        throw Error(ErrorKind::invalid_parameter_value, "invalid prefix ", Quoted{prefix}, kPrefixRule);
    }
}

std::size_t generate_prefixed_id(Cuid2Generator& gen, std::string_view prefix, int body_length,
                                 std::uint64_t now_ms, char* out) {
    check_prefix(prefix);
    check_cuid2_length(body_length, "body length");
    std::memcpy(out, prefix.data(), prefix.size());
    out[prefix.size()] = '_';
    return prefix.size() + 1 + gen.next(body_length, now_ms, out + prefix.size() + 1);
}

}  // namespace idconv
