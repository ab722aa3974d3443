#include "pg/settings.h"

extern "C" {
#include "postgres.h"
#include "utils/guc.h"
}

namespace idconv::pg {

char* subject_namespace_setting = nullptr;
char* subject_setting_setting = nullptr;
char* owner_admin_role_setting = nullptr;

void define_settings() {
    DefineCustomStringVariable(
        "idconv.subject_namespace",
        "Namespace UUID that normalize_subject(text) and current_subject_id() hash non-UUID subjects into.",
        "Choose it once per application and keep it: changing it changes every derived subject id.",
        &subject_namespace_setting, "", PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable(
        "idconv.subject_setting",
        "Name of a setting that current_subject_id() reads the subject from when no JWT claim carries one.",
        nullptr, &subject_setting_setting, "", PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable(
        "idconv.owner_admin_role",
        "Role whose members may set or change owner columns maintained by stamp_subject().",
        "Each such change is logged.", &owner_admin_role_setting, "", PGC_SUSET, 0, nullptr, nullptr, nullptr);
    MarkGUCPrefixReserved("idconv");
}

}  // namespace idconv::pg
