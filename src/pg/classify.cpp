// id_kind, subject_kind, audit_id_column
#include "core/classify.h"

extern "C" {
#include "postgres.h"

#include "access/htup_details.h"
#include "access/relation.h"
#include "catalog/namespace.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/tuplestore.h"
}

#include <algorithm>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "pg/guard.h"
#include "pg/text.h"

using namespace idconv;
using namespace idconv::pg;

extern "C" {

PG_FUNCTION_INFO_V1(id_kind);
Datum id_kind(PG_FUNCTION_ARGS) {
    const std::string_view id = text_arg(fcinfo, 0);
    const char* kind = nullptr;
    guarded([&] { kind = idconv::id_kind(id); });
    return text_result(kind, std::strlen(kind));
}

PG_FUNCTION_INFO_V1(subject_kind);
Datum subject_kind(PG_FUNCTION_ARGS) {
    const std::string_view subject = text_arg(fcinfo, 0);
    const char* kind = nullptr;
    guarded([&] { kind = idconv::subject_kind(subject); });
    return text_result(kind, std::strlen(kind));
}

}  // extern "C"

// ---- audit_id_column() -----------------------------------------------------------------------
//
// Reading a column as text runs code that the table's owner controls: a cast to text of a type
// the owner made, the functions in a view's body, the policies of a table that forces row-level
// security. Run as the auditing role, that code would have the auditor's privileges (a superuser's,
// typically). So the audit reads the relation as its owner, in a security-restricted operation
// with search_path set to pg_catalog, pg_temp, as VACUUM, ANALYZE and REINDEX do: the owner's code
// runs with the owner's privileges only, and cannot change the session (SET ROLE, temporary
// objects, cursors left open).
//
// Reading as the owner must not show the caller what the caller could not read: the caller needs
// SELECT on the column; row-level security that applies to the caller is refused (the owner would
// read rows the caller cannot see); a view or foreign table, whose rows may depend on who reads
// them, is audited only by roles with the privileges of its owner, and so is a table with a
// foreign table among its partitions or inheritance children (read through the owner's user
// mapping, it would show remote rows that the caller's own SELECT cannot reach).
//
// The query run as the owner names nothing of the extension's: it only reads the column as text,
// and the classification and the counts are made here. The owner needs no privilege on the
// extension's schema (which may be one like Supabase's "extensions", or a public schema without
// USAGE for PUBLIC).

namespace {

void check_caller_may_read(Relation rel, AttrNumber attnum, const char* column) {
    const Oid relid = RelationGetRelid(rel);
    const Oid caller = GetUserId();
    const char relkind = rel->rd_rel->relkind;
    if (pg_class_aclcheck(relid, caller, ACL_SELECT) != ACLCHECK_OK) {
        const AclResult column_acl = pg_attribute_aclcheck(relid, attnum, caller, ACL_SELECT);
        if (column_acl != ACLCHECK_OK) {
            aclcheck_error_col(column_acl, get_relkind_objtype(relkind), RelationGetRelationName(rel), column);
        }
    }
    if (has_privs_of_role(caller, rel->rd_rel->relowner)) return;
    if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE && relkind != RELKIND_MATVIEW) {
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("audit_id_column() cannot audit \"%s\" for this role", RelationGetRelationName(rel)),
                        errdetail("The audit reads a relation as its owner, and the rows of a view or a foreign table "
                                  "may depend on who reads them."),
                        errhint("Audit it as its owner (or a member of the owning role), or audit the tables "
                                "underneath.")));
    }
    // Every level down: a partition may itself be partitioned. The query would take these locks.
    List* tree = find_all_inheritors(relid, AccessShareLock, nullptr);
    // The one named is the lowest oid, which the portable edition names too.
    Oid foreign_member = InvalidOid;
    for (int i = 0; i < list_length(tree); ++i) {
        const Oid member = list_nth_oid(tree, i);
        if (member == relid || get_rel_relkind(member) != RELKIND_FOREIGN_TABLE) continue;
        if (!OidIsValid(foreign_member) || member < foreign_member) foreign_member = member;
    }
    if (OidIsValid(foreign_member)) {
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("audit_id_column() cannot audit \"%s\" for this role", RelationGetRelationName(rel)),
                        errdetail("The audit reads a relation as its owner, and \"%s\" under it is a foreign table, "
                                  "whose rows may depend on who reads them.",
                                  get_rel_name(foreign_member)),
                        errhint("Audit it as its owner (or a member of the owning role), or audit the tables "
                                "underneath.")));
    }
    if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED) {
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("audit_id_column() cannot audit \"%s\" for this role", RelationGetRelationName(rel)),
                        errdetail("Row-level security on it applies to this role, and the audit reads the table as "
                                  "its owner, who would see other rows."),
                        errhint("Audit it as its owner, or as a role that bypasses row-level security.")));
    }
}

// What the audit has seen of one kind. Plain data: it lives in a frame that an ERROR may leave.
struct Tally {
    const char* kind;  // id_kind's static text; nullptr for NULL values
    int64 rows;
    text* example;     // the smallest value in byte order (min(v COLLATE "C")); nullptr for NULLs
};
static_assert(std::is_trivially_destructible_v<Tally>, "Tally must survive a longjmp out of its frame");

// Room for id_kind's nine kinds and NULL. The cursor's batch: rows fetched at a time.
constexpr int kMaxTallies = 16;
constexpr long kBatchRows = 1000;

Tally& tally_for(Tally* tallies, int& n, const char* kind) {
    for (int i = 0; i < n; ++i) {
        if (kind == nullptr ? tallies[i].kind == nullptr
                            : tallies[i].kind != nullptr && std::strcmp(tallies[i].kind, kind) == 0) {
            return tallies[i];
        }
    }
    if (n == kMaxTallies) elog(ERROR, "audit_id_column(): more kinds than id_kind has");
    tallies[n] = Tally{kind, 0, nullptr};
    return tallies[n++];
}

// The "C" collation's order, as text_lt compares under it: the bytes, then the shorter first.
bool byte_order_less(std::string_view a, const text* b) {
    const std::string_view bv(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
    const int c = std::memcmp(a.data(), bv.data(), std::min(a.size(), bv.size()));
    return c < 0 || (c == 0 && a.size() < bv.size());
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(audit_id_column);
Datum audit_id_column(PG_FUNCTION_ARGS) {
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    if (rsinfo == nullptr || !IsA(rsinfo, ReturnSetInfo) || (rsinfo->allowedModes & SFRM_Materialize) == 0) {
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("audit_id_column() must be called where a set is accepted")));
    }
    const Oid relid = PG_GETARG_OID(0);
    const char* column = NameStr(*PG_GETARG_NAME(1));
    TupleDesc result_desc;
    if (get_call_result_type(fcinfo, nullptr, &result_desc) != TYPEFUNC_COMPOSITE) {
        elog(ERROR, "audit_id_column() must return a row type");
    }

    // Held to the end of the transaction, as a query's own lock would be.
    Relation rel = relation_open(relid, AccessShareLock);
    const char* qualified =
        quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)), RelationGetRelationName(rel));
    const AttrNumber attnum = get_attnum(relid, column);
    if (attnum <= 0) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("column \"%s\" of relation %s does not exist", column, qualified)));
    }
    check_caller_may_read(rel, attnum, column);
    const Oid owner = rel->rd_rel->relowner;
    relation_close(rel, NoLock);

    const char* query = psprintf("SELECT %s::text FROM %s", quote_identifier(column), qualified);

    MemoryContext per_query = rsinfo->econtext->ecxt_per_query_memory;
    MemoryContext old_context = MemoryContextSwitchTo(per_query);
    Tuplestorestate* store = tuplestore_begin_heap(true, false, work_mem);
    TupleDesc store_desc = CreateTupleDescCopy(result_desc);
    MemoryContextSwitchTo(old_context);

    // One tally per kind, and one (kind NULL) for NULL values; the examples live in per_query.
    Tally tallies[kMaxTallies];
    int n_tallies = 0;

    // An ERROR in between is cleaned up by the (sub)transaction's abort, which restores the user,
    // the security context and the settings, and closes the cursor, as for VACUUM.
    Oid saved_user;
    int saved_context;
    GetUserIdAndSecContext(&saved_user, &saved_context);
    SetUserIdAndSecContext(owner, saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
    const int nest_level = NewGUCNestLevel();
    set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
                      false);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    SPIPlanPtr plan = SPI_prepare(query, 0, nullptr);
    if (plan == nullptr) elog(ERROR, "audit_id_column(): the audit query failed: %s", SPI_result_code_string(SPI_result));
    // A cursor, read in batches: the table's values are never all in memory at once.
    Portal portal = SPI_cursor_open(nullptr, plan, nullptr, nullptr, true);
    for (;;) {
        SPI_cursor_fetch(portal, true, kBatchRows);
        if (SPI_processed == 0) break;
        for (uint64 i = 0; i < SPI_processed; ++i) {
            bool isnull;
            const Datum value = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
            if (isnull) {
                tally_for(tallies, n_tallies, nullptr).rows++;
                continue;
            }
            auto* stored = reinterpret_cast<struct varlena*>(DatumGetPointer(value));
            auto* t = pg_detoast_datum_packed(stored);
            const std::string_view id(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
            const char* kind = nullptr;
            guarded([&] { kind = idconv::id_kind(id); });
            Tally& tally = tally_for(tallies, n_tallies, kind);
            tally.rows++;
            if (tally.example == nullptr || byte_order_less(id, tally.example)) {
                if (tally.example != nullptr) pfree(tally.example);
                tally.example = static_cast<text*>(MemoryContextAlloc(per_query, VARHDRSZ + id.size()));
                SET_VARSIZE(tally.example, VARHDRSZ + id.size());
                std::memcpy(VARDATA(tally.example), id.data(), id.size());
            }
            if (t != stored) pfree(t);
        }
        SPI_freetuptable(SPI_tuptable);
    }
    SPI_cursor_close(portal);
    SPI_finish();
    AtEOXact_GUC(false, nest_level);
    SetUserIdAndSecContext(saved_user, saved_context);

    // The order of GROUP BY kind ORDER BY count(*) DESC, kind: NULL after every kind of its count.
    guarded([&] {
        std::sort(tallies, tallies + n_tallies, [](const Tally& a, const Tally& b) {
            if (a.rows != b.rows) return a.rows > b.rows;
            if (a.kind == nullptr || b.kind == nullptr) return b.kind == nullptr && a.kind != nullptr;
            return std::strcmp(a.kind, b.kind) < 0;
        });
    });
    for (int i = 0; i < n_tallies; ++i) {
        Datum values[3];
        bool nulls[3] = {tallies[i].kind == nullptr, false, tallies[i].example == nullptr};
        values[0] = nulls[0] ? Datum(0) : PointerGetDatum(cstring_to_text(tallies[i].kind));
        values[1] = Int64GetDatum(tallies[i].rows);
        values[2] = nulls[2] ? Datum(0) : PointerGetDatum(tallies[i].example);
        tuplestore_putvalues(store, store_desc, values, nulls);
    }

    rsinfo->returnMode = SFRM_Materialize;
    rsinfo->setResult = store;
    rsinfo->setDesc = store_desc;
    return Datum(0);
}

}  // extern "C"
