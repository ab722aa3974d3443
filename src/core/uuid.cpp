#include "core/uuid.h"

#include "core/error.h"

namespace idconv {

namespace {

Uuid stamp_version5(const unsigned char* digest) noexcept {
    Uuid u;
    for (std::size_t i = 0; i < u.size(); ++i) u[i] = digest[i];
    u[6] = static_cast<unsigned char>((u[6] & 0x0f) | 0x50);
    u[8] = static_cast<unsigned char>((u[8] & 0x3f) | 0x80);
    return u;
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

constexpr bool is_hyphen_position(std::size_t i) noexcept { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

Uuid uuidv5(Digest& sha1, const Uuid& ns, std::string_view name) {
    const Digest::Piece pieces[] = {{reinterpret_cast<const char*>(ns.data()), ns.size()},
                                    {name.data(), name.size()}};
    unsigned char digest[kSha1Bytes];
    sha1.digest(pieces, 2, digest);
    return stamp_version5(digest);
}

Uuid sha1_subject_uuid(Digest& sha1, std::string_view name) {
    const Digest::Piece piece{name.data(), name.size()};
    unsigned char digest[kSha1Bytes];
    sha1.digest(&piece, 1, digest);
    return stamp_version5(digest);
}

std::optional<Uuid> parse_uuid_text(std::string_view text) noexcept {
    if (text.size() != kUuidTextLength) return std::nullopt;
    Uuid u{};
    std::size_t nibble = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (is_hyphen_position(i)) {
            if (text[i] != '-') return std::nullopt;
            continue;
        }
        const int v = hex_value(text[i]);
        if (v < 0) return std::nullopt;
        u[nibble / 2] = static_cast<unsigned char>(u[nibble / 2] | (nibble % 2 == 0 ? v << 4 : v));
        ++nibble;
    }
    return u;
}

void format_uuid(const Uuid& uuid, char* out) noexcept {
    static constexpr char kHex[] = "0123456789abcdef";
    std::size_t pos = 0;
    for (std::size_t i = 0; i < uuid.size(); ++i) {
        if (is_hyphen_position(pos)) out[pos++] = '-';
        out[pos++] = kHex[uuid[i] >> 4];
        out[pos++] = kHex[uuid[i] & 0x0f];
    }
}

std::string format_uuid(const Uuid& uuid) {
    char out[kUuidTextLength];
    format_uuid(uuid, out);
    return std::string(out, sizeof out);
}

std::optional<int> uuid_version(const Uuid& uuid) noexcept {
    if ((uuid[8] & 0xc0) != 0x80) return std::nullopt;
    return uuid[6] >> 4;
}

Uuid normalize_subject(Digest& sha1, std::string_view subject, const Uuid& ns) {
    if (subject.empty()) {
        throw Error(ErrorKind::invalid_parameter_value, "subject must not be empty",
                    "An empty subject names nobody, so it has no canonical id.");
    }
    if (const auto parsed = parse_uuid_text(subject)) return *parsed;
    return uuidv5(sha1, ns, subject);
}

}  // namespace idconv
