/// \file
/// Change records: the small, typed facts a diff is made of.
///
/// The differ (differ.h) returns an unordered list of these; the planner
/// (planner.h) orders them and turns each into SQL. Every record has a total
/// inverse: a drop keeps the whole old object, so the inverse re-creates it
/// exactly, comments included. The downgrade of a plan is the reversed list of
/// the inverses of its upgrade.
///
/// Naming convention, which the planner's phases rely on: a record that runs
/// before the rename phase (every drop) names objects as the OLD schema does; a
/// rename names its table as the NEW schema does; everything after the renames
/// (adds, alters, comments) uses NEW names. Because inverses run in reverse
/// order, the same records stay correctly named in the downgrade.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "schema_model/model.h"

namespace felisc::diff {

/// The schema appears (the old side had none): CREATE SCHEMA.
struct CreateSchema {
  std::string schema;
};

/// The inverse of CreateSchema: DROP SCHEMA (empty by then).
struct DropSchema {
  std::string schema;
};

/// A new table. `table` holds no foreign keys: those are separate AddConstraint
/// records, added once every table exists (which also breaks FK cycles).
struct AddTable {
  model::Table table;
};

/// A table goes away; `table` is the whole old table (without its foreign keys,
/// which are separate DropConstraint records), so the inverse rebuilds it.
struct DropTable {
  model::Table table;
};

struct RenameTable {
  std::string from;
  std::string to;
};

/// A column added to an existing table. `column.nullable` is the effective
/// nullability (false for a primary-key or serial column).
struct AddColumn {
  std::string table;
  model::Column column;
  std::size_t position = 0;  ///< index in the new table; PostgreSQL appends at the end
};

/// A column removed from an existing table; `column` is the whole old column.
struct DropColumn {
  std::string table;
  model::Column column;
  std::size_t position = 0;  ///< index in the old table
};

/// What an AlterColumn changes, as bits.
enum ColumnChangeKind : std::uint8_t {
  kColumnType = 1U << 0U,
  kColumnNullability = 1U << 1U,
  kColumnDefault = 1U << 2U,
  kColumnGeneration = 1U << 3U,  ///< serial / identity appears, goes or changes kind
};

/// A column's SQL facts change. `from` and `to` carry the column's NEW name
/// (a rename is a separate RenameColumn) and effective nullability.
struct AlterColumn {
  std::string table;
  model::Column from;
  model::Column to;
  std::uint8_t kinds = 0;  ///< ColumnChangeKind bits
};

struct RenameColumn {
  std::string table;
  std::string from;
  std::string to;
};

/// The objects a COMMENT ON can name.
enum class ObjectKind : std::uint8_t { Schema, Table, Column, Constraint, Index, View, MaterializedView };
std::string_view objectKindName(ObjectKind kind);  ///< "table", "column", ...

/// A description changes (nullopt: no comment).
struct SetComment {
  ObjectKind kind = ObjectKind::Table;
  std::string table;   ///< empty for a schema
  std::string object;  ///< column, constraint or index name; empty for a table or schema
  std::optional<std::string> from;
  std::optional<std::string> to;
};

/// A unique, foreign-key or check constraint added to a table.
struct AddConstraint {
  std::string table;
  model::Constraint constraint;
  bool fresh_table = false;  ///< the table itself is created by the same plan: no row to check
};

/// A constraint removed; `constraint` is the whole old definition.
struct DropConstraint {
  std::string table;
  model::Constraint constraint;
  bool fresh_table = false;  ///< the table itself is dropped by the same plan
};

/// A constraint whose definition is unchanged but whose name changed.
struct RenameConstraint {
  std::string table;
  std::string from;
  std::string to;
  bool has_index = false;  ///< primary key or unique: renames its index too
};

struct AddPrimaryKey {
  std::string table;
  model::PrimaryKey key;
};

struct DropPrimaryKey {
  std::string table;
  model::PrimaryKey key;
};

struct AddIndex {
  std::string table;
  model::Index index;
  bool fresh_table = false;
};

struct DropIndex {
  std::string table;
  model::Index index;
  bool fresh_table = false;
};

struct RenameIndex {
  std::string table;
  std::string from;
  std::string to;
};

/// The owned sequence of a serial column is renamed (it follows its table's name).
struct RenameSequence {
  std::string table;
  std::string column;
  std::string from;
  std::string to;
};

/// A sequence a column owns without using it (model::Sequence: a serial key whose
/// default was dropped) goes away; `sequence` is the whole sequence, so the
/// inverse recreates it with its options and OWNED BY. Runs before the drops of
/// columns and tables, which would take an owned sequence with them.
struct DropSequence {
  model::Sequence sequence;
};

/// The inverse of DropSequence: CREATE SEQUENCE ... OWNED BY, once its column is there.
struct CreateSequence {
  model::Sequence sequence;
};

/// A view or materialized view appears: a new profile view, a changed one, or one
/// dropped by the same plan because a change to what it reads needed it gone
/// (then `view` is exactly what the catalog held). `view` is the whole object:
/// definition, options, owner, comments, grants and indexes.
struct CreateView {
  model::View view;
  std::string reason;      ///< why it is (re)created, for reviewers; may be empty
  bool recreated = false;  ///< one half of a drop and recreate around the plan
};

/// A view goes away, dependents first; `view` is the whole old view, so the
/// inverse recreates it exactly (never `SELECT *`).
struct DropView {
  model::View view;
  std::string reason;
  bool recreated = false;  ///< one half of a drop and recreate around the plan
};

using Change = std::variant<CreateSchema, DropSchema, AddTable, DropTable, RenameTable, AddColumn, DropColumn,
                            AlterColumn, RenameColumn, SetComment, AddConstraint, DropConstraint,
                            RenameConstraint, AddPrimaryKey, DropPrimaryKey, AddIndex, DropIndex, RenameIndex,
                            RenameSequence, CreateView, DropView, DropSequence, CreateSequence>;

/// The exact inverse: applied after `change`, it restores the schema (not
/// necessarily the data: see losesData()).
Change inverse(const Change& change);

/// Stable snake_case name of the record kind ("add_column"), used in JSON.
std::string_view kindName(const Change& change);
/// The table the change is about (empty for schema-level changes).
std::string tableOf(const Change& change);
/// The object inside the table (column, constraint, index name; the new name
/// for a rename); empty when the change is about the table itself.
std::string objectOf(const Change& change);
/// One line for a human: "add column exposure.foo bigint NOT NULL".
std::string describe(const Change& change);

/// Short SQL-like summaries for reports: "UNIQUE (a, b)", "(a, lower(b))",
/// "bigint DEFAULT 0 NOT NULL", "type integer -> bigint, SET NOT NULL".
std::string constraintSummary(const model::Constraint& constraint);
std::string indexSummary(const model::Index& index);
std::string columnSummary(const model::Column& column);
std::string alterSummary(const AlterColumn& alter);

/// True when running the change destroys data that its inverse cannot bring
/// back: dropping a table or a column, narrowing a column's type.
bool losesData(const Change& change);

/// Whether a column's values are NOT NULL in PostgreSQL: declared NOT NULL, in
/// the primary key, serial or identity.
bool effectivelyNotNull(const model::Column& column, const std::optional<model::PrimaryKey>& key);

/// A description with "" treated as no comment (COMMENT ... IS '' removes it).
std::optional<std::string> normalizedDescription(const std::optional<std::string>& description);

}  // namespace felisc::diff
