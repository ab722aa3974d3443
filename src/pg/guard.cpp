#include "pg/guard.h"

#include <cstring>

namespace idconv::pg {

namespace {
void copy(char (&dst)[512], const char* src) noexcept {
    std::strncpy(dst, src, sizeof dst - 1);
    dst[sizeof dst - 1] = '\0';
}
}  // namespace

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
    copy(pending.message, e.what());
    copy(pending.detail, e.detail().c_str());
    copy(pending.hint, e.hint().c_str());
}

void capture_internal(PendingError& pending, const char* what) noexcept {
    pending.what = PendingError::What::internal;
    pending.sqlerrcode = ERRCODE_INTERNAL_ERROR;
    copy(pending.message, what);
    pending.detail[0] = '\0';
    pending.hint[0] = '\0';
}

void raise(const PendingError& pending) {
    if (pending.what == PendingError::What::out_of_memory) {
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                        errdetail("idconv could not allocate memory.")));
    }
    ereport(ERROR, (errcode(pending.sqlerrcode), errmsg_internal("%s", pending.message),
                    pending.detail[0] ? errdetail_internal("%s", pending.detail) : 0,
                    pending.hint[0] ? errhint("%s", pending.hint) : 0));
    pg_unreachable();
}

}  // namespace idconv::pg
