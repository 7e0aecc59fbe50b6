// Hazards that depend on the plan and the direction (see hazards.h).
#include "diff_engine/hazards.h"

#include <algorithm>
#include <map>

namespace felisc::diff {

namespace {

constexpr std::string_view kTemporaryPrefix = "felisc_tmp";  // planner.cpp's names for a split swap

bool startsWith(std::string_view text, std::string_view prefix) { return text.starts_with(prefix); }
bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

/// The table an ALTER TABLE, CREATE INDEX or DROP statement of `change` acts on,
/// named as it is when the statement runs.
std::string actedOnTable(const Change& change) {
  if (const auto* rename = std::get_if<RenameTable>(&change)) return rename->from;
  return tableOf(change);
}

std::string referencedTable(const model::Constraint& constraint) {
  return constraint.ref_schema.empty() ? constraint.ref_table
                                       : constraint.ref_schema + "." + constraint.ref_table;
}

const model::Constraint* foreignKeyOf(const Change& change) {
  const model::Constraint* constraint = nullptr;
  if (const auto* add = std::get_if<AddConstraint>(&change)) constraint = &add->constraint;
  if (const auto* drop = std::get_if<DropConstraint>(&change)) constraint = &drop->constraint;
  if (constraint == nullptr || constraint->kind != model::ConstraintKind::ForeignKey) return nullptr;
  return constraint;
}

/// The tables at the other end of the kept foreign keys through `table`.`column`.
std::vector<RelationLock> linkedTables(const std::string& table, const std::string& column,
                                       const ForeignKeys& kept) {
  std::vector<RelationLock> out;
  auto uses = [&](const std::vector<std::string>& columns) {
    return std::find(columns.begin(), columns.end(), column) != columns.end();
  };
  for (const auto& [owner, fk] : kept) {
    if (owner == table && uses(fk.columns))
      out.push_back({referencedTable(fk), false, LockMode::AccessExclusive});
    if (fk.ref_schema.empty() && fk.ref_table == table && uses(fk.ref_columns))
      out.push_back({owner, false, LockMode::AccessExclusive});
  }
  return out;
}

std::vector<RelationLock> alterTableLocks(std::string_view sql, const Change& change,
                                          const ForeignKeys& kept) {
  const std::string table = actedOnTable(change);
  if (contains(sql, " VALIDATE CONSTRAINT ")) return {};  // SHARE UPDATE EXCLUSIVE
  if (const auto* alter = std::get_if<AlterColumn>(&change);
      alter != nullptr && (alter->kinds & kColumnType) != 0 && contains(sql, " TYPE ")) {
    std::vector<RelationLock> out{{table, false, LockMode::AccessExclusive}};
    for (auto& lock : linkedTables(table, alter->to.name, kept)) out.push_back(std::move(lock));
    return out;
  }
  const model::Constraint* fk = foreignKeyOf(change);
  if (fk != nullptr && std::holds_alternative<AddConstraint>(change) && contains(sql, " FOREIGN KEY ("))
    return {{table, false, LockMode::ShareRowExclusive},
            {referencedTable(*fk), false, LockMode::ShareRowExclusive}};
  if (fk != nullptr && std::holds_alternative<DropConstraint>(change) && contains(sql, " DROP CONSTRAINT "))
    return {{table, false, LockMode::AccessExclusive},
            {referencedTable(*fk), false, LockMode::AccessExclusive}};
  return {{table, false, LockMode::AccessExclusive}};
}

std::vector<RelationLock> sequenceLocks(std::string_view sql, const Change& change) {
  if (const auto* rename = std::get_if<RenameSequence>(&change); rename && contains(sql, " RENAME TO "))
    return {{rename->from, true, LockMode::AccessExclusive}};
  if (const auto* alter = std::get_if<AlterColumn>(&change); alter && contains(sql, " AS "))
    return {{alter->to.sequence, true, LockMode::ShareRowExclusive}};
  // Renames of the sequence a serial column just made (ADD COLUMN, CREATE TABLE) touch nothing old.
  return {};
}

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return out;
}

/// "table exposure", "tables a and b", "table a and sequence s".
std::string relationList(const std::vector<RelationLock>& locks) {
  std::vector<std::string> tables;
  std::vector<std::string> sequences;
  for (const auto& lock : locks) (lock.sequence ? sequences : tables).push_back(lock.relation);
  std::string out;
  if (!tables.empty()) out += (tables.size() == 1 ? "table " : "tables ") + listed(tables);
  if (!sequences.empty())
    out += (out.empty() ? "" : " and ") + std::string(sequences.size() == 1 ? "sequence " : "sequences ") +
           listed(sequences);
  return out;
}

Hazard lockHazard(LockMode mode, const std::vector<RelationLock>& locks) {
  const bool only_sequences =
      std::all_of(locks.begin(), locks.end(), [](const RelationLock& lock) { return lock.sequence; });
  std::string what;
  if (only_sequences)
    what = "nextval() on it, and so inserts that use it, wait";
  else if (mode == LockMode::AccessExclusive)
    what = "reads and writes wait";
  else
    what = "writes wait (reads go on)";
  std::string article = mode == LockMode::AccessExclusive ? "an " : "a ";
  HazardKind kind = mode == LockMode::AccessExclusive     ? HazardKind::LocksAccessExclusive
                    : mode == LockMode::ShareRowExclusive ? HazardKind::LocksShareRowExclusive
                                                          : HazardKind::LocksShare;
  return {kind, "takes " + article + std::string(lockModeName(mode)) + " lock on " + relationList(locks) +
                    ": " + what + " until the transaction ends"};
}

void addLockHazards(Step& step, const std::set<std::string>& created, const ForeignKeys& kept) {
  std::vector<RelationLock> locks = stepLocks(step, created, kept);
  for (LockMode mode : {LockMode::AccessExclusive, LockMode::ShareRowExclusive, LockMode::Share}) {
    std::vector<RelationLock> of_mode;
    std::copy_if(locks.begin(), locks.end(), std::back_inserter(of_mode),
                 [&](const RelationLock& lock) { return lock.mode == mode; });
    if (!of_mode.empty()) step.hazards.push_back(lockHazard(mode, of_mode));
  }
}

/// What the downgrade step `change` cannot bring back, when its inverse (the
/// upgrade's step) lost data.
std::string irreversibleMessage(const Change& change) {
  if (const auto* add = std::get_if<AddTable>(&change))
    return "re-creates table " + add->table.name + " empty: the rows the upgrade dropped are gone";
  if (const auto* add = std::get_if<AddColumn>(&change))
    return "re-adds column " + add->table + "." + add->column.name +
           " without its values: the upgrade dropped them";
  if (const auto* alter = std::get_if<AlterColumn>(&change))
    return "converts " + alter->table + "." + alter->to.name + " back to " + alter->to.sql_type +
           ", but values the upgrade cut to " + alter->from.sql_type + " stay cut";
  return describe(change) + " does not restore the data the upgrade lost";
}

/// A default (or a sequence, or an identity) that writers who leave the column
/// out relied on, and that the change takes away.
bool dropsDefault(const AlterColumn& alter) {
  const bool had = alter.from.generation != model::Generation::None || alter.from.sql_default.has_value();
  const bool has = alter.to.generation != model::Generation::None || alter.to.sql_default.has_value();
  return had && !has;
}

void addChangeHazards(Step& step, Direction direction) {
  const Change& change = step.change;
  if (direction == Direction::Down && losesData(inverse(change)))
    step.hazards.push_back({HazardKind::Irreversible, irreversibleMessage(change)});
  if (const auto* drop = std::get_if<DropTable>(&change)) {
    step.hazards.push_back({HazardKind::BreaksReaders, "clients that use table " + drop->table.name +
                                                           " break (PostgreSQL refuses the drop while a "
                                                           "view uses it)"});
  } else if (const auto* drop_column = std::get_if<DropColumn>(&change)) {
    step.hazards.push_back({HazardKind::BreaksReaders, "clients that use column " + drop_column->table + "." +
                                                           drop_column->column.name +
                                                           " break (PostgreSQL refuses the drop while a "
                                                           "view uses it)"});
  } else if (const auto* drop_view = std::get_if<DropView>(&change)) {
    if (!drop_view->recreated)
      step.hazards.push_back(
          {HazardKind::BreaksReaders, "clients that read view " + drop_view->view.name + " break"});
  } else if (const auto* rename = std::get_if<RenameTable>(&change)) {
    if (!rename->from.starts_with(kTemporaryPrefix))
      step.hazards.push_back({HazardKind::BreaksReaders, "clients that name table " + rename->from +
                                                             " break: it becomes " + rename->to +
                                                             " (views follow the rename)"});
  } else if (const auto* rename_column = std::get_if<RenameColumn>(&change)) {
    if (!rename_column->from.starts_with(kTemporaryPrefix))
      step.hazards.push_back({HazardKind::BreaksReaders,
                              "clients that name column " + rename_column->table + "." + rename_column->from +
                                  " break: it becomes " + rename_column->to + " (views follow the rename)"});
  } else if (const auto* alter = std::get_if<AlterColumn>(&change)) {
    if (dropsDefault(*alter))
      step.hazards.push_back(
          {HazardKind::DeletesData, "drops the default of " + alter->table + "." + alter->to.name +
                                        ": writers that leave the column out " +
                                        (alter->to.nullable ? "now store NULL" : "now fail (NOT NULL)")});
  } else if (const auto* unique = std::get_if<AddConstraint>(&change)) {
    if (!unique->fresh_table && unique->constraint.kind == model::ConstraintKind::Unique)
      step.hazards.push_back({HazardKind::ValidatesRows, "checks every row of " + unique->table +
                                                             " for duplicates of " +
                                                             constraintSummary(unique->constraint)});
  } else if (const auto* index = std::get_if<AddIndex>(&change)) {
    if (!index->fresh_table && index->index.unique)
      step.hazards.push_back(
          {HazardKind::ValidatesRows,
           "checks every row of " + index->table + " for duplicates of " + indexSummary(index->index)});
  } else if (const auto* key = std::get_if<AddPrimaryKey>(&change)) {
    std::string columns;
    for (const auto& column : key->key.columns) columns += (columns.empty() ? "" : ", ") + column;
    step.hazards.push_back({HazardKind::ValidatesRows, "checks every row of " + key->table +
                                                           " for NULLs and duplicates of (" + columns + ")"});
  }
}

void addDirectionHazards(std::vector<Step>& steps, Direction direction, const ForeignKeys& kept) {
  std::set<std::string> created;
  for (Step& step : steps) {
    if (const auto* add = std::get_if<AddTable>(&step.change)) created.insert(add->table.name);
    if (const auto* add = std::get_if<CreateView>(&step.change)) created.insert(add->view.name);
    addChangeHazards(step, direction);
    addLockHazards(step, created, kept);
  }
}

}  // namespace

std::string_view lockModeName(LockMode mode) {
  switch (mode) {
    case LockMode::Share: return "SHARE";
    case LockMode::ShareRowExclusive: return "SHARE ROW EXCLUSIVE";
    case LockMode::AccessExclusive: return "ACCESS EXCLUSIVE";
  }
  return "ACCESS EXCLUSIVE";
}

std::vector<RelationLock> statementLocks(std::string_view sql, const Change& change,
                                         const ForeignKeys& kept) {
  if (startsWith(sql, "ALTER TABLE ")) return alterTableLocks(sql, change, kept);
  if (startsWith(sql, "ALTER SEQUENCE ")) return sequenceLocks(sql, change);
  if (startsWith(sql, "CREATE INDEX ") || startsWith(sql, "CREATE UNIQUE INDEX ")) {
    if (contains(sql, " CONCURRENTLY ")) return {};
    return {{actedOnTable(change), false, LockMode::Share}};
  }
  if (startsWith(sql, "DROP INDEX ")) {
    if (contains(sql, " CONCURRENTLY ")) return {};
    return {{actedOnTable(change), false, LockMode::AccessExclusive}};
  }
  if (startsWith(sql, "DROP TABLE ") || startsWith(sql, "DROP VIEW ") ||
      startsWith(sql, "DROP MATERIALIZED VIEW "))
    return {{actedOnTable(change), false, LockMode::AccessExclusive}};
  // CREATE TABLE/SEQUENCE/SCHEMA make new objects; COMMENT and ALTER INDEX take
  // SHARE UPDATE EXCLUSIVE; UPDATE, SELECT and DO lock rows, not tables; DROP
  // SEQUENCE drops a sequence the same step stopped using.
  return {};
}

std::vector<RelationLock> stepLocks(const Step& step, const std::set<std::string>& created,
                                    const ForeignKeys& kept) {
  std::map<std::pair<bool, std::string>, LockMode> strongest;  // (sequence, name) -> mode
  for (const auto& sql : step.sql) {
    for (const RelationLock& lock : statementLocks(sql, step.change, kept)) {
      if (!lock.sequence && created.contains(lock.relation)) continue;
      auto [it, inserted] = strongest.emplace(std::make_pair(lock.sequence, lock.relation), lock.mode);
      if (!inserted) it->second = std::max(it->second, lock.mode);
    }
  }
  std::vector<RelationLock> out;
  out.reserve(strongest.size());
  for (const auto& [key, mode] : strongest) out.push_back({key.second, key.first, mode});
  return out;
}

ForeignKeys keptForeignKeys(const ChangeSet& changes) {
  std::set<std::pair<std::string, std::string>> added;  // (table, constraint) in new names
  for (const auto& change : changes.changes)
    if (const auto* add = std::get_if<AddConstraint>(&change))
      added.emplace(add->table, add->constraint.name);
  ForeignKeys kept;
  for (const auto& [table, fk] : changes.new_foreign_keys)
    if (!added.contains({table, fk.name})) kept.emplace_back(table, fk);
  return kept;
}

void refreshOnlineLockHazards(std::vector<Step>& steps) {
  auto is_lock = [](const Hazard& hazard) {
    return hazard.kind == HazardKind::LocksAccessExclusive ||
           hazard.kind == HazardKind::LocksShareRowExclusive || hazard.kind == HazardKind::LocksShare;
  };
  std::set<std::string> created;
  for (Step& step : steps) {
    if (const auto* add = std::get_if<AddTable>(&step.change)) created.insert(add->table.name);
    if (const auto* add = std::get_if<CreateView>(&step.change)) created.insert(add->view.name);
    if (step.note.empty()) continue;
    step.hazards.erase(std::remove_if(step.hazards.begin(), step.hazards.end(), is_lock), step.hazards.end());
    addLockHazards(step, created, {});
  }
}

void addPlanHazards(Plan& plan, const ChangeSet& changes) {
  const ForeignKeys kept = keptForeignKeys(changes);
  addDirectionHazards(plan.up, Direction::Up, kept);
  addDirectionHazards(plan.down, Direction::Down, kept);
}

}  // namespace felisc::diff
