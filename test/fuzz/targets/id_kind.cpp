// Fuzz target "id_kind": id_kind, the classifier behind SQL's id_kind(text) and audit_id_column,
// and subject_kind on the same bytes.
//
// Input: the bytes are the id.
//
// Asserts: the result is one of the nine documented kinds, and it is the first rule of the
// docs' table that matches, each rule computed here on its own:
//   uuid (36-char hyphenated hex, any case), prefixed (valid prefix, '_', CUID2 body of 16-32),
//   integer (^[0-9]+$), typeid (TypeID spec 0.3.0: an optional valid prefix and '_', then 26 of
//   0-9a-z without i l o u, the first 0-7), cuid (^c[0-9a-z]{24}$), cuid2 (^[a-z][0-9a-z]{23,31}$), slug (is_slug and
//   a '-'), token (^[a-z0-9]{1,63}$), else other.
// Also: "uuid" iff parse_uuid_text succeeds; "prefixed" implies is_prefixed_id(id, NULL, body).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common.h"
#include "core/classify.h"
#include "core/prefix.h"
#include "core/slug.h"
#include "core/uuid.h"

using namespace idconv;
using fuzz::show;

namespace {

bool all(std::string_view s, bool (*pred)(char)) {
    for (char c : s) {
        if (!pred(c)) return false;
    }
    return true;
}

// ^([a-z]([a-z_]{0,61}[a-z])?_)?[0-7][0-9abcdefghjkmnpqrstvwxyz]{25}$
bool ref_typeid(std::string_view id) {
    if (id.size() < 26) return false;
    const std::string_view suffix = id.substr(id.size() - 26);
    if (suffix[0] < '0' || suffix[0] > '7') return false;
    for (char c : suffix) {
        if (c == '\0' || std::strchr("0123456789abcdefghjkmnpqrstvwxyz", c) == nullptr) return false;
    }
    if (id.size() == 26) return true;
    return id[id.size() - 27] == '_' && fuzz::ref_valid_prefix(id.substr(0, id.size() - 27));
}

const char* reference_kind(std::string_view id) {
    using namespace fuzz;
    if (ref_uuid_shape(id)) return "uuid";
    const RefSplit split = ref_split_prefixed(id);
    if (split.ok && split.body.size() >= 16) return "prefixed";
    if (!id.empty() && all(id, ref_digit)) return "integer";
    if (ref_typeid(id)) return "typeid";
    if (id.size() == 25 && id[0] == 'c' && all(id.substr(1), ref_lower_or_digit)) return "cuid";
    if (id.size() >= 24 && id.size() <= 32 && ref_cuid2_shape(id)) return "cuid2";
    if (ref_slug(id) && id.find('-') != std::string_view::npos) return "slug";
    if (!id.empty() && id.size() <= 63 && all(id, ref_lower_or_digit)) return "token";
    return "other";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view id(reinterpret_cast<const char*>(data), size);
    const char* got = id_kind(id);
    FUZZ_CHECK(got != nullptr, "id_kind(" + show(id) + ") returned NULL");
    static const char* const kKinds[] = {"uuid", "prefixed", "integer", "typeid", "cuid", "cuid2", "slug", "token", "other"};
    bool known = false;
    for (const char* k : kKinds) known = known || std::strcmp(got, k) == 0;
    FUZZ_CHECK(known, "id_kind(" + show(id) + ") returned an undocumented kind " + show(got));

    const char* want = reference_kind(id);
    FUZZ_CHECK(std::strcmp(got, want) == 0, "id_kind(" + show(id) + ") is " + show(got) + ", want " + show(want));

    // Consistency with the functions the SQL user sees.
    FUZZ_CHECK((std::strcmp(got, "uuid") == 0) == parse_uuid_text(id).has_value(),
               "id_kind and parse_uuid_text disagree on " + show(id));
    if (std::strcmp(got, "prefixed") == 0) {
        const fuzz::RefSplit split = fuzz::ref_split_prefixed(id);
        FUZZ_CHECK(is_prefixed_id(id, nullptr, static_cast<std::int64_t>(split.body.size())),
                   "a \"prefixed\" id that is_prefixed_id rejects: " + show(id));
    }
    if (std::strcmp(got, "slug") == 0) FUZZ_CHECK(is_slug(id), "a \"slug\" that is_slug rejects: " + show(id));

    // subject_kind, on the same bytes: a documented kind; a UUID shape exactly when id_kind says
    // uuid; a Zitadel id is an integer of 16 to 19 digits; Clerk's and Firebase's are ASCII
    // letters and digits (Clerk's after "user_").
    const char* subject = subject_kind(id);
    static const char* const kSubjects[] = {"supabase", "uuid", "zitadel", "auth0", "clerk", "firebase", "other"};
    known = false;
    for (const char* k : kSubjects) known = known || std::strcmp(subject, k) == 0;
    FUZZ_CHECK(known, "subject_kind(" + show(id) + ") returned an undocumented kind " + show(subject));
    const bool uuid_shape = std::strcmp(subject, "supabase") == 0 || std::strcmp(subject, "uuid") == 0;
    FUZZ_CHECK(uuid_shape == (std::strcmp(got, "uuid") == 0), "subject_kind and id_kind disagree on a UUID: " + show(id));
    if (std::strcmp(subject, "supabase") == 0) {
        FUZZ_CHECK(id[14] == '4' && std::strchr("89ab", id[19]) != nullptr && id[19] != '\0' &&
                       std::none_of(id.begin(), id.end(), [](char c) { return c >= 'A' && c <= 'F'; }),
                   "a \"supabase\" subject that is no lower-case v4 UUID: " + show(id));
    }
    if (std::strcmp(subject, "zitadel") == 0) {
        FUZZ_CHECK(std::strcmp(got, "integer") == 0 && id.size() >= 16 && id.size() <= 19 && id[0] != '0',
                   "a \"zitadel\" subject that is no integer of 16 to 19 digits: " + show(id));
    }
    if (std::strcmp(subject, "auth0") == 0) FUZZ_CHECK(id.find('|') != std::string_view::npos, "an auth0 subject without '|': " + show(id));
    return 0;
}
