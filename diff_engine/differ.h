/// \file
/// The differ: two schema models -> an unordered set of change records.
///
/// Matching of tables and columns (columns within a matched table), in this
/// order, each step only among objects still unmatched:
///  1. explicit hints (DiffOptions::renames): "old=new" for a table,
///     "table.old=new" for a column (table named by its old or new name);
///  2. by Felis @id, when the @id is unique on both sides: a stable @id whose
///     name changed is a rename (ids generated from names, `#table.column`,
///     agree with the names, so this only decides where an author kept an
///     @id across a rename);
///  3. by name.
/// Constraints and indexes match by name, then by definition (same kind,
/// columns, referenced table and columns, actions, deferrability, expression),
/// so a change of name alone is a RENAME, not a drop + add.
/// Objects compare on SQL facts only (sql_type, sql_default, effective
/// nullability, generation, owned sequence, description); Felis-only facts
/// (annotations, @id, datatype spelling, source positions, column order) never
/// produce a change. Matching uses hash maps: linear in the schema size. The
/// order of the produced changes is deterministic (new-schema order, then the
/// dropped objects in old-schema order); the planner gives the execution order.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "diff_engine/change.h"
#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::diff {

struct DiffOptions {
  /// Rename hints: "old=new" (table) or "table.old=new" (column).
  std::vector<std::string> renames;
  /// Match tables and columns by @id when their names differ.
  bool match_by_id = true;
  /// The old side has no schema at all (e.g. a database where it was never
  /// created): the plan starts with CREATE SCHEMA.
  bool old_schema_absent = false;
  /// Compare the schema's own description (COMMENT ON SCHEMA), which `felisc
  /// create` writes (felis itself does not).
  bool schema_comment = true;
  /// The old side is a live database: views the new model does not list are the
  /// deployment's own (hand-written), so they are kept, never dropped, and only
  /// dropped and recreated around the changes they read.
  bool keep_unlisted_views = false;
  /// Shown in reports and the SQL header ("old.yaml", "HEAD:schema.yaml").
  std::string old_label;
  std::string new_label;
};

/// The result of a diff: unordered changes plus what went wrong (bad hints).
struct ChangeSet {
  std::string old_schema;  ///< the old model's schema name
  std::string new_schema;  ///< the new model's schema name
  std::string old_label;
  std::string new_label;
  std::optional<model::SchemaVersion> old_version;  ///< the old model's Felis `version`
  std::optional<model::SchemaVersion> new_version;  ///< the new model's Felis `version`
  std::vector<Change> changes;
  /// The new model's foreign keys as (table, constraint): whoever orders or
  /// judges the changes can tell which keys a column change touches (hazards.h).
  std::vector<std::pair<std::string, model::Constraint>> new_foreign_keys;
  model::Diagnostics diagnostics;

  [[nodiscard]] bool empty() const { return changes.empty(); }
};

/// Compares `old_schema` with `new_schema`. Both models must be resolved (their
/// SQL facts filled, see schema_model/resolve.h).
ChangeSet diffSchemas(const model::Schema& old_schema, const model::Schema& new_schema,
                      const DiffOptions& options = {});

}  // namespace felisc::diff
