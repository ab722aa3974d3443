// idconv's settings (GUCs). All three decide whose rows a session may claim, so only a superuser,
// or a role granted SET on the parameter (PostgreSQL 15+), may change them; ALTER DATABASE ... SET
// is the usual place.
#pragma once

namespace idconv::pg {

// idconv.subject_namespace: the namespace UUID for subjects that are not UUIDs.
extern char* subject_namespace_setting;
// idconv.subject_setting: a setting to read the subject from when no JWT claim carries one.
extern char* subject_setting_setting;
// idconv.owner_admin_role: members of this role may set or change owner columns (stamp_subject).
extern char* owner_admin_role_setting;

void define_settings();

}  // namespace idconv::pg
