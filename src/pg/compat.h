// Every difference between the PostgreSQL majors idconv builds on (15 to 19), and the only place
// that tests PG_VERSION_NUM: the rest of src/pg reads the same on every major. Each guard names
// the release that made it necessary.
#pragma once

#include <cstddef>

extern "C" {
#include "postgres.h"
#include "fmgr.h"

#include "common/jsonapi.h"
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

}  // namespace idconv::pg
