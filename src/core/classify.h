// What an id column holds: for audits of columns that mixed conventions over the years.
#pragma once

#include <string_view>

namespace idconv {

// The first that matches: "uuid" (36-char hyphenated hex, any case), "prefixed" (a valid prefix,
// '_', a CUID2-shaped body of 16-32 chars), "integer" (^[0-9]+$), "typeid" (a TypeID, spec 0.3.0;
// its suffix starts with a digit, so no prefixed CUID2 is one), "cuid" (^c[0-9a-z]{24}$, Prisma's
// cuid()), "cuid2" (^[a-z][0-9a-z]{23,31}$), "slug" (is_slug with at least one '-'), "token"
// (^[a-z0-9]{1,63}$), else "other".
const char* id_kind(std::string_view id) noexcept;

// The provider shape of a JWT sub, the first that matches: "supabase" (a lower-case RFC 9562
// version 4 UUID in its 36-character form, the one shape Supabase Auth issues), "uuid" (any other
// 36-character UUID text, any case), "zitadel" (16 to 19 digits, the first not 0), "auth0"
// (^[a-z0-9][a-z0-9-]*(\|[A-Za-z0-9._~@+-]+)+$: a connection, then '|'-separated parts), "clerk"
// ("user_" and 27 of [0-9A-Za-z]), "firebase" (28 of [0-9A-Za-z]), else "other". Bytes, not
// characters: a byte past ASCII matches no shape.
const char* subject_kind(std::string_view subject) noexcept;

}  // namespace idconv
