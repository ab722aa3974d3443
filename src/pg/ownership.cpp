// stamp_subject(): the ownership trigger, which keeps an owner column equal to the subject that
// inserted the row.
#include "core/uuid.h"

extern "C" {
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/partition.h"
#include "catalog/pg_am.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/partcache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/uuid.h"
}

#include <cstring>

#include "pg/compat.h"
#include "pg/row_key.h"
#include "pg/settings.h"
#include "pg/subject.h"
#include "pg/trigger.h"

using namespace idconv;
using namespace idconv::pg;

// stamp_subject is declared twice on a table, with the same argument:
//   BEFORE INSERT OR UPDATE ... FOR EACH ROW: stamps the owner on insert, refuses changes early;
//   AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW: checks each row as it was stored.
// The BEFORE one alone cannot hold the guarantee: BEFORE triggers fire in name order, so one that
// fires after it may still change the owner or the partition key, and a changed key moves the row
// to another partition, where PostgreSQL runs the INSERT path (which stamps the mover). AFTER row
// triggers see the stored rows, after every BEFORE trigger, and a move shows there as the deletion
// of a row version that heap_delete marked as moved to another partition.

namespace {

// Whether the trigger fires inside a referential action (ON UPDATE/DELETE CASCADE, SET NULL, SET
// DEFAULT): ri_triggers.c runs their queries as the referencing table's owner with
// SECURITY_NOFORCE_RLS, which nothing else sets.
bool in_fk_action() {
    return InNoForceRLSOperation();
}

// The role whose membership of idconv.owner_admin_role counts. Inside a referential action it is
// the role the session runs as, not the table owner the action switched to: that owner (often a
// superuser) did not ask for the change.
Oid acting_role() {
    return in_fk_action() ? GetOuterUserId() : GetUserId();
}

bool is_owner_admin() {
    if (owner_admin_role_setting == nullptr || owner_admin_role_setting[0] == '\0') return false;
    const Oid role = get_role_oid(owner_admin_role_setting, true);
    return OidIsValid(role) && has_privs_of_role(acting_role(), role);
}

// The AFTER twin's admin test. Where AFTER triggers run as the role that queued the event (18 and
// later), the twin of a row a referential action wrote runs as the table's owner, and nothing
// tells it that an action wrote the row: there the role the session runs as must be an owner
// admin too. (An admin's SECURITY DEFINER tool is then exempt only for a session role that is an
// admin as well: stricter, never looser.)
bool is_owner_admin_after() {
    if (!is_owner_admin()) return false;
    if (!kAfterTriggersRunAsQueuingRole) return true;
    const Oid role = get_role_oid(owner_admin_role_setting, true);
    return OidIsValid(role) && has_privs_of_role(GetOuterUserId(), role);
}

const char* uuid_text(bool isnull, Datum value) {
    return isnull ? "null" : DatumGetCString(DirectFunctionCall1(uuid_out, value));
}

// Logs a change of the owner column: `what` heads the message ("owner admin set" or "foreign key
// cascade renamed"), `why` ends the detail.
void log_owner_change(Relation rel, HeapTuple keyed, bool old_null, Datum old_value, bool new_null, Datum new_value,
                      const char* column, const char* what, const char* why) {
    // The server log always gets the row's key; a client that asked for LOG messages gets it only
    // when it may read it. Inside a foreign-key action the privileges would be checked for the
    // table owner the action runs as, not for the client's role: the client's copy goes without.
    const char* logged_key = row_key(rel, keyed, false);
    const char* client_key = in_fk_action() ? nullptr : row_key(rel, keyed, true);
    const char* old_text = uuid_text(old_null, old_value);
    const char* new_text = uuid_text(new_null, new_value);
    ereport(LOG, (errmsg("idconv: %s \"%s\" of a row in %s.%s", what, column,
                         quote_identifier(get_namespace_name(RelationGetNamespace(rel))),
                         quote_identifier(RelationGetRelationName(rel))),
                  errdetail_log("Row %s: owner %s -> %s, %s.", logged_key, old_text, new_text, why),
                  client_key != nullptr ? errdetail("Row %s: owner %s -> %s, %s.", client_key, old_text, new_text, why)
                                        : errdetail("Owner %s -> %s, %s.", old_text, new_text, why)));
}

void log_override(Relation rel, HeapTuple keyed, bool old_null, Datum old_value, bool new_null, Datum new_value,
                  const char* column) {
    log_owner_change(rel, keyed, old_null, old_value, new_null, new_value, column, "owner admin set",
                     psprintf("by role \"%s\" (a member of \"%s\")", GetUserNameFromId(acting_role(), false),
                              owner_admin_role_setting));
}

// ---- rename cascades ----------------------------------------------------------------------------
//
// ON UPDATE CASCADE of a foreign key on the owner column alone renames the owner: the row keeps
// pointing at the same referenced row, under its new key. The BEFORE trigger recognises it (inside
// the referential action, the old key gone from the referenced table and the new one there) and
// notes the row; the AFTER twin, which fires when the action is over, accepts exactly the noted
// change. Any other change of the owner by a referential action (SET NULL, SET DEFAULT, a later
// trigger) stays an override.

// The name of the foreign key on the owner column alone whose ON UPDATE action is CASCADE, or NULL.
const char* owner_cascade_key(Relation rel, int attnum, Oid* referenced, AttrNumber* referenced_column) {
    List* keys = RelationGetFKeyList(rel);
    ListCell* cell;
    foreach (cell, keys) {
        const auto* key = static_cast<const ForeignKeyCacheInfo*>(lfirst(cell));
        if (key->nkeys != 1 || key->conkey[0] != attnum) continue;
        HeapTuple tuple = SearchSysCache1(CONSTROID, ObjectIdGetDatum(key->conoid));
        if (!HeapTupleIsValid(tuple)) elog(ERROR, "cache lookup failed for constraint %u", key->conoid);
        const auto* constraint = reinterpret_cast<Form_pg_constraint>(GETSTRUCT(tuple));
        const bool cascade = constraint->confupdtype == FKCONSTR_ACTION_CASCADE;
        const char* name = pstrdup(NameStr(constraint->conname));
        ReleaseSysCache(tuple);
        if (!cascade) continue;
        *referenced = key->confrelid;
        *referenced_column = key->confkey[0];
        return name;
    }
    return nullptr;
}

// Whether the referenced key no longer holds `old_value` and holds `new_value`: what a rename left.
// Read as the referenced table's owner without forced row-level security, as the referential
// action reads it, in a snapshot taken now (after the statement's change of the key). An ERROR
// in between is cleaned up by the (sub)transaction's abort, which restores the user.
bool key_renamed(Oid referenced, AttrNumber referenced_column, Datum old_value, Datum new_value) {
    const char* relname = get_rel_name(referenced);
    if (relname == nullptr) return false;
    const char* query = psprintf(
        "SELECT NOT EXISTS (SELECT 1 FROM %s%s x WHERE x.%s OPERATOR(pg_catalog.=) $1) "
        "AND EXISTS (SELECT 1 FROM %s%s x WHERE x.%s OPERATOR(pg_catalog.=) $2)",
        get_rel_relkind(referenced) == RELKIND_PARTITIONED_TABLE ? "" : "ONLY ",
        quote_qualified_identifier(get_namespace_name(get_rel_namespace(referenced)), relname),
        quote_identifier(get_attname(referenced, referenced_column, false)),
        get_rel_relkind(referenced) == RELKIND_PARTITIONED_TABLE ? "" : "ONLY ",
        quote_qualified_identifier(get_namespace_name(get_rel_namespace(referenced)), relname),
        quote_identifier(get_attname(referenced, referenced_column, false)));
    Oid types[2] = {UUIDOID, UUIDOID};
    Datum values[2] = {old_value, new_value};
    HeapTuple owner_tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(referenced));
    if (!HeapTupleIsValid(owner_tuple)) elog(ERROR, "cache lookup failed for relation %u", referenced);
    const Oid owner = reinterpret_cast<Form_pg_class>(GETSTRUCT(owner_tuple))->relowner;
    ReleaseSysCache(owner_tuple);
    Oid saved_user;
    int saved_context;
    GetUserIdAndSecContext(&saved_user, &saved_context);
    SetUserIdAndSecContext(owner, saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    if (SPI_execute_with_args(query, 2, types, values, nullptr, false, 1) != SPI_OK_SELECT || SPI_processed != 1) {
        elog(ERROR, "stamp_subject(): the query of the referenced key failed");
    }
    bool isnull;
    const bool renamed = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
    SPI_finish();
    SetUserIdAndSecContext(saved_user, saved_context);
    return !isnull && renamed;
}

// The rekey run that moves the key the owner column references from `old_value` to `new_value`,
// when this statement is that run's (its marker setting names it), or 0. The SQL function
// _rekey_owner_move, in the schema of stamp_subject itself (the extension's), decides for both
// editions; it runs as the current user, who is rekey's caller in rekey's statements. Without the
// marker, the common case, nothing is queried.
int64 rekey_owner_move(Oid function, Oid relid, int attnum, Datum old_value, Datum new_value) {
    const char* marker = GetConfigOption("idconv_adopt.rekey_run", true, false);
    if (marker == nullptr || marker[0] == '\0') return 0;
    const char* query =
        psprintf("SELECT %s._rekey_owner_move($1, $2, $3, $4)",
                 quote_identifier(get_namespace_name(get_func_namespace(function))));
    Oid types[4] = {OIDOID, INT2OID, UUIDOID, UUIDOID};
    Datum values[4] = {ObjectIdGetDatum(relid), Int16GetDatum(static_cast<int16>(attnum)), old_value, new_value};
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    if (SPI_execute_with_args(query, 4, types, values, nullptr, true, 1) != SPI_OK_SELECT || SPI_processed != 1) {
        elog(ERROR, "stamp_subject(): the query of the rekey run failed");
    }
    bool isnull;
    const Datum run = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
    const int64 found = isnull ? 0 : DatumGetInt64(run);
    SPI_finish();
    return found;
}

// A rename the BEFORE trigger accepted, for the AFTER twin of the same row version.
struct CascadeNote {
    Oid relid;
    ItemPointerData tid;
    pg_uuid_t old_owner;
    pg_uuid_t new_owner;
};

// The notes of this transaction, in TopTransactionContext: freed with it, so forgotten when the
// transaction's local id changes.
List* cascade_notes = NIL;
LocalTransactionId cascade_notes_xact = InvalidLocalTransactionId;

List** current_cascade_notes() {
    if (cascade_notes_xact != local_transaction_id()) {
        cascade_notes = NIL;
        cascade_notes_xact = local_transaction_id();
    }
    return &cascade_notes;
}

void note_cascade(Oid relid, ItemPointer tid, Datum old_value, Datum new_value) {
    List** notes = current_cascade_notes();
    MemoryContext old_context = MemoryContextSwitchTo(TopTransactionContext);
    auto* note = static_cast<CascadeNote*>(palloc(sizeof(CascadeNote)));
    note->relid = relid;
    note->tid = *tid;
    note->old_owner = *DatumGetUUIDP(old_value);
    note->new_owner = *DatumGetUUIDP(new_value);
    *notes = lappend(*notes, note);
    MemoryContextSwitchTo(old_context);
}

// Whether the BEFORE trigger accepted this change of the owner of this row version as a rename
// (the note is used up).
bool take_cascade_note(Oid relid, ItemPointer tid, Datum old_value, Datum new_value) {
    List** notes = current_cascade_notes();
    ListCell* cell;
    foreach (cell, *notes) {
        const auto* note = static_cast<const CascadeNote*>(lfirst(cell));
        if (note->relid == relid && ItemPointerEquals(const_cast<ItemPointer>(&note->tid), tid) &&
            std::memcmp(&note->old_owner, DatumGetUUIDP(old_value), sizeof(pg_uuid_t)) == 0 &&
            std::memcmp(&note->new_owner, DatumGetUUIDP(new_value), sizeof(pg_uuid_t)) == 0) {
            *notes = foreach_delete_current(*notes, cell);
            return true;
        }
    }
    return false;
}

// Whether an UPDATE changes a column of the partition key of any table `rel` is a partition of.
// Such an UPDATE can move the row to another partition. Expression keys are not checked (the
// AFTER trigger catches the move itself).
bool partition_key_changed(Relation rel, HeapTuple old_tuple, HeapTuple new_tuple) {
    if (!rel->rd_rel->relispartition) return false;
    TupleDesc desc = RelationGetDescr(rel);
    List* ancestors = get_partition_ancestors(RelationGetRelid(rel));
    ListCell* cell;
    foreach (cell, ancestors) {
        const Oid parent = lfirst_oid(cell);
        Relation parent_rel = table_open(parent, AccessShareLock);
        PartitionKey key = RelationGetPartitionKey(parent_rel);
        bool changed = false;
        for (int i = 0; key != nullptr && i < key->partnatts && !changed; ++i) {
            if (key->partattrs[i] == 0) continue;
            const char* name = get_attname(parent, key->partattrs[i], false);
            const AttrNumber attnum = get_attnum(RelationGetRelid(rel), name);
            if (attnum == InvalidAttrNumber) continue;
            bool old_null, new_null;
            const Datum old_value = heap_getattr(old_tuple, attnum, desc, &old_null);
            const Datum new_value = heap_getattr(new_tuple, attnum, desc, &new_null);
            const Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
            changed = old_null != new_null ||
                      (!old_null && !datumIsEqual(old_value, new_value, att->attbyval, att->attlen));
        }
        table_close(parent_rel, AccessShareLock);
        if (changed) return true;
    }
    return false;
}

bool same_uuid(Datum a, Datum b) {
    return std::memcmp(DatumGetUUIDP(a)->data, DatumGetUUIDP(b)->data, sizeof(pg_uuid_t)) == 0;
}

bool same_owner(bool a_null, Datum a, bool b_null, Datum b) {
    return a_null == b_null && (a_null || same_uuid(a, b));
}

[[noreturn]] void refuse_key_change(Relation rel, const char* detail) {
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("cannot change the partition key of a row in \"%s\"", RelationGetRelationName(rel)),
                    errdetail("%s", detail),
                    errhint("Members of the role named by idconv.owner_admin_role may move rows.")));
    pg_unreachable();
}

[[noreturn]] void refuse_owner_change(Relation rel, const char* column, const char* detail) {
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("cannot change the owner of a row in \"%s\"", RelationGetRelationName(rel)),
                    errdetail(detail, column),
                    errhint("Members of the role named by idconv.owner_admin_role may change it.")));
    pg_unreachable();
}

// A rename cascade run by a subject that is not an owner admin must not move rows onto or off the
// subject's own id: that would take the rows of another key, or give the subject's rows away.
void refuse_own_key_rename(Relation rel, const char* column, Datum old_value, Datum new_value) {
    Uuid subject;
    if (!current_subject(&subject)) return;
    const Datum own = uuid_result(subject);
    if (!same_uuid(old_value, own) && !same_uuid(new_value, own)) return;
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("cannot change the owner of a row in \"%s\"", RelationGetRelationName(rel)),
                    errdetail("A foreign key cascade renamed the key in column \"%s\" %s the subject's own id.",
                              column, same_uuid(new_value, own) ? "to" : "from"),
                    errhint("Members of the role named by idconv.owner_admin_role may change it.")));
}

const char* kMovedByLaterTrigger =
    "A trigger that fires after stamp_subject() changed the partition key, and moving a row to another "
    "partition inserts it there as a new row.";

// The owner column named by the trigger's one argument, checked to be one stamp_subject can keep.
int owner_column(Relation rel, const Trigger* trigger) {
    if (trigger->tgnargs != 1) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("trigger \"%s\" on \"%s\" gives stamp_subject() %d arguments", trigger->tgname,
                               RelationGetRelationName(rel), trigger->tgnargs),
                        errhint("Pass the owner column's name: EXECUTE FUNCTION stamp_subject('owner_subject_id').")));
    }
    const char* column = trigger->tgargs[0];
    TupleDesc desc = RelationGetDescr(rel);
    const int attnum = trigger_column(rel, trigger, column,
                                      "Trigger \"%s\" names it as the owner column for stamp_subject().");
    const Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
    if (getBaseType(att->atttypid) != UUIDOID) {
        ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("column \"%s\" of relation \"%s\" is of type %s, not uuid", column,
                               RelationGetRelationName(rel), format_type_be(att->atttypid)),
                        errdetail("stamp_subject() stores current_subject_id() there.")));
    }
    // PostgreSQL computes generated columns after the BEFORE triggers, from columns the client
    // sends: the stamp would be overwritten by a value the client chose.
    if (att->attgenerated != '\0') {
        ereport(ERROR, (errcode(ERRCODE_GENERATED_ALWAYS),
                        errmsg("column \"%s\" of relation \"%s\" is a generated column", column,
                               RelationGetRelationName(rel)),
                        errdetail("stamp_subject() must set the owner column; a generated column is computed after "
                                  "BEFORE triggers, from columns the client sends."),
                        errhint("Make \"%s\" a plain uuid column.", column)));
    }
    // A move between partitions is recognised by heap_delete's mark on the old row version.
    if (rel->rd_rel->relispartition &&
        (rel->rd_rel->relkind != RELKIND_RELATION || rel->rd_rel->relam != HEAP_TABLE_AM_OID)) {
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("stamp_subject() cannot keep the owners of partition \"%s\"",
                               RelationGetRelationName(rel)),
                        errdetail("It recognises rows moved between partitions in heap tables only; this partition is "
                                  "a foreign table or uses another table access method.")));
    }
    return attnum;
}

// Whether `candidate` is the AFTER twin of the BEFORE trigger `self` and fires now.
bool is_after_twin(const Trigger* self, const Trigger* candidate, Oid function) {
    const int16 type = candidate->tgtype;
    if (candidate->tgfoid != function || !TRIGGER_FOR_ROW(type) || !TRIGGER_FOR_AFTER(type) ||
        !TRIGGER_FOR_INSERT(type) || !TRIGGER_FOR_UPDATE(type) || !TRIGGER_FOR_DELETE(type) ||
        candidate->tgnattr != 0 || candidate->tgqual != nullptr || candidate->tgdeferrable ||
        candidate->tgnargs != 1 || std::strcmp(candidate->tgargs[0], self->tgargs[0]) != 0) {
        return false;
    }
    const char enabled = candidate->tgenabled;
    return SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA
               ? enabled == TRIGGER_FIRES_ON_REPLICA || enabled == TRIGGER_FIRES_ALWAYS
               : enabled == TRIGGER_FIRES_ON_ORIGIN || enabled == TRIGGER_FIRES_ALWAYS;
}

// Whether a BEFORE ROW trigger on INSERT or UPDATE fires after `self` on this relation, and so
// could still change the owner or the partition key of a row that stamp_subject let through. The
// relcache keeps the triggers in the order they fire (by name). Enabled or not: a disabled one
// may be enabled later without anyone looking at stamp_subject again.
bool later_before_row_trigger(const TriggerDesc* triggers, const Trigger* self) {
    bool after_self = false;
    for (int i = 0; triggers != nullptr && i < triggers->numtriggers; ++i) {
        const Trigger* t = &triggers->triggers[i];
        if (t->tgoid == self->tgoid) {
            after_self = true;
        } else if (after_self && TRIGGER_FOR_ROW(t->tgtype) && TRIGGER_FOR_BEFORE(t->tgtype) &&
                   (TRIGGER_FOR_INSERT(t->tgtype) || TRIGGER_FOR_UPDATE(t->tgtype))) {
            return true;
        }
    }
    return false;
}

// The AFTER twin is needed where a later BEFORE trigger could undo what this one checked. A table
// without one (every table stamped as 0.2.0 documented) keeps working with the BEFORE trigger
// alone: nothing runs between the check and the stored row but PostgreSQL itself.
void require_after_twin(FunctionCallInfo fcinfo, Relation rel, const Trigger* self) {
    const TriggerDesc* triggers = rel->trigdesc;
    if (!later_before_row_trigger(triggers, self)) return;
    for (int i = 0; triggers != nullptr && i < triggers->numtriggers; ++i) {
        if (is_after_twin(self, &triggers->triggers[i], fcinfo->flinfo->fn_oid)) return;
    }
    ereport(ERROR,
            (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
             errmsg("stamp_subject() on \"%s\" has no AFTER trigger to check the rows it stamps",
                    RelationGetRelationName(rel)),
             errdetail("A BEFORE trigger that fires after \"%s\" could change the owner or move the row to "
                       "another partition; an AFTER INSERT OR UPDATE OR DELETE row trigger with the same argument, "
                       "not deferrable and without WHEN, checks the stored rows.",
                       self->tgname),
             errhint("CREATE TRIGGER %s AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION "
                     "stamp_subject(%s);",
                     quote_identifier(psprintf("%s_check", self->tgname)),
                     quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
                                                RelationGetRelationName(rel)),
                     quote_literal_cstr(self->tgargs[0]))));
}

[[noreturn]] void refuse_declaration(const char* detail) {
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("stamp_subject() must be fired BEFORE INSERT OR UPDATE ... FOR EACH ROW, or "
                           "AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW"),
                    errdetail("%s", detail)));
    pg_unreachable();
}

// A WHEN clause on the BEFORE trigger lets the rows it skips keep an owner the client chose.
[[noreturn]] void refuse_before_when() {
    refuse_declaration("The BEFORE trigger must not have a WHEN condition: it stamps every new row and checks every "
                       "update.");
}

// Whether a BEFORE stamp_subject trigger with the argument of `self` has a WHEN clause.
bool before_trigger_with_when(Relation rel, const Trigger* self, Oid function) {
    const TriggerDesc* triggers = rel->trigdesc;
    for (int i = 0; triggers != nullptr && i < triggers->numtriggers; ++i) {
        const Trigger* t = &triggers->triggers[i];
        if (t->tgfoid == function && TRIGGER_FOR_BEFORE(t->tgtype) && t->tgqual != nullptr && t->tgnargs == 1 &&
            self->tgnargs == 1 && std::strcmp(t->tgargs[0], self->tgargs[0]) == 0) {
            return true;
        }
    }
    return false;
}

// The AFTER twin: the stored row must be what the BEFORE trigger allowed, whatever fired between.
void check_stored_row(FunctionCallInfo fcinfo) {
    auto* trigdata = reinterpret_cast<TriggerData*>(fcinfo->context);
    const TriggerEvent event = trigdata->tg_event;
    const Trigger* trigger = trigdata->tg_trigger;
    const int16 type = trigger->tgtype;
    if (!TRIGGER_FIRED_FOR_ROW(event) || !TRIGGER_FOR_INSERT(type) || !TRIGGER_FOR_UPDATE(type) ||
        !TRIGGER_FOR_DELETE(type) || trigger->tgnattr != 0 || trigger->tgqual != nullptr || trigger->tgdeferrable) {
        refuse_declaration("The AFTER trigger must not be deferrable nor have a WHEN condition: it checks every row "
                           "when the statement ends.");
    }
    Relation rel = trigdata->tg_relation;
    // The twin sees every row, also those a WHEN clause keeps from the BEFORE trigger.
    if (before_trigger_with_when(rel, trigger, fcinfo->flinfo->fn_oid)) refuse_before_when();
    const int attnum = owner_column(rel, trigger);
    if (is_owner_admin_after()) return;
    const char* column = trigger->tgargs[0];
    TupleDesc desc = RelationGetDescr(rel);
    if (TRIGGER_FIRED_BY_DELETE(event)) {
        if (HeapTupleHeaderIndicatesMovedPartitions(trigdata->tg_trigtuple->t_data)) {
            refuse_key_change(rel, kMovedByLaterTrigger);
        }
        return;
    }
    bool stored_null;
    if (TRIGGER_FIRED_BY_UPDATE(event)) {
        bool old_null;
        const Datum old_value = SPI_getbinval(trigdata->tg_trigtuple, desc, attnum, &old_null);
        const Datum stored = SPI_getbinval(trigdata->tg_newtuple, desc, attnum, &stored_null);
        if (!same_owner(old_null, old_value, stored_null, stored) &&
            (old_null || stored_null ||
             !take_cascade_note(RelationGetRelid(rel), &trigdata->tg_trigtuple->t_self, old_value, stored))) {
            refuse_owner_change(rel, column, "A trigger that fires after stamp_subject() changed column \"%s\".");
        }
        if (partition_key_changed(rel, trigdata->tg_trigtuple, trigdata->tg_newtuple)) {
            refuse_key_change(rel, "A trigger that fires after stamp_subject() changed it.");
        }
        return;
    }
    const Datum stored = SPI_getbinval(trigdata->tg_trigtuple, desc, attnum, &stored_null);
    Uuid subject;
    if (stored_null || !current_subject(&subject) || !same_uuid(stored, uuid_result(subject))) {
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("the owner of a new row in \"%s\" is not the inserting subject",
                               RelationGetRelationName(rel)),
                        errdetail("A trigger that fires after stamp_subject() changed column \"%s\".", column),
                        errhint("Members of the role named by idconv.owner_admin_role may insert rows for others.")));
    }
}

}  // namespace

extern "C" {

PG_FUNCTION_INFO_V1(stamp_subject);
Datum stamp_subject(PG_FUNCTION_ARGS) {
    if (CALLED_AS_TRIGGER(fcinfo) && TRIGGER_FIRED_AFTER(reinterpret_cast<TriggerData*>(fcinfo->context)->tg_event)) {
        check_stored_row(fcinfo);
        return PointerGetDatum(static_cast<HeapTuple>(nullptr));
    }
    TriggerData* trigdata = insert_update_row_trigger(
        fcinfo, "stamp_subject", true,
        "Declare it BEFORE INSERT OR UPDATE ... FOR EACH ROW, and again AFTER INSERT OR UPDATE OR DELETE ... FOR EACH "
        "ROW.");
    const TriggerEvent event = trigdata->tg_event;
    Relation rel = trigdata->tg_relation;
    const Trigger* trigger = trigdata->tg_trigger;
    if (trigger->tgqual != nullptr) refuse_before_when();
    const int attnum = owner_column(rel, trigger);
    require_after_twin(fcinfo, rel, trigger);
    const char* column = trigger->tgargs[0];
    TupleDesc desc = RelationGetDescr(rel);

    const bool admin = is_owner_admin();
    if (TRIGGER_FIRED_BY_UPDATE(event)) {
        bool old_null, new_null;
        const Datum old_value = SPI_getbinval(trigdata->tg_trigtuple, desc, attnum, &old_null);
        const Datum new_value = SPI_getbinval(trigdata->tg_newtuple, desc, attnum, &new_null);
        const bool changed = !same_owner(old_null, old_value, new_null, new_value);
        if (!admin && partition_key_changed(rel, trigdata->tg_trigtuple, trigdata->tg_newtuple)) {
            refuse_key_change(rel, "Moving a row to another partition inserts it there, and stamp_subject() would "
                                   "then give it a new owner.");
        }
        if (!changed) return PointerGetDatum(trigdata->tg_newtuple);
        if (in_fk_action() && !old_null && !new_null) {
            Oid referenced;
            AttrNumber referenced_column;
            const char* key = owner_cascade_key(rel, attnum, &referenced, &referenced_column);
            if (key != nullptr && key_renamed(referenced, referenced_column, old_value, new_value)) {
                if (!admin) refuse_own_key_rename(rel, column, old_value, new_value);
                note_cascade(RelationGetRelid(rel), &trigdata->tg_trigtuple->t_self, old_value, new_value);
                log_owner_change(rel, trigdata->tg_newtuple, false, old_value, false, new_value, column,
                                 "foreign key cascade renamed",
                                 psprintf("the referenced key renamed in %s (ON UPDATE CASCADE of \"%s\"), in a "
                                          "statement of role \"%s\"",
                                          quote_identifier(get_rel_name(referenced)), key,
                                          GetUserNameFromId(acting_role(), false)));
                return PointerGetDatum(trigdata->tg_newtuple);
            }
        }
        if (!in_fk_action() && !old_null && !new_null) {
            const int64 run =
                rekey_owner_move(fcinfo->flinfo->fn_oid, RelationGetRelid(rel), attnum, old_value, new_value);
            if (run != 0) {
                note_cascade(RelationGetRelid(rel), &trigdata->tg_trigtuple->t_self, old_value, new_value);
                log_owner_change(rel, trigdata->tg_newtuple, false, old_value, false, new_value, column,
                                 "rekey renamed",
                                 psprintf("the referenced key moved by rekey (run " INT64_FORMAT
                                          "), in a statement of role \"%s\"",
                                          run, GetUserNameFromId(acting_role(), false)));
                return PointerGetDatum(trigdata->tg_newtuple);
            }
        }
        if (!admin) {
            refuse_owner_change(rel, column,
                                in_fk_action()
                                    ? "A foreign key action changed column \"%s\"; only ON UPDATE CASCADE of a "
                                      "foreign key on that column alone, renaming the referenced key, keeps the "
                                      "owner."
                                    : "Column \"%s\" is set from the authenticated subject when the row is "
                                      "inserted, and stays.");
        }
        log_override(rel, trigdata->tg_newtuple, old_null, old_value, new_null, new_value, column);
        return PointerGetDatum(trigdata->tg_newtuple);
    }

    HeapTuple tuple = trigdata->tg_trigtuple;
    bool supplied_null;
    const Datum supplied = SPI_getbinval(tuple, desc, attnum, &supplied_null);
    Uuid subject;
    const bool has_subject = current_subject(&subject);
    const Datum subject_value = has_subject ? uuid_result(subject) : Datum(0);

    if (admin && !supplied_null) {
        // The privileged path: an explicit owner stays; one other than the admin's own is logged.
        if (!has_subject || !same_uuid(supplied, subject_value)) {
            log_override(rel, tuple, !has_subject, subject_value, false, supplied, column);
        }
        return PointerGetDatum(tuple);
    }
    if (!has_subject) {
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE), errmsg("no authenticated subject"),
                        errdetail("stamp_subject() sets \"%s\" of new rows in \"%s\" to current_subject_id(), which "
                                  "is NULL in this session.",
                                  column, RelationGetRelationName(rel)),
                        errhint("Insert through PostgREST or Supabase with a JWT, or set request.jwt.claims.")));
    }
    // PostgreSQL checks a domain's constraints on the values a statement gives, not on what a
    // BEFORE trigger puts in the row: check the stamped value here (23514 for a CHECK).
    const Oid type = TupleDescAttr(desc, attnum - 1)->atttypid;
    if (type != UUIDOID) domain_check(subject_value, false, type, &fcinfo->flinfo->fn_extra, fcinfo->flinfo->fn_mcxt);
    if (!supplied_null && same_uuid(supplied, subject_value)) return PointerGetDatum(tuple);
    int columns[1] = {attnum};
    Datum values[1] = {subject_value};
    bool nulls[1] = {false};
    return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 1, columns, values, nulls));
}

}  // extern "C"
