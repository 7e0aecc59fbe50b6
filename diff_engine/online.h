/// \file
/// Online plans (`felisc diff --online`): the same changes, rewritten so that a
/// busy database keeps taking writes while they run.
///
/// makeOnline() is a post-pass over a finished Plan, both directions; normal
/// planning does not know about it. Each step whose plain form holds a lock that
/// blocks writes for as long as a scan or an index build takes is replaced by
/// steps that do not:
///
/// - CREATE [UNIQUE] INDEX -> CREATE ... INDEX CONCURRENTLY IF NOT EXISTS, outside
///   any transaction block (PostgreSQL refuses it inside one), followed by a check
///   that stops the script if the index is INVALID (what a failed concurrent build
///   leaves behind, and what IF NOT EXISTS would otherwise skip on a rerun);
///   DROP INDEX -> DROP INDEX CONCURRENTLY IF EXISTS, outside too.
/// - A unique constraint or primary key on an existing table -> its unique index
///   built concurrently, then ADD CONSTRAINT ... USING INDEX (no scan, no build).
/// - A foreign key or check on an existing table -> ADD ... NOT VALID (new rows
///   are checked at once), then VALIDATE CONSTRAINT in a new transaction: its
///   scan takes SHARE UPDATE EXCLUSIVE, which does not block writes.
/// - SET NOT NULL on an existing table -> a CHECK (col IS NOT NULL) NOT VALID,
///   VALIDATE in a new transaction, then SET NOT NULL, which PostgreSQL 12+
///   proves from the validated check without a scan, and the check dropped.
///
/// Steps keep their change (several steps may share one) and say in `note` what
/// part of it they are; `transactional` and `new_transaction` tell the emitters
/// where transaction blocks begin and end. Changes without an online form (a
/// type change that rewrites the table) stay as they are, with their hazards.
#pragma once

#include "diff_engine/planner.h"

namespace felisc::diff {

/// `plan` with both directions rewritten into their online form; `online` set.
/// An online plan is returned as it is.
Plan makeOnline(Plan plan);

}  // namespace felisc::diff
