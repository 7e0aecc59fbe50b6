/// \file
/// A plan as a review summary for a human reading a pull request.
///
///     felisc diff: upgrade of schema cdb_latiss (a.yaml -> b.yaml), 4 changes
///     compatibility: forward compatible (new code works on the old schema), needs a minor
///     version bump; version 3.4.0 -> 3.4.1 is a patch bump: too small
///         old code fails on: drop column exposure.bar
///     data loss: 1 change: drop column exposure.bar
///     missing backfills: none
///
///     table exposure (changed)
///     + column foo bigint NOT NULL (backfill from its default 0)
///     - column bar double precision
///       ! DELETES_DATA: drops column exposure.bar and its values
///     ~ comment on column baz: "old text" -> "new text"
///     ! ACQUIRES_ACCESS_EXCLUSIVE_LOCK: takes an ACCESS EXCLUSIVE lock on table exposure: ... (3 steps)
///
/// The grouping is plan_review.h's: schema-level changes first, then tables and
/// views by name (under the name after the change), each group's lines in plan
/// order. `+` adds, `-` drops, `~` changes, in the first column so that a
/// ```diff block colours them; a line's own hazards follow it indented, the
/// group's locks close it, once each. The compatibility line gives the class of
/// the whole migration (see diff_engine/compatibility.h), for an upgrade also
/// the version bump it needs and whether the files made it, then the changes
/// that old code fails on and those that new code needs, three of each at most.
/// The data-loss line counts every change that loses data, DELETES_DATA hazards
/// included.
#pragma once

#include <string>

#include "diff_engine/planner.h"

namespace felisc::emit {

/// The review summary of the upgrade or the downgrade of `plan`.
std::string planText(const diff::Plan& plan, diff::Direction direction);

/// "1 change: drop column t.c" or "none": the data-loss clause of a review.
std::string dataLossClause(const std::vector<std::string>& changes);

}  // namespace felisc::emit
