/// \file
/// What a reviewer reads of a plan, as data: the summary and the changes grouped
/// per table. plan_text.h and plan_markdown.h lay the same review out, so the
/// text and the Markdown never disagree on what they say.
///
/// Grouping: schema-level changes first, then one group per table or view (under
/// its name after the plan, following renames), by name; a group's lines in plan
/// order. A line is a change (`+` adds, `-` drops, `~` changes) with the hazards
/// of its own; the lock hazards are the group's, each said once (a table's
/// ACCESS EXCLUSIVE lock is one fact, however many steps take it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "diff_engine/planner.h"

namespace felisc::emit {

/// One change line of a group.
struct ReviewLine {
  char marker = '~';                         ///< '+', '-' or '~'
  std::string text;                          ///< "column foo bigint NOT NULL", without the marker
  std::string note;                          ///< an online step's note; empty for most
  std::vector<const diff::Hazard*> hazards;  ///< its hazards, locks left out
};

/// A kind of lock the group's steps take, said once: its distinct messages (a
/// foreign key also locks the table it references) joined with "; ".
struct ReviewLock {
  diff::HazardKind kind = diff::HazardKind::LocksAccessExclusive;
  std::string message;
  std::size_t steps = 0;  ///< how many steps take it
};

/// The changes of one table, view, or of the schema itself.
struct ReviewGroup {
  enum class Kind : std::uint8_t { Schema, Table, View };
  Kind kind = Kind::Table;
  std::string name;
  char marker = '~';   ///< '+' created, '-' dropped, '~' changed
  std::string status;  ///< "new", "dropped", "changed", "recreated"
  std::vector<ReviewLine> lines;
  std::vector<ReviewLock> locks;
};

/// The summary and the groups of one direction of a plan.
struct Review {
  std::string headline;  ///< "upgrade of schema X (a -> b), 4 changes" (no "felisc diff:")
  std::size_t changes = 0;
  std::string compatibility;  ///< "backward compatible (old code works on the new schema)"
  std::string version;  ///< upgrade: "needs a minor version bump; version 1.0 -> 1.1 is ..."; else empty
  std::string old_code_fails_on;  ///< up to three changes, or empty
  std::string new_code_fails_on;
  std::string online;  ///< "not atomic; 2 steps run outside a transaction block", or empty
  /// Changes that lose data: the steps the plan marks so, and those with a
  /// DELETES_DATA hazard (a dropped default deletes what writers rely on).
  std::vector<std::string> data_loss;
  std::vector<std::string> missing_backfills;  ///< "table.column"
  std::vector<ReviewGroup> groups;
};

/// The review of the upgrade or the downgrade of `plan`.
Review review(const diff::Plan& plan, diff::Direction direction);

/// True for the hazards said once per group (the locks).
bool isLockHazard(diff::HazardKind kind);

}  // namespace felisc::emit
