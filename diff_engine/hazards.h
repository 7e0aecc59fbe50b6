/// \file
/// The hazards that depend on the plan and the direction, added to every step
/// of both directions once the plan is ordered (statements.cpp gives those a
/// change implies on its own: data loss, narrowing, rewrites, backfills):
///
///   BREAKS_READERS   a table or column is dropped or renamed: clients that name
///                    it fail (PostgreSQL refuses to drop what a view uses;
///                    views follow a rename)
///   DELETES_DATA     also a dropped default (or sequence) that writers relied on
///   VALIDATES_ROWS   also a new unique constraint, unique index or primary key:
///                    every row is checked for duplicates
///   IRREVERSIBLE     a downgrade step that brings an object back, but not the
///                    data the upgrade deleted with it (the inverse of a step
///                    that loses data)
///   ACQUIRES_*_LOCK  the table locks that make other sessions wait, read from
///                    the statements themselves, on relations the plan did not
///                    create in the same direction (a relation created in the
///                    transaction is invisible to others until it commits)
///
/// Lock levels are PostgreSQL 15's (docs: "ALTER TABLE", "Explicit Locking";
/// checked on a real server by tests/pg/hazards_pg_test.cpp): ALTER TABLE takes
/// ACCESS EXCLUSIVE unless noted, and ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE
/// on the table and on the referenced table; DROP CONSTRAINT of a foreign key
/// takes ACCESS EXCLUSIVE on both (it drops the triggers on the referenced
/// table); VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE; CREATE INDEX takes
/// SHARE, CONCURRENTLY only SHARE UPDATE EXCLUSIVE; DROP INDEX takes ACCESS
/// EXCLUSIVE on the table (CONCURRENTLY: SHARE UPDATE EXCLUSIVE); ALTER INDEX
/// RENAME and COMMENT take SHARE UPDATE EXCLUSIVE; ALTER SEQUENCE RENAME takes
/// ACCESS EXCLUSIVE and ALTER SEQUENCE AS SHARE ROW EXCLUSIVE on the sequence,
/// which blocks nextval(). ALTER COLUMN ... TYPE of a column in a foreign key
/// that stays (either end) re-creates the key: ACCESS EXCLUSIVE on the other
/// table too (the pg test found this on cdb_latiss 01 -> 02). SHARE UPDATE
/// EXCLUSIVE and weaker modes block no reader or writer, so they are no hazard.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diff_engine/planner.h"

namespace felisc::diff {

/// The table-level lock modes that make readers or writers wait, weakest first.
enum class LockMode : std::uint8_t {
  Share,              ///< writes wait (CREATE INDEX)
  ShareRowExclusive,  ///< writes wait (ADD FOREIGN KEY)
  AccessExclusive,    ///< reads and writes wait (most ALTER TABLE forms, DROP)
};
/// "SHARE", "SHARE ROW EXCLUSIVE", "ACCESS EXCLUSIVE".
std::string_view lockModeName(LockMode mode);

/// A lock a statement takes on a relation.
struct RelationLock {
  std::string relation;  ///< name in the plan's schema; "schema.name" for another schema
  bool sequence = false;
  LockMode mode = LockMode::AccessExclusive;

  friend bool operator==(const RelationLock&, const RelationLock&) = default;
};

/// Foreign keys as (table, constraint), named as the new schema names them.
using ForeignKeys = std::vector<std::pair<std::string, model::Constraint>>;

/// The waiting-making locks that `sql`, one statement of the step of `change`,
/// takes, while the foreign keys `kept` exist. Only felisc's own statement
/// shapes are recognised; an ALTER TABLE form not listed above counts as ACCESS
/// EXCLUSIVE, as PostgreSQL's default is.
std::vector<RelationLock> statementLocks(std::string_view sql, const Change& change,
                                         const ForeignKeys& kept = {});

/// The strongest lock per relation over all statements of `step`, sorted by
/// relation, leaving out the tables in `created` (made earlier in the same
/// direction, so no other session can see them yet).
std::vector<RelationLock> stepLocks(const Step& step, const std::set<std::string>& created,
                                    const ForeignKeys& kept = {});

/// The foreign keys that exist while columns change type, in both directions:
/// those of the new schema that the changes neither add nor drop (a key that
/// is re-created around a type change is dropped first).
ForeignKeys keptForeignKeys(const ChangeSet& changes);

/// Adds the hazards above to every step of `plan.up` and `plan.down`.
void addPlanHazards(Plan& plan, const ChangeSet& changes);

/// Recomputes the lock hazards of the steps an online rewrite made (those with a
/// `note`), whose statements (CONCURRENTLY, NOT VALID, VALIDATE) lock less.
void refreshOnlineLockHazards(std::vector<Step>& steps);

}  // namespace felisc::diff
