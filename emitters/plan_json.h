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
///       "steps": [
///         {
///           "kind": "add_column",          // change kinds: see diff::kindName()
///           "table": "<table name>",       // "" for schema-level changes
///           "object": "<column, constraint or index name>",  // "" for table-level ones
///           "description": "<one line for a human>",
///           "sql": ["<statement without the final ;>", ...],
///           "hazards": [ {"kind": "DELETES_DATA", "message": "..."} ],
///           "data_loss": <bool>,
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
