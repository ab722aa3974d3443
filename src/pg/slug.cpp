// is_slug, slugify
#include "core/slug.h"

extern "C" {
#include "postgres.h"

#include "mb/pg_wchar.h"
}

#include <cstring>

#include "pg/guard.h"
#include "pg/text.h"

using namespace idconv;
using namespace idconv::pg;

extern "C" {

PG_FUNCTION_INFO_V1(is_slug);
Datum is_slug(PG_FUNCTION_ARGS) {
    const std::string_view text = text_arg(fcinfo, 0);
    bool ok = false;
    guarded([&] { ok = idconv::is_slug(text); });
    PG_RETURN_BOOL(ok);
}

PG_FUNCTION_INFO_V1(slugify);
Datum slugify(PG_FUNCTION_ARGS) {
    const std::string_view text = text_arg(fcinfo, 0);
    // The core reads UTF-8. Other server encodings are converted first; SQL_ASCII text is passed
    // as it is (pg_server_to_any would reject its bytes that are not UTF-8, which the core takes
    // as separators).
    const int encoding = GetDatabaseEncoding();
    const bool as_is = encoding == PG_UTF8 || encoding == PG_SQL_ASCII;
    const char* utf8 = as_is ? text.data() : pg_server_to_any(text.data(), static_cast<int>(text.size()), PG_UTF8);
    const std::size_t utf8_len = utf8 == text.data() ? text.size() : std::strlen(utf8);
    char out[kMaxSlugLength];
    std::size_t n = 0;
    guarded([&] { n = idconv::slugify({utf8, utf8_len}, out); });
    if (n == 0) PG_RETURN_NULL();
    return text_result(out, n);
}

}  // extern "C"
