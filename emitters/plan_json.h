/// \file
/// A plan as JSON: a stable, documented structure for tools.
///
/// Structure (format version 1; fields are only ever added, never renamed):
///
///     {
///       "format": "felisc-plan",
///       "version": 1,
///       "direction": "up" | "down",
///       "schema": "<schema the statements qualify names with>",
///       "from": "<label of the starting side>",   "to": "<label of the target side>",
///       "data_loss": <bool: some step loses data>,
///       "missing_backfills": [ {"table": "...", "column": "..."} ],
///       "compatibility": {                 // of the steps below; see diff_engine/compatibility.h
///         "class": "none" | "compatible" | "backward" | "forward" | "breaking",
///         "bump_needed": "none" | "patch" | "minor" | "major",
///         "breaks_old_code": [<step index>, ...],   // steps old code fails on
///         "breaks_new_code": [<step index>, ...]    // steps new code needs
///       },
///       "schema_version": {                // only for "up": the files' version.current
///         "from": "<old>" | null, "to": "<new>" | null,
///         "bump_made": "none" | "patch" | "minor" | "major" | null,  // null: not comparable
///         "verdict": "ok" | "too_small" | "goes_down" | "not_checked",
///         "why_not_checked": "..."         // only with "not_checked"
///       },
///       "steps": [
///         {
///           "kind": "add_column",          // change kinds: see diff::kindName()
///           "table": "<table name>",       // "" for schema-level changes
///           "object": "<column, constraint or index name>",  // "" for table-level ones
///           "description": "<one line for a human>",
///           "sql": ["<statement without the final ;>", ...],
///           "hazards": [ {"kind": "DELETES_DATA", "message": "..."} ],  // kinds: diff::hazardName()
///           "data_loss": <bool>,
///           "compatibility": {"class": "backward", "reason": "..."},
///           "backfill": {"table": "...", "column": "...",       // only when the step has one
///                        "source": "provided" | "default" | "missing", "sql": "..."}
///         }
///       ]
///     }
///
/// Keys appear in this order; steps in execution order. Output is indented by
/// two spaces and ends with a newline.
#pragma once

#include <string>

#include "diff_engine/planner.h"

namespace felisc::emit {

/// The upgrade or the downgrade of `plan` as JSON text.
std::string planJson(const diff::Plan& plan, diff::Direction direction);

}  // namespace felisc::emit
