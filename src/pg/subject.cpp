// uuidv5, normalize_subject, sha1_subject_uuid, uuid_version, current_subject_id
#include "core/uuid.h"

extern "C" {
#include "postgres.h"

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "commands/dbcommands.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/uuid.h"
}

#include <cstring>

#include "pg/compat.h"
#include "pg/guard.h"
#include "pg/process.h"
#include "pg/settings.h"
#include "pg/subject.h"
#include "pg/text.h"

using namespace idconv;
using namespace idconv::pg;

static_assert(sizeof(pg_uuid_t) == sizeof(Uuid), "pg_uuid_t and Uuid are both 16 bytes");

namespace {

Uuid uuid_arg(FunctionCallInfo fcinfo, int n) {
    Uuid u;
    std::memcpy(u.data(), PG_GETARG_UUID_P(n)->data, u.size());
    return u;
}

Uuid hash_subject(std::string_view subject, const Uuid& ns) {
    Uuid out{};
    guarded([&] { out = normalize_subject(process_sha1(), subject, ns); });
    return out;
}

// How to set idconv.subject_namespace, naming this database. Built only on the error path.
const char* namespace_hint() {
    const char* database = get_database_name(MyDatabaseId);
    return psprintf(
        "Choose a namespace UUID once and keep it: ALTER DATABASE %s SET idconv.subject_namespace = "
        "'<namespace uuid>'; then reconnect.",
        database != nullptr ? quote_identifier(database) : "...");
}

// The namespace from idconv.subject_namespace, or an ERROR that says how to set it.
Uuid namespace_from_setting() {
    const char* value = subject_namespace_setting != nullptr ? subject_namespace_setting : "";
    if (value[0] == '\0') {
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("idconv.subject_namespace is not set"),
                        errdetail("Subjects that are not UUIDs are mapped to UUIDv5 in this namespace."),
                        errhint("%s", namespace_hint())));
    }
    // The setting rarely changes, and this runs once per row: keep the last text parsed.
    static char cached_text[kUuidTextLength + 1] = "";
    static Uuid cached_namespace;
    if (std::strcmp(value, cached_text) == 0) return cached_namespace;
    const std::optional<Uuid> ns = parse_uuid_text(value);
    if (!ns) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("invalid value for idconv.subject_namespace: \"%s\"", value),
                        errdetail("The namespace must be a UUID in its 36-character form."),
                        errhint("%s", namespace_hint())));
    }
    std::memcpy(cached_text, value, kUuidTextLength + 1);
    cached_namespace = *ns;
    return *ns;
}

// ---- the subject carried by the request ----------------------------------------------------

// What a walk over request.jwt.claims found at the top level.
struct ClaimsScan {
    int depth = 0;
    bool top_is_object = false;
    bool in_sub = false;        // the next value at depth 1 is the "sub" member's
    bool sub_seen = false;
    bool sub_is_string = false;
    bool sub_is_null = false;
    char* sub = nullptr;
};

// A non-scalar value at depth 1 right after "sub" is a sub that is not a string.
void note_nested_sub(ClaimsScan* s) {
    if (s->depth == 1 && s->in_sub) {
        s->sub_seen = true;
        s->sub_is_string = false;
        s->sub_is_null = false;
        s->in_sub = false;
    }
}

JsonCallbackResult claims_object_start(void* state) {
    auto* s = static_cast<ClaimsScan*>(state);
    if (s->depth == 0) s->top_is_object = true;
    note_nested_sub(s);
    ++s->depth;
    IDCONV_JSON_CALLBACK_DONE;
}

JsonCallbackResult claims_array_start(void* state) {
    auto* s = static_cast<ClaimsScan*>(state);
    note_nested_sub(s);
    ++s->depth;
    IDCONV_JSON_CALLBACK_DONE;
}

JsonCallbackResult claims_end(void* state) {
    --static_cast<ClaimsScan*>(state)->depth;
    IDCONV_JSON_CALLBACK_DONE;
}

JsonCallbackResult claims_field_start(void* state, char* fname, bool) {
    auto* s = static_cast<ClaimsScan*>(state);
    if (s->depth == 1) s->in_sub = std::strcmp(fname, "sub") == 0;
    IDCONV_JSON_CALLBACK_DONE;
}

JsonCallbackResult claims_scalar(void* state, char* token, JsonTokenType type) {
    auto* s = static_cast<ClaimsScan*>(state);
    if (s->depth == 1 && s->in_sub) {
        // A repeated "sub" member: the last one wins, as in jsonb.
        s->sub_seen = true;
        s->sub_is_string = type == JSON_TOKEN_STRING;
        s->sub_is_null = type == JSON_TOKEN_NULL;
        s->sub = token;
        s->in_sub = false;
    }
    IDCONV_JSON_CALLBACK_DONE;
}

// The "sub" of PostgREST's request.jwt.claims: NULL when absent, null or empty. Malformed JSON,
// a non-object, or a sub that is not a string is an ERROR.
const char* sub_from_claims(const char* claims) {
    ClaimsScan scan;
    JsonSemAction sem;
    std::memset(&sem, 0, sizeof sem);
    sem.semstate = &scan;
    sem.object_start = claims_object_start;
    sem.object_end = claims_end;
    sem.array_start = claims_array_start;
    sem.array_end = claims_end;
    sem.object_field_start = claims_field_start;
    sem.scalar = claims_scalar;
    JsonLexContext* lex = json_lexer(claims, std::strlen(claims), GetDatabaseEncoding(), true);
    const JsonParseErrorType rc = pg_parse_json(lex, &sem);
    if (rc != JSON_SUCCESS) {
        if (json_escape_untranslatable(rc)) raise_untranslatable_escape(claims);
        ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                        errmsg("request.jwt.claims is not valid JSON"), errdetail("%s", json_errdetail(rc, lex))));
    }
    if (!scan.top_is_object) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                        errmsg("request.jwt.claims is not a JSON object")));
    }
    if (!scan.sub_seen || scan.sub_is_null) return nullptr;
    if (!scan.sub_is_string) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                        errmsg("the \"sub\" claim in request.jwt.claims is not a JSON string")));
    }
    return scan.sub[0] != '\0' ? scan.sub : nullptr;
}

const char* nonempty_setting(const char* name) {
    const char* value = GetConfigOption(name, true, false);
    return value != nullptr && value[0] != '\0' ? value : nullptr;
}

// The raw subject of this request, or NULL: the sub of request.jwt.claims, else the legacy
// request.jwt.claim.sub, else the setting named by idconv.subject_setting.
const char* request_subject() {
    if (const char* claims = nonempty_setting("request.jwt.claims")) {
        if (const char* sub = sub_from_claims(claims)) return sub;
    }
    if (const char* sub = nonempty_setting("request.jwt.claim.sub")) return sub;
    if (subject_setting_setting != nullptr && subject_setting_setting[0] != '\0') {
        if (const char* sub = nonempty_setting(subject_setting_setting)) return sub;
    }
    return nullptr;
}

}  // namespace

namespace idconv::pg {

Datum uuid_result(const Uuid& u) {
    auto* out = static_cast<pg_uuid_t*>(palloc(sizeof(pg_uuid_t)));
    std::memcpy(out->data, u.data(), u.size());
    return UUIDPGetDatum(out);
}

bool current_subject(Uuid* out) {
    const char* subject = request_subject();
    if (subject == nullptr) return false;
    const Uuid ns = namespace_from_setting();
    *out = hash_subject(subject, ns);
    return true;
}

}  // namespace idconv::pg

extern "C" {

PG_FUNCTION_INFO_V1(uuidv5);
Datum uuidv5(PG_FUNCTION_ARGS) {
    const Uuid ns = uuid_arg(fcinfo, 0);
    const std::string_view name = text_arg(fcinfo, 1);
    Uuid out{};
    guarded([&] { out = idconv::uuidv5(process_sha1(), ns, name); });
    return uuid_result(out);
}

PG_FUNCTION_INFO_V1(sha1_subject_uuid);
Datum sha1_subject_uuid(PG_FUNCTION_ARGS) {
    const std::string_view subject = text_arg(fcinfo, 0);
    Uuid out{};
    guarded([&] { out = idconv::sha1_subject_uuid(process_sha1(), subject); });
    return uuid_result(out);
}

PG_FUNCTION_INFO_V1(uuid_version);
Datum uuid_version(PG_FUNCTION_ARGS) {
    const Uuid u = uuid_arg(fcinfo, 0);
    std::optional<int> version;
    guarded([&] { version = idconv::uuid_version(u); });
    if (!version) PG_RETURN_NULL();
    PG_RETURN_INT32(*version);
}

// normalize_subject(subject text, namespace uuid)
PG_FUNCTION_INFO_V1(normalize_subject_in_namespace);
Datum normalize_subject_in_namespace(PG_FUNCTION_ARGS) {
    const std::string_view subject = text_arg(fcinfo, 0);
    return uuid_result(hash_subject(subject, uuid_arg(fcinfo, 1)));
}

// normalize_subject(subject text): the namespace from idconv.subject_namespace
PG_FUNCTION_INFO_V1(normalize_subject);
Datum normalize_subject(PG_FUNCTION_ARGS) {
    const std::string_view subject = text_arg(fcinfo, 0);
    // An empty subject is the caller's mistake whatever the setting says: report that first.
    const Uuid ns = subject.empty() ? Uuid{} : namespace_from_setting();
    return uuid_result(hash_subject(subject, ns));
}

PG_FUNCTION_INFO_V1(current_subject_id);
Datum current_subject_id(PG_FUNCTION_ARGS) {
    (void)fcinfo;
    Uuid subject;
    if (!current_subject(&subject)) PG_RETURN_NULL();
    return uuid_result(subject);
}

}  // extern "C"
