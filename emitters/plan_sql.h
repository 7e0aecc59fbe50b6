/// \file
/// A plan as a PostgreSQL script: one transaction, deterministic.
///
/// The script starts with a header comment (schema, direction, the two sides'
/// labels, how many steps lose data or miss a backfill), then BEGIN, then each
/// step as a comment saying what it does and what it risks followed by its
/// statements, then COMMIT. A backfill slot is framed by marker comments, so a
/// reviewer sees where existing rows get their values; a missing one is a
/// guard that stops the script when the table holds NULLs. An empty plan is a
/// single comment line and no transaction.
#pragma once

#include <string>

#include "diff_engine/planner.h"

namespace felisc::emit {

struct SqlOptions {
  bool transaction = true;    ///< wrap the steps in BEGIN; ... COMMIT;
  bool step_comments = true;  ///< a comment with each step's description and hazards
};

/// The upgrade or the downgrade of `plan` as SQL text.
std::string planSql(const diff::Plan& plan, diff::Direction direction, const SqlOptions& options = {});

}  // namespace felisc::emit
