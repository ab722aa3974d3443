// Every difference between the PostgreSQL majors idconv builds on (15 to 19), and the only place
// that tests PG_VERSION_NUM: the rest of src/pg reads the same on every major. Each guard names
// the release that made it necessary.
#pragma once

#include <cstddef>

extern "C" {
#include "postgres.h"
#include "fmgr.h"

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "storage/proc.h"

// 16 moved the varlena macros (VARATT_IS_COMPRESSED, VARDATA_ANY...) out of postgres.h.
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif
}

#if PG_VERSION_NUM < 150000
#error "idconv needs PostgreSQL 15 or later"
#endif

// The Makefile and CMakeLists.txt pass the extension's default_version; a build that does not
// (an object compiled by hand) still loads, with the version shown as unknown.
#ifndef IDCONV_VERSION
#define IDCONV_VERSION "unknown"
#endif

// 18 records a module's name and version in its magic block, which pg_get_loaded_modules() shows.
// Earlier majors have the plain block.
#if PG_VERSION_NUM >= 180000
#define IDCONV_MODULE_MAGIC(module_name) PG_MODULE_MAGIC_EXT(.name = module_name, .version = IDCONV_VERSION)
#else
#define IDCONV_MODULE_MAGIC(module_name) PG_MODULE_MAGIC
#endif

// 18 runs an AFTER trigger as the role that queued its event (before 18: the role current when it
// fires). A referential action queues its events as the referencing table's owner, so on 18 the
// AFTER triggers of a cascade's rows run as that owner, outside the action's security context.
constexpr bool kAfterTriggersRunAsQueuingRole = PG_VERSION_NUM >= 180000;

namespace idconv::pg {

// The local id of this backend's top-level transaction: 17 moved it into PGPROC's vxid.
inline LocalTransactionId local_transaction_id() {
#if PG_VERSION_NUM >= 170000
    return MyProc->vxid.lxid;
#else
    return MyProc->lxid;
#endif
}

// A lexer over a NUL-free string of len bytes: 17 takes an optional caller-owned context first
// (nullptr: allocated in the current memory context) and a size_t length.
inline JsonLexContext* json_lexer(const char* json, std::size_t len, int encoding, bool need_escapes) {
#if PG_VERSION_NUM >= 170000
    return makeJsonLexContextCstringLen(nullptr, json, len, encoding, need_escapes);
#else
    return makeJsonLexContextCstringLen(const_cast<char*>(json), static_cast<int>(len), encoding, need_escapes);
#endif
}

// 16 made the JSON semantic callbacks return a JsonParseErrorType (so a callback can stop the
// parse); on 15 they return nothing. A callback is declared as returning JsonCallbackResult and
// ends with IDCONV_JSON_CALLBACK_DONE.
#if PG_VERSION_NUM >= 160000
using JsonCallbackResult = JsonParseErrorType;
#define IDCONV_JSON_CALLBACK_DONE return JSON_SUCCESS
#else
using JsonCallbackResult = void;
#define IDCONV_JSON_CALLBACK_DONE return
#endif

// 16 made the JSON lexer report a \u escape that the database encoding cannot hold
// (JSON_UNICODE_UNTRANSLATABLE, 22P02 from the caller) where 15 raised the conversion's own
// error: 0A000 in SQL_ASCII, 22P05 in an encoding without the character. On 16 and later, for
// that result, raise_untranslatable_escape() raises 15's error: it converts each non-ASCII \u
// escape of json (a surrogate pair as one character) to the server encoding, as 15's lexer did,
// and the one the lexer stopped at raises. It returns only if none does.
inline bool json_escape_untranslatable(JsonParseErrorType rc) {
#if PG_VERSION_NUM >= 160000
    return rc == JSON_UNICODE_UNTRANSLATABLE;
#else
    (void)rc;
    return false;
#endif
}

inline void raise_untranslatable_escape(const char* json) {
    auto hex4 = [](const char* p, unsigned* out) {
        unsigned v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = p[i];
            unsigned d;
            if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
            else return false;
            v = v * 16 + d;
        }
        *out = v;
        return true;
    };
    for (const char* p = json; *p != '\0'; ++p) {
        if (*p != '\\') continue;
        if (p[1] != 'u') {
            if (p[1] != '\0') ++p;  // \\, \" and the rest: the escaped character is not a backslash
            continue;
        }
        unsigned cp;
        if (!hex4(p + 2, &cp)) return;
        p += 5;
        unsigned low;
        if (cp >= 0xD800 && cp <= 0xDBFF && p[1] == '\\' && p[2] == 'u' && hex4(p + 3, &low) &&
            low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            p += 6;
        }
        if (cp <= 0x7F || (cp >= 0xD800 && cp <= 0xDFFF)) continue;
        unsigned char converted[MAX_UNICODE_EQUIVALENT_STRING + 1];
        pg_unicode_to_server(cp, converted);
    }
}

}  // namespace idconv::pg
