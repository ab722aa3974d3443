// The prefix registry: register_prefix, generate_id_for, entity_of, and the trigger that keeps
// every backend's copy of the table current.
//
// Each backend keeps the table's rows in memory, so generate_id_for() runs no query per call. The
// triggers on the table (id_prefixes_invalidate) turn every change, by these functions, by plain
// SQL or by a logical replication subscriber, into a relcache invalidation of the table: other
// backends act on it in their first call after the change commits, this backend at its next
// command, and PostgreSQL replays it here on abort.
#include "core/prefix.h"
#include "core/typeid.h"

extern "C" {
#include "postgres.h"

#include "access/genam.h"
#include "access/xact.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "utils/fmgroids.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "pg/compat.h"
#include "pg/guard.h"
#include "pg/process.h"
#include "pg/text.h"

using namespace idconv;
using namespace idconv::pg;

namespace {

struct Entry {
    char* entity;
    char* prefix;
    bool typeid_body;  // the entity's ids are TypeIDs, not prefixed CUID2s
};

MemoryContext registry_context = nullptr;
Entry* by_entity = nullptr;  // sorted by entity, bytewise
Entry* by_prefix = nullptr;  // sorted by prefix, bytewise
int entry_count = 0;
bool registry_loaded = false;
Oid registry_relid = InvalidOid;
std::uint64_t invalidations = 0;
bool callback_registered = false;

void registry_invalidated(Datum, Oid relid) {
    if (relid == InvalidOid || relid == registry_relid) {
        registry_loaded = false;
        ++invalidations;
    }
}

// The schema idconv is installed in (PostgreSQL 15 does not export get_extension_schema).
Oid extension_schema() {
    Relation catalog = table_open(ExtensionRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ, CStringGetDatum("idconv"));
    SysScanDesc scan = systable_beginscan(catalog, ExtensionNameIndexId, true, nullptr, 1, &key);
    HeapTuple tuple = systable_getnext(scan);
    const Oid schema =
        HeapTupleIsValid(tuple) ? reinterpret_cast<Form_pg_extension>(GETSTRUCT(tuple))->extnamespace : InvalidOid;
    systable_endscan(scan);
    table_close(catalog, AccessShareLock);
    if (!OidIsValid(schema)) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("extension \"idconv\" is not installed"),
                        errhint("CREATE EXTENSION idconv;")));
    }
    return schema;
}

// The registry table, found through the extension's schema, never through search_path.
Oid registry_table(char** qualified_name) {
    const Oid schema = extension_schema();
    const Oid relid = get_relname_relid("id_prefixes", schema);
    if (!OidIsValid(relid)) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("idconv's prefix registry table is missing"),
                        errdetail("Expected table id_prefixes in schema \"%s\".", get_namespace_name(schema))));
    }
    *qualified_name = quote_qualified_identifier(get_namespace_name(schema), "id_prefixes");
    return relid;
}

int compare_entity(const void* a, const void* b) {
    return std::strcmp(static_cast<const Entry*>(a)->entity, static_cast<const Entry*>(b)->entity);
}

int compare_prefix(const void* a, const void* b) {
    return std::strcmp(static_cast<const Entry*>(a)->prefix, static_cast<const Entry*>(b)->prefix);
}

void load_registry() {
    // Another session's committed change reaches this backend as an invalidation message, and
    // PostgreSQL reads those only at a transaction's start, at a lock the transaction does not hold
    // yet or at a catalog cache miss. A prepared statement run again inside one transaction does
    // none of these, so it would go on with a copy that is out of date. Reading them here costs an
    // unlocked test of a flag when there are none.
    AcceptInvalidationMessages();
    if (registry_loaded) return;
    if (!callback_registered) {
        CacheRegisterRelcacheCallback(registry_invalidated, 0);
        callback_registered = true;
    }
    // Read before anything that can process invalidations (the catalog lookups below do): a
    // change that arrives from here on marks this copy stale.
    const std::uint64_t invalidations_before = invalidations;
    // registry_loaded stays false until a whole load has succeeded: a load cut off by a cancel, a
    // timeout or a lack of memory leaves an empty copy that nothing trusts, and the next call
    // loads again.
    by_entity = by_prefix = nullptr;
    entry_count = 0;
    char* table = nullptr;
    registry_relid = registry_table(&table);
    if (registry_context == nullptr) {
        registry_context = AllocSetContextCreate(CacheMemoryContext, "idconv prefix registry", ALLOCSET_SMALL_SIZES);
    } else {
        MemoryContextReset(registry_context);
    }

    // A snapshot taken now, not the statement's: a change committed before this point has had its
    // invalidation consumed already, so an older snapshot would miss it with nothing left to say
    // so; one committed after it sends its invalidation later, which makes the next call reload.
    // systable_beginscan with no snapshot takes a catalog snapshot, and PostgreSQL takes a fresh
    // one for every scan of a table that no catalog cache covers. Unlike GetLatestSnapshot, that
    // is allowed in parallel mode, so workers and a leader running a parallel plan load a copy as
    // current as anyone's.
    Relation rel = table_open(registry_relid, AccessShareLock);
    SysScanDesc scan = systable_beginscan(rel, InvalidOid, false, nullptr, 0, nullptr);
    TupleDesc desc = RelationGetDescr(rel);
    const int entity_att = SPI_fnumber(desc, "entity");
    const int prefix_att = SPI_fnumber(desc, "prefix");
    // Before ALTER EXTENSION ... UPDATE TO '0.3.0' the table has no body column: all CUID2.
    const int body_att = SPI_fnumber(desc, "body");
    int capacity = 16;
    auto* rows = static_cast<Entry*>(MemoryContextAlloc(registry_context, sizeof(Entry) * capacity));
    int n = 0;
    HeapTuple tuple;
    while ((tuple = systable_getnext(scan)) != nullptr) {
        bool entity_null, prefix_null;
        const Datum entity = heap_getattr(tuple, entity_att, desc, &entity_null);
        const Datum prefix = heap_getattr(tuple, prefix_att, desc, &prefix_null);
        if (entity_null || prefix_null) continue;
        if (n == capacity) {
            capacity *= 2;
            rows = static_cast<Entry*>(repalloc(rows, sizeof(Entry) * capacity));
        }
        rows[n].entity = MemoryContextStrdup(registry_context, TextDatumGetCString(entity));
        rows[n].prefix = MemoryContextStrdup(registry_context, TextDatumGetCString(prefix));
        bool body_null = true;
        const Datum body = body_att > 0 ? heap_getattr(tuple, body_att, desc, &body_null) : Datum(0);
        rows[n].typeid_body = !body_null && std::strcmp(TextDatumGetCString(body), "typeid") == 0;
        ++n;
    }
    systable_endscan(scan);
    table_close(rel, AccessShareLock);

    auto* rows_by_prefix = static_cast<Entry*>(MemoryContextAlloc(registry_context, sizeof(Entry) * (n > 0 ? n : 1)));
    for (int i = 0; i < n; ++i) rows_by_prefix[i] = rows[i];
    qsort(rows, static_cast<std::size_t>(n), sizeof(Entry), compare_entity);
    qsort(rows_by_prefix, static_cast<std::size_t>(n), sizeof(Entry), compare_prefix);
    by_entity = rows;
    by_prefix = rows_by_prefix;
    entry_count = n;
    // A change that arrived while the rows were read makes this copy stale already.
    registry_loaded = invalidations == invalidations_before;
}

const Entry* find(const Entry* sorted, const Entry& key, int (*compare)(const void*, const void*)) {
    if (entry_count == 0) return nullptr;
    return static_cast<const Entry*>(bsearch(&key, sorted, static_cast<std::size_t>(entry_count), sizeof(Entry), compare));
}

char* cstring_of(std::string_view s) { return pnstrdup(s.data(), s.size()); }

// The table register_prefix writes, inside SPI. After distribute_registry() on a Citus cluster it
// is the reference table id_prefix_registry beside id_prefixes: Citus writes every node's copy in
// one distributed transaction, and the mirror trigger on each copy writes that node's own
// id_prefixes, which the workers read when an INSERT ... SELECT makes ids there. Recognised by
// that trigger, so that a user's table of the same name is never written.
char* register_target(Oid schema, char* registry) {
    Datum args[1] = {ObjectIdGetDatum(schema)};
    Oid types[1] = {OIDOID};
    if (SPI_execute_with_args("SELECT pg_catalog.quote_ident(c.relname) FROM pg_catalog.pg_class c "
                              "JOIN pg_catalog.pg_trigger t ON t.tgrelid OPERATOR(pg_catalog.=) c.oid "
                              "JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) t.tgfoid "
                              "WHERE c.relnamespace OPERATOR(pg_catalog.=) $1 "
                              "AND c.relname OPERATOR(pg_catalog.=) 'id_prefix_registry' "
                              "AND p.pronamespace OPERATOR(pg_catalog.=) $1 "
                              "AND p.proname OPERATOR(pg_catalog.=) 'id_prefixes_mirror' LIMIT 1",
                              1, types, args, nullptr, true, 0) != SPI_OK_SELECT) {
        elog(ERROR, "could not look for id_prefix_registry");
    }
    if (SPI_processed == 0) return registry;
    return quote_qualified_identifier(get_namespace_name(schema), "id_prefix_registry");
}

}  // namespace

constexpr int kMaxEntityBytes = 63;

extern "C" {

PG_FUNCTION_INFO_V1(register_prefix);
Datum register_prefix(PG_FUNCTION_ARGS) {
    // Not STRICT, so that a missing entity or prefix is an error rather than a silent NULL.
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) {
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("%s must not be null", PG_ARGISNULL(0) ? "entity" : "prefix")));
    }
    // 0.3.0 added body; the 0.2.0 declaration still calls this with three arguments.
    const bool has_body_arg = PG_NARGS() > 3;
    if (has_body_arg && PG_ARGISNULL(3)) {
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("body must not be null")));
    }
    const std::string_view entity = text_arg(fcinfo, 0);
    const std::string_view prefix = text_arg(fcinfo, 1);
    const std::string_view body = has_body_arg ? text_arg(fcinfo, 3) : std::string_view("cuid2");
    guarded([&] { check_prefix(prefix); });
    if (body != "cuid2" && body != "typeid") {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("unknown id body \"%s\"", shown(body)),
                        errdetail("The body of an entity's ids is 'cuid2' (a prefixed CUID2) or 'typeid' (a TypeID).")));
    }
    if (entity.empty()) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("entity must not be empty")));
    }
    // An entity is a name, like a table's: it must fit the registry's index, and every backend
    // keeps a copy of the registry.
    if (entity.size() > kMaxEntityBytes) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("entity \"%s\" is too long", shown(entity)),
                        errdetail("An entity name has at most %d bytes; this one has %zu.", kMaxEntityBytes,
                                  entity.size())));
    }
    char* table = nullptr;
    registry_table(&table);
    Datum args[4] = {PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), PG_ARGISNULL(2) ? Datum(0) : PG_GETARG_DATUM(2),
                     has_body_arg ? PG_GETARG_DATUM(3) : Datum(0)};
    Oid types[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
    const char nulls[4] = {' ', ' ', PG_ARGISNULL(2) ? 'n' : ' ', ' '};

    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    // Name the holder of a taken entity or prefix; the unique indexes still decide races.
    if (SPI_execute_with_args(psprintf("SELECT entity, prefix FROM %s "
                                       "WHERE entity OPERATOR(pg_catalog.=) $1 OR prefix OPERATOR(pg_catalog.=) $2 "
                                       "ORDER BY entity OPERATOR(pg_catalog.=) $1 DESC LIMIT 1",
                                       table),
                              2, types, args, nulls, true, 0) != SPI_OK_SELECT) {
        elog(ERROR, "could not read %s", table);
    }
    if (SPI_processed > 0) {
        const char* holder_entity = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
        const char* holder_prefix = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
        if (std::strcmp(holder_entity, cstring_of(entity)) == 0) {
            ereport(ERROR, (errcode(ERRCODE_UNIQUE_VIOLATION),
                            errmsg("entity \"%s\" is already registered", shown(entity)),
                            errdetail("It has the prefix \"%s\".", holder_prefix)));
        }
        ereport(ERROR, (errcode(ERRCODE_UNIQUE_VIOLATION),
                        errmsg("prefix \"%s\" is already registered", holder_prefix),
                        errdetail("Entity \"%s\" holds it.", shown(holder_entity))));
    }
    table = register_target(extension_schema(), table);
    // The column's default for 'cuid2', which is also all a 0.2.0 table (no body column) holds.
    const bool typeid_body = body == "typeid";
    const char* insert = typeid_body ? "INSERT INTO %s (entity, prefix, description, body) VALUES ($1, $2, $3, $4)"
                                     : "INSERT INTO %s (entity, prefix, description) VALUES ($1, $2, $3)";
    if (SPI_execute_with_args(psprintf(insert, table), typeid_body ? 4 : 3, types, args, nulls, false, 0) !=
        SPI_OK_INSERT) {
        elog(ERROR, "could not insert into %s", table);
    }
    SPI_finish();
    return text_result(prefix.data(), prefix.size());
}

PG_FUNCTION_INFO_V1(generate_id_for);
Datum generate_id_for(PG_FUNCTION_ARGS) {
    const std::string_view entity = text_arg(fcinfo, 0);
    load_registry();
    Entry key{cstring_of(entity), nullptr, false};
    const Entry* found = find(by_entity, key, compare_entity);
    if (found == nullptr) {
        const char* name = shown(entity);
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("unknown entity \"%s\"", name),
                        errdetail("The prefix registry (id_prefixes) has no row for it."),
                        errhint("Register it first: SELECT register_prefix(%s, '<prefix>');", quote_literal_cstr(name))));
    }
    const std::string_view prefix = found->prefix;
    const bool typeid_body = found->typeid_body;
    char out[kMaxPrefixedIdLength > kMaxTypeidLength ? kMaxPrefixedIdLength : kMaxTypeidLength];
    std::size_t n = 0;
    guarded([&] {
        n = typeid_body ? idconv::generate_typeid(process_uuid7(), prefix, now_ns(), out)
                        : idconv::generate_prefixed_id(process_generator(), prefix, kDefaultPrefixedBodyLength, now_ms(), out);
    });
    return text_result(out, n);
}

PG_FUNCTION_INFO_V1(entity_of);
Datum entity_of(PG_FUNCTION_ARGS) {
    const std::string_view id = text_arg(fcinfo, 0);
    // Either shape, whatever body the entity has now: its older ids stay its own if it changes.
    // The two never overlap (a TypeID's suffix starts with a digit, a CUID2 with a letter).
    PrefixedIdParts parts;
    TypeidParts typeid_parts;
    bool ok = false;
    guarded([&] {
        ok = split_prefixed_id(id, &parts);
        if (!ok && parse_typeid(id, &typeid_parts) == TypeidProblem::none && !typeid_parts.prefix.empty()) {
            parts.prefix = typeid_parts.prefix;
            ok = true;
        }
    });
    if (!ok) PG_RETURN_NULL();
    load_registry();
    Entry key{nullptr, cstring_of(parts.prefix), false};
    const Entry* found = find(by_prefix, key, compare_prefix);
    if (found == nullptr) PG_RETURN_NULL();
    return text_result(found->entity, std::strlen(found->entity));
}

// AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW and AFTER TRUNCATE ... FOR EACH STATEMENT on
// id_prefixes. For each row, because a logical replication subscriber's apply worker fires row
// triggers only; TRUNCATE has no row triggers, and the apply worker fires its statement triggers.
PG_FUNCTION_INFO_V1(id_prefixes_invalidate);
Datum id_prefixes_invalidate(PG_FUNCTION_ARGS) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("id_prefixes_invalidate() must be called as a trigger")));
    }
    auto* trigger = reinterpret_cast<TriggerData*>(fcinfo->context);
    // One message per table and command however many rows change: PostgreSQL drops duplicates.
    CacheInvalidateRelcache(trigger->tg_relation);
    // The row unchanged, should the trigger ever be declared BEFORE: NULL would skip the row.
    if (TRIGGER_FIRED_FOR_ROW(trigger->tg_event)) {
        return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(trigger->tg_event) ? trigger->tg_newtuple : trigger->tg_trigtuple);
    }
    return PointerGetDatum(static_cast<HeapTuple>(nullptr));
}

}  // extern "C"
