// id_kind, audit_id_column
#include "core/classify.h"

extern "C" {
#include "postgres.h"

#include "access/htup_details.h"
#include "access/relation.h"
#include "catalog/namespace.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_class.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/tuplestore.h"
}

#include <cstring>

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
// them, is audited only by roles with the privileges of its owner.

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
    if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED) {
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("audit_id_column() cannot audit \"%s\" for this role", RelationGetRelationName(rel)),
                        errdetail("Row-level security on it applies to this role, and the audit reads the table as "
                                  "its owner, who would see other rows."),
                        errhint("Audit it as its owner, or as a role that bypasses row-level security.")));
    }
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

    // id_kind from this function's own schema, whatever the search_path.
    const char* schema = quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
    const char* query = psprintf(
        "SELECT %s.id_kind(v), count(*), min(v COLLATE \"C\") FROM (SELECT %s::text AS v FROM %s) AS s "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
        schema, quote_identifier(column), qualified);

    MemoryContext per_query = rsinfo->econtext->ecxt_per_query_memory;
    MemoryContext old_context = MemoryContextSwitchTo(per_query);
    Tuplestorestate* store = tuplestore_begin_heap(true, false, work_mem);
    TupleDesc store_desc = CreateTupleDescCopy(result_desc);
    MemoryContextSwitchTo(old_context);

    // An ERROR in between is cleaned up by the (sub)transaction's abort, which restores the user,
    // the security context and the settings, as for VACUUM.
    Oid saved_user;
    int saved_context;
    GetUserIdAndSecContext(&saved_user, &saved_context);
    SetUserIdAndSecContext(owner, saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
    const int nest_level = NewGUCNestLevel();
    set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
                      false);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    if (SPI_execute(query, true, 0) != SPI_OK_SELECT) elog(ERROR, "audit_id_column(): the audit query failed");
    for (uint64 i = 0; i < SPI_processed; ++i) {
        Datum values[3];
        bool nulls[3];
        for (int c = 0; c < 3; ++c) values[c] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, c + 1, &nulls[c]);
        tuplestore_putvalues(store, store_desc, values, nulls);
    }
    SPI_finish();
    AtEOXact_GUC(false, nest_level);
    SetUserIdAndSecContext(saved_user, saved_context);

    rsinfo->returnMode = SFRM_Materialize;
    rsinfo->setResult = store;
    rsinfo->setDesc = store_desc;
    return Datum(0);
}

}  // extern "C"
