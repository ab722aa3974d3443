// The subject of the request, shared by the subject functions (subject.cpp) and the ownership
// trigger (ownership.cpp).
#pragma once

#include "core/uuid.h"

extern "C" {
#include "postgres.h"
}

namespace idconv::pg {

// A uuid Datum holding `u`, palloc'd.
Datum uuid_result(const Uuid& u);

// current_subject_id() as a C call: false when the request carries no subject. May raise an
// ERROR (a malformed request.jwt.claims, an unset or invalid idconv.subject_namespace).
bool current_subject(Uuid* out);

}  // namespace idconv::pg
