#include "pg/guard.h"

extern "C" {
#include "mb/pg_wchar.h"
}

#include <algorithm>
#include <cstring>

namespace idconv::pg {

namespace {
void copy(char (&dst)[512], const char* src) noexcept {
    std::strncpy(dst, src, sizeof dst - 1);
    dst[sizeof dst - 1] = '\0';
}
}  // namespace

char* shown(std::string_view value, bool longer) {
    if (!longer && value.size() <= idconv::kQuoteLimit) return pnstrdup(value.data(), value.size());
    // The database's encoding: a value of the database's text is valid in it. pg_mbcliplen reads
    // no further than the character that crosses the limit.
    const int cut = pg_mbcliplen(value.data(), static_cast<int>(std::min(value.size(), idconv::Error::kQuotedBytesKept)),
                                 static_cast<int>(idconv::kQuoteLimit));
    return psprintf("%s...", pnstrdup(value.data(), static_cast<std::size_t>(cut)));
}

void capture(PendingError& pending, const idconv::Error& e) noexcept {
    switch (e.kind()) {
        case ErrorKind::invalid_parameter_value:
            pending.what = PendingError::What::caller_error;
            pending.sqlerrcode = ERRCODE_INVALID_PARAMETER_VALUE;
            break;
        case ErrorKind::internal:
            pending.what = PendingError::What::internal;
            pending.sqlerrcode = ERRCODE_INTERNAL_ERROR;
            break;
    }
    pending.quotes = e.quotes();
    if (e.quotes()) {
        copy(pending.message, e.head().c_str());
        pending.quoted_longer = e.quoted_longer();
        pending.quoted_len = std::min(e.quoted().size(), sizeof pending.quoted - 1);
        std::memcpy(pending.quoted, e.quoted().data(), pending.quoted_len);
        pending.quoted[pending.quoted_len] = '\0';
    } else {
        copy(pending.message, e.what());
    }
    copy(pending.detail, e.detail().c_str());
    copy(pending.hint, e.hint().c_str());
}

void capture_internal(PendingError& pending, const char* what) noexcept {
    pending.what = PendingError::What::internal;
    pending.sqlerrcode = ERRCODE_INTERNAL_ERROR;
    pending.quotes = false;
    copy(pending.message, what);
    pending.detail[0] = '\0';
    pending.hint[0] = '\0';
}

void raise(const PendingError& pending) {
    if (pending.what == PendingError::What::out_of_memory) {
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                        errdetail("idconv could not allocate memory.")));
    }
    const char* quoted = pending.quotes ? shown({pending.quoted, pending.quoted_len}, pending.quoted_longer) : nullptr;
    ereport(ERROR, (errcode(pending.sqlerrcode),
                    quoted ? errmsg_internal("%s\"%s\"", pending.message, quoted) : errmsg_internal("%s", pending.message),
                    pending.detail[0] ? errdetail_internal("%s", pending.detail) : 0,
                    pending.hint[0] ? errhint("%s", pending.hint) : 0));
    pg_unreachable();
}

}  // namespace idconv::pg
