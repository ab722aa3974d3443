// Name-based UUIDs for canonical subject ids: RFC 9562 UUIDv5, the bare-SHA-1 mapping some apps
// already stored, and the 36-char text form.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/digest.h"

namespace idconv {

using Uuid = std::array<unsigned char, 16>;

inline constexpr std::size_t kUuidTextLength = 36;

// RFC 9562 section 5.5: SHA-1 over the namespace's 16 bytes and the name's bytes, the first 16
// bytes of the digest, version 5 and the RFC variant set. `sha1` must be a SHA-1 Digest.
Uuid uuidv5(Digest& sha1, const Uuid& ns, std::string_view name);

// SHA-1 over the name alone (no namespace), first 16 bytes, version 5 and RFC variant set.
Uuid sha1_subject_uuid(Digest& sha1, std::string_view name);

// Parses exactly the 36-char hyphenated form 8-4-4-4-12 of hex digits, either case.
std::optional<Uuid> parse_uuid_text(std::string_view text) noexcept;

// The canonical form: 36 chars, lower-case hex. `out` holds kUuidTextLength chars.
void format_uuid(const Uuid& uuid, char* out) noexcept;
std::string format_uuid(const Uuid& uuid);

// The version field (the high nibble of byte 6) of a UUID of the RFC 9562 variant (bits 10 in
// byte 8); nullopt for the other variants, as PostgreSQL 17's uuid_extract_version() does.
std::optional<int> uuid_version(const Uuid& uuid) noexcept;

// The subject mapping: a subject already in the 36-char UUID form becomes that UUID (so it prints
// lower-case and canonical); any other subject becomes uuidv5(ns, subject), bytes as given.
// Throws idconv::Error (invalid_parameter_value) for an empty subject.
Uuid normalize_subject(Digest& sha1, std::string_view subject, const Uuid& ns);

}  // namespace idconv
