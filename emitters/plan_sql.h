/// \file
/// A plan as a PostgreSQL script, deterministic.
///
/// The script starts with a header comment (schema, direction, the two sides'
/// labels, how many steps lose data or miss a backfill), then the lock settings,
/// then each step as a comment saying what it does and what it risks followed by
/// its statements. A backfill slot is framed by marker comments, so a reviewer
/// sees where existing rows get their values; a missing one is a guard that
/// stops the script when the table holds NULLs. An empty plan is a single
/// comment line and no statement.
///
/// A plan whose steps all run in a transaction (every plan but an online one)
/// is one transaction: BEGIN, SET LOCAL lock_timeout, the steps, COMMIT. SET
/// LOCAL ends with the transaction, so the script leaves the session as it found
/// it, and a migration that waits too long for a lock fails whole.
///
/// An online plan (diff_engine/online.h) is not atomic: its transactional steps
/// run in BEGIN/COMMIT blocks (a new block where a step asks for one), and each
/// statement of a non-transactional step runs alone, after a comment saying why.
/// Its timeouts are session settings (SET) at the top, because they must outlive
/// each COMMIT and hold outside transaction blocks too; RESET at the end. The
/// header says the script is not atomic and how to run it again after a failure.
/// So is a script without transaction (SqlOptions::transaction false), which a
/// caller runs inside a transaction of its own or not at all.
#pragma once

#include <string>
#include <vector>

#include "diff_engine/planner.h"

namespace felisc::emit {

struct SqlOptions {
  bool transaction = true;    ///< wrap the steps in BEGIN; ... COMMIT; (blocks, for an online plan)
  bool step_comments = true;  ///< a comment with each step's description and hazards
  /// lock_timeout for the script's statements, a PostgreSQL duration ('10s',
  /// '500ms'); empty: none set, the server's or role's setting applies.
  std::string lock_timeout = "10s";
  /// statement_timeout, as lock_timeout; empty (the default): none set.
  std::string statement_timeout;
};

/// The upgrade or the downgrade of `plan` as SQL text.
std::string planSql(const diff::Plan& plan, diff::Direction direction, const SqlOptions& options = {});

/// The statements of planSql()'s script (same options), without ';' or comments,
/// in the order they run, BEGIN, COMMIT and the settings included: what a client
/// sends one by one, as psql does with the script.
std::vector<std::string> planStatements(const diff::Plan& plan, diff::Direction direction,
                                        const SqlOptions& options = {});

}  // namespace felisc::emit
