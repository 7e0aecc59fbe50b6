/// \file
/// The planner: an unordered ChangeSet -> an ordered, executable Plan.
///
/// Ordering is a dependency graph sorted topologically with priorities (as
/// stripe/pg-schema-diff does). The priority is a phase:
///
///   create schema < drop views < drop foreign keys < drop primary keys, unique and check
///   constraints, indexes < drop columns, tables < renames < add tables <
///   add columns < alter columns < add primary keys, unique and check
///   constraints, indexes < add foreign keys < create views < comments <
///   drop schema
///
/// so foreign keys go before the keys, columns and tables they use, drops come
/// before the renames and adds that reuse their names, a type change runs after
/// the constraints on its column are dropped and before they are re-added, and
/// every foreign key is added after all tables exist (which breaks FK cycles).
/// Edges add what phases cannot say: a rename chain (b->c before a->b), a
/// table rename before renames inside that table, and name reuse in PostgreSQL's
/// namespaces (relations, constraints of a table, columns of a table). A rename
/// cycle (a swap) is broken through a temporary name. Ties keep the ChangeSet's
/// order, so the plan is deterministic.
///
/// The downgrade is the reversed list of the upgrade's inverses. Each inverse
/// exactly undoes its step, so running them backwards from the new schema walks
/// the same states in reverse: every statement meets the state it expects.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diff_engine/change.h"
#include "diff_engine/differ.h"

namespace felisc::diff {

/// Upgrade (old -> new) or downgrade (new -> old).
enum class Direction : std::uint8_t { Up, Down };

/// What a step risks, in pg-schema-diff's spirit. statements.cpp gives the
/// hazards one change implies on its own; hazards.cpp adds those that depend on
/// the plan (locks on tables the plan did not just create) and the direction.
enum class HazardKind : std::uint8_t {
  DeletesData,        ///< drops a table or a column: its data is gone
  NarrowsType,        ///< some values do not survive the new type
  CastMayFail,        ///< the conversion raises an error on some values
  RewritesTable,      ///< ALTER TYPE rewrites every row under an exclusive lock
  ValidatesRows,      ///< SET NOT NULL / a new constraint scans the table
  BuildsIndex,        ///< builds an index (locks writes)
  Backfill,           ///< fills existing rows before SET NOT NULL
  BackfillMissing,    ///< no backfill known: fails when the table holds NULLs
  TimezoneDependent,  ///< timestamp <-> timestamptz uses the session TimeZone
  // Added by hazards.cpp (addPlanHazards), which knows the plan and the direction:
  BreaksReaders,           ///< drops or renames a table or column that clients may use
  Irreversible,            ///< a downgrade step that cannot bring back what the upgrade deleted
  LocksAccessExclusive,    ///< ACCESS EXCLUSIVE lock: reads and writes of the table wait
  LocksShareRowExclusive,  ///< SHARE ROW EXCLUSIVE lock: writes wait (ADD FOREIGN KEY, both tables)
  LocksShare,              ///< SHARE lock: writes wait (CREATE INDEX)
};
/// "DELETES_DATA", "NARROWS_TYPE", ...
std::string_view hazardName(HazardKind kind);

struct Hazard {
  HazardKind kind = HazardKind::DeletesData;
  std::string message;

  friend bool operator==(const Hazard&, const Hazard&) = default;
};

/// The slot where existing rows get a value before a column becomes NOT NULL.
struct BackfillSlot {
  enum class Source : std::uint8_t {
    Provided,  ///< from PlanOptions::backfills ("table.column")
    Default,   ///< from the column's default (the Felis `value`)
    Missing,   ///< nothing known: the SQL stops if a NULL is there
  };
  std::string table;
  std::string column;
  Source source = Source::Missing;
  std::string sql;            ///< the expression or statement provided, or the default expression
  std::size_t statement = 0;  ///< index in Step::sql of the statement that fills the slot
};
std::string_view backfillSourceName(BackfillSlot::Source source);  ///< "provided", "default", "missing"

/// One change with its SQL and what it risks.
struct Step {
  Change change;
  std::vector<std::string> sql;  ///< statements, each without the final ';'
  std::vector<Hazard> hazards;
  bool data_loss = false;  ///< losesData(change): the inverse cannot restore the data
  std::optional<BackfillSlot> backfill;
  /// False for statements PostgreSQL refuses inside a transaction block (CREATE
  /// and DROP INDEX CONCURRENTLY, in online plans: online.h); each then runs alone.
  bool transactional = true;
  /// Online plans: the step starts a new transaction, so that the locks the steps
  /// before it took are released before its scan (VALIDATE CONSTRAINT).
  bool new_transaction = false;
  /// Online plans: what this step is of its change's online form and why it runs
  /// where it does ("outside a transaction block: ..."); empty for a whole change.
  std::string note;
};

struct PlanOptions {
  /// The schema to qualify names with; empty: the ChangeSet's new schema name
  /// (its old one for a plan that drops the schema).
  std::string schema;
  /// Backfill SQL per "table.column" (the table as named when the step runs):
  /// an expression (`UPDATE t SET c = (<expr>) WHERE c IS NULL` is written
  /// around it) or, when it starts with UPDATE, WITH, INSERT, DELETE, SELECT or
  /// DO, a complete statement used as is. Without one, the column's default
  /// fills the rows; with neither, the slot is a guard that stops the script
  /// when a NULL is there. A backfill given for a column with a default wins
  /// (a default cannot fill a unique key). See backfill_file.h for the file.
  std::map<std::string, std::string> backfills;
};

/// An ordered migration both ways.
struct Plan {
  std::string schema;
  std::string old_label;
  std::string new_label;
  std::vector<Step> up;
  std::vector<Step> down;
  bool online = false;  ///< rewritten by makeOnline() (online.h)
  /// PlanOptions::backfills keys no step uses (a typo, or a column that needs none).
  std::vector<std::string> unused_backfills;
  /// The Felis `version` of each side (nullopt: none given, or a database side),
  /// for the version-bump check (compatibility.h).
  std::optional<model::SchemaVersion> old_version;
  std::optional<model::SchemaVersion> new_version;

  [[nodiscard]] const std::vector<Step>& steps(Direction direction) const {
    return direction == Direction::Up ? up : down;
  }
  [[nodiscard]] bool empty() const { return up.empty(); }
  /// Steps that lose data in that direction (DROP TABLE, DROP COLUMN, narrowing).
  [[nodiscard]] std::vector<const Step*> dataLossSteps(Direction direction) const;
  /// Backfill slots nothing fills in that direction.
  [[nodiscard]] std::vector<BackfillSlot> missingBackfills(Direction direction) const;
};

/// Orders `changes` and renders every step both ways.
Plan plan(const ChangeSet& changes, const PlanOptions& options = {});

/// The execution order alone (a rename cycle comes back split through a
/// temporary name, so the result may hold one more change per cycle).
std::vector<Change> orderChanges(const std::vector<Change>& changes);

/// The ordering phase of a change (lower runs first).
int phaseOf(const Change& change);

/// SQL, hazards and backfill slot of one change, names qualified with `schema`.
Step renderStep(const Change& change, const std::string& schema, const PlanOptions& options);

}  // namespace felisc::diff
