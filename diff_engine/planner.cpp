#include "diff_engine/planner.h"

#include <algorithm>
#include <queue>
#include <unordered_map>

#include "diff_engine/hazards.h"
#include "schema_model/overloaded.h"

namespace felisc::diff {

namespace {

constexpr char kSeparator = '\x1f';

/// What a change does to the things other changes depend on. Keys name a thing:
/// "r:<name>" a relation name in the schema (tables, indexes, sequences, and the
/// indexes of primary-key and unique constraints), "t:<table>" a table,
/// "c:<table>:<column>", "k:<table>:<constraint>" a constraint name in a table,
/// "u:<table>:<sorted columns>" a key a foreign key can reference.
struct Effects {
  std::vector<std::string> creates;
  std::vector<std::string> destroys;
  std::vector<std::string> requires_;  ///< must exist first: after its creator
  std::vector<std::string> releases;   ///< stops needing it: before its destroyer
};

std::string relation(const std::string& name) { return "r:" + name; }
std::string table(const std::string& name) { return "t:" + name; }
std::string column(const std::string& table_name, const std::string& name) {
  return "c:" + table_name + kSeparator + name;
}
std::string constraintName(const std::string& table_name, const std::string& name) {
  return "k:" + table_name + kSeparator + name;
}
std::string key(const std::string& table_name, std::vector<std::string> columns) {
  std::sort(columns.begin(), columns.end());
  std::string out = "u:" + table_name;
  for (const auto& c : columns) out += kSeparator + c;
  return out;
}

std::vector<std::string> indexColumns(const model::Index& index) {
  std::vector<std::string> columns;
  for (const auto& element : index.elements)
    if (!element.is_expression) columns.push_back(element.text);
  return columns;
}

bool hasExpression(const model::Index& index) {
  return std::any_of(index.elements.begin(), index.elements.end(),
                     [](const auto& e) { return e.is_expression; });
}

/// The relation names and keys a whole table brings (or takes away).
std::vector<std::string> tableThings(const model::Table& t) {
  std::vector<std::string> things{relation(t.name), table(t.name)};
  if (t.primary_key) {
    things.push_back(relation(t.primary_key->name));
    things.push_back(key(t.name, t.primary_key->columns));
  }
  for (const auto& c : t.constraints) {
    things.push_back(constraintName(t.name, c.name));
    if (c.kind == model::ConstraintKind::Unique) {
      things.push_back(relation(c.name));
      things.push_back(key(t.name, c.columns));
    }
  }
  for (const auto& index : t.indexes) {
    things.push_back(relation(index.name));
    if (index.unique && !hasExpression(index)) things.push_back(key(t.name, indexColumns(index)));
  }
  for (const auto& c : t.columns) {
    things.push_back(column(t.name, c.name));
    if (c.generation == model::Generation::Serial && !c.sequence.empty())
      things.push_back(relation(c.sequence));
  }
  return things;
}

void constraintEffects(const std::string& t, const model::Constraint& c, std::vector<std::string>& things,
                       std::vector<std::string>& uses) {
  things.push_back(constraintName(t, c.name));
  if (c.kind == model::ConstraintKind::Unique) {
    things.push_back(relation(c.name));
    things.push_back(key(t, c.columns));
  }
  for (const auto& col : c.columns) uses.push_back(column(t, col));
  if (c.kind == model::ConstraintKind::ForeignKey && c.ref_schema.empty()) {
    uses.push_back(table(c.ref_table));
    uses.push_back(key(c.ref_table, c.ref_columns));
    for (const auto& col : c.ref_columns) uses.push_back(column(c.ref_table, col));
  }
}

/// A view is a relation with columns, like a table, and reads the relations and
/// columns it depends on: created after them, dropped before them, so views on
/// views are dropped dependents first and created in dependency order.
void viewEffects(const model::View& view, std::vector<std::string>& things, std::vector<std::string>& uses) {
  things.push_back(relation(view.name));
  things.push_back(table(view.name));
  for (const auto& c : view.columns) things.push_back(column(view.name, c.name));
  for (const auto& index : view.indexes) things.push_back(relation(index.name));
  for (const auto& dependency : view.depends_on) {
    uses.push_back(table(dependency.relation));
    if (!dependency.column.empty()) uses.push_back(column(dependency.relation, dependency.column));
  }
}

constexpr std::string_view kTemporaryPrefix = "felisc_tmp";

/// A rename out of a temporary name (the second half of a split swap) needs the
/// first half before it, instead of freeing a name that existed before the plan.
void renameEffects(Effects& e, std::string from_key, std::string to_key, std::string_view from) {
  if (from.starts_with(kTemporaryPrefix))
    e.requires_.push_back(std::move(from_key));
  else
    e.destroys.push_back(std::move(from_key));
  e.creates.push_back(std::move(to_key));
}

Effects effectsOf(const Change& change) {
  Effects e;
  std::visit(
      Overloaded{
          [&](const CreateSchema&) {},
          [&](const DropSchema&) {},
          [&](const AddTable& c) { e.creates = tableThings(c.table); },
          [&](const DropTable& c) { e.destroys = tableThings(c.table); },
          [&](const RenameTable& c) {
            renameEffects(e, relation(c.from), relation(c.to), c.from);
            renameEffects(e, table(c.from), table(c.to), c.from);
          },
          [&](const AddColumn& c) {
            e.creates.push_back(column(c.table, c.column.name));
            if (c.column.generation == model::Generation::Serial && !c.column.sequence.empty())
              e.creates.push_back(relation(c.column.sequence));
            e.requires_.push_back(table(c.table));
          },
          [&](const DropColumn& c) {
            e.destroys.push_back(column(c.table, c.column.name));
            if (c.column.generation == model::Generation::Serial && !c.column.sequence.empty())
              e.destroys.push_back(relation(c.column.sequence));
          },
          [&](const AlterColumn& c) {
            e.requires_.push_back(column(c.table, c.to.name));
            if ((c.kinds & kColumnGeneration) == 0) return;
            if (c.from.generation == model::Generation::Serial && !c.from.sequence.empty())
              e.destroys.push_back(relation(c.from.sequence));
            if (c.to.generation == model::Generation::Serial && !c.to.sequence.empty())
              e.creates.push_back(relation(c.to.sequence));
          },
          [&](const RenameColumn& c) {
            renameEffects(e, column(c.table, c.from), column(c.table, c.to), c.from);
            e.requires_.push_back(table(c.table));
          },
          [&](const SetComment&) {},
          [&](const AddConstraint& c) { constraintEffects(c.table, c.constraint, e.creates, e.requires_); },
          [&](const DropConstraint& c) { constraintEffects(c.table, c.constraint, e.destroys, e.releases); },
          [&](const RenameConstraint& c) {
            renameEffects(e, constraintName(c.table, c.from), constraintName(c.table, c.to), c.from);
            if (c.has_index) renameEffects(e, relation(c.from), relation(c.to), c.from);
            e.requires_.push_back(table(c.table));
          },
          [&](const AddPrimaryKey& c) {
            e.creates = {relation(c.key.name), constraintName(c.table, c.key.name),
                         key(c.table, c.key.columns)};
            for (const auto& col : c.key.columns) e.requires_.push_back(column(c.table, col));
          },
          [&](const DropPrimaryKey& c) {
            e.destroys = {relation(c.key.name), constraintName(c.table, c.key.name),
                          key(c.table, c.key.columns)};
            for (const auto& col : c.key.columns) e.releases.push_back(column(c.table, col));
          },
          [&](const AddIndex& c) {
            e.creates.push_back(relation(c.index.name));
            if (c.index.unique && !hasExpression(c.index))
              e.creates.push_back(key(c.table, indexColumns(c.index)));
            for (const auto& col : indexColumns(c.index)) e.requires_.push_back(column(c.table, col));
          },
          [&](const DropIndex& c) {
            e.destroys.push_back(relation(c.index.name));
            if (c.index.unique && !hasExpression(c.index))
              e.destroys.push_back(key(c.table, indexColumns(c.index)));
            for (const auto& col : indexColumns(c.index)) e.releases.push_back(column(c.table, col));
          },
          [&](const RenameIndex& c) {
            renameEffects(e, relation(c.from), relation(c.to), c.from);
            e.requires_.push_back(table(c.table));
          },
          [&](const RenameSequence& c) { renameEffects(e, relation(c.from), relation(c.to), c.from); },
          [&](const CreateView& c) { viewEffects(c.view, e.creates, e.requires_); },
          [&](const DropView& c) { viewEffects(c.view, e.destroys, e.releases); },
          // An owned sequence goes before its column (whose drop would take it) and
          // comes back once the column is there (OWNED BY names it).
          [&](const DropSequence& c) {
            e.destroys.push_back(relation(c.sequence.name));
            e.releases.push_back(column(c.sequence.owned_by_table, c.sequence.owned_by_column));
          },
          [&](const CreateSequence& c) {
            e.creates.push_back(relation(c.sequence.name));
            e.requires_.push_back(table(c.sequence.owned_by_table));
            e.requires_.push_back(column(c.sequence.owned_by_table, c.sequence.owned_by_column));
          },
      },
      change);
  return e;
}

bool isRename(const Change& change) {
  return std::holds_alternative<RenameTable>(change) || std::holds_alternative<RenameColumn>(change) ||
         std::holds_alternative<RenameConstraint>(change) || std::holds_alternative<RenameIndex>(change) ||
         std::holds_alternative<RenameSequence>(change);
}

/// Splits rename `change` into from -> tmp and tmp -> to.
std::pair<Change, Change> splitRename(const Change& change, int counter) {
  auto temporary = [&](const std::string& from) {
    std::string name = std::string(kTemporaryPrefix) + std::to_string(counter) + "_" + from;
    if (name.size() > 63) name.resize(63);
    return name;
  };
  return std::visit(
      Overloaded{
          [&](const RenameTable& c) -> std::pair<Change, Change> {
            auto t = temporary(c.from);
            return {RenameTable{c.from, t}, RenameTable{t, c.to}};
          },
          [&](const RenameColumn& c) -> std::pair<Change, Change> {
            auto t = temporary(c.from);
            return {RenameColumn{c.table, c.from, t}, RenameColumn{c.table, t, c.to}};
          },
          [&](const RenameConstraint& c) -> std::pair<Change, Change> {
            auto t = temporary(c.from);
            return {RenameConstraint{c.table, c.from, t, c.has_index},
                    RenameConstraint{c.table, t, c.to, c.has_index}};
          },
          [&](const RenameIndex& c) -> std::pair<Change, Change> {
            auto t = temporary(c.from);
            return {RenameIndex{c.table, c.from, t}, RenameIndex{c.table, t, c.to}};
          },
          [&](const RenameSequence& c) -> std::pair<Change, Change> {
            auto t = temporary(c.from);
            return {RenameSequence{c.table, c.column, c.from, t}, RenameSequence{c.table, c.column, t, c.to}};
          },
          [&](const auto&) -> std::pair<Change, Change> {
            return {change, change};
          },
      },
      change);
}

/// The changes on one cycle among those not done: walks back from the first
/// waiting change along waiting predecessors until a change repeats.
std::vector<std::size_t> findCycle(const std::vector<std::vector<std::size_t>>& predecessors,
                                   const std::vector<bool>& done) {
  std::size_t current = 0;
  while (done[current]) ++current;
  std::unordered_map<std::size_t, std::size_t> seen_at;
  std::vector<std::size_t> path;
  while (!seen_at.contains(current)) {
    seen_at.emplace(current, path.size());
    path.push_back(current);
    for (auto p : predecessors[current]) {
      if (!done[p]) {
        current = p;
        break;
      }
    }
  }
  return {path.begin() + static_cast<std::ptrdiff_t>(seen_at.at(current)), path.end()};
}

/// One attempt at ordering; on a cycle returns the index of a rename to split
/// (or of the node to force when no rename is in the way).
struct Attempt {
  std::vector<std::size_t> order;
  std::optional<std::size_t> split;
};

Attempt topologicalOrder(const std::vector<Change>& changes, bool may_split) {
  const std::size_t n = changes.size();
  std::vector<Effects> effects;
  effects.reserve(n);
  for (const auto& change : changes) effects.push_back(effectsOf(change));

  std::unordered_map<std::string, std::vector<std::size_t>> creators;
  std::unordered_map<std::string, std::vector<std::size_t>> destroyers;
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& k : effects[i].creates) creators[k].push_back(i);
    for (const auto& k : effects[i].destroys) destroyers[k].push_back(i);
  }
  std::vector<std::vector<std::size_t>> successors(n);
  std::vector<std::vector<std::size_t>> predecessors(n);
  std::vector<std::size_t> in_degree(n, 0);
  auto edge = [&](std::size_t from, std::size_t to) {
    if (from == to) return;
    successors[from].push_back(to);
    predecessors[to].push_back(from);
    ++in_degree[to];
  };
  for (std::size_t i = 0; i < n; ++i) {
    // A name or thing is destroyed before it is created again.
    for (const auto& k : effects[i].creates)
      if (auto found = destroyers.find(k); found != destroyers.end())
        for (auto d : found->second) edge(d, i);
    // What a change needs is created before it.
    for (const auto& k : effects[i].requires_)
      if (auto found = creators.find(k); found != creators.end())
        for (auto c : found->second) edge(c, i);
    // What a change stops using is destroyed after it.
    for (const auto& k : effects[i].releases)
      if (auto found = destroyers.find(k); found != destroyers.end())
        for (auto d : found->second) edge(i, d);
  }

  using Entry = std::pair<int, std::size_t>;  // (phase, position): smallest first
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> ready;
  for (std::size_t i = 0; i < n; ++i)
    if (in_degree[i] == 0) ready.emplace(phaseOf(changes[i]), i);
  Attempt attempt;
  std::vector<bool> done(n, false);
  while (attempt.order.size() < n) {
    if (ready.empty()) {
      // A cycle: split a rename on it (a swap goes through a temporary name), else
      // force the cycle's first change.
      std::vector<std::size_t> cycle = findCycle(predecessors, done);
      std::sort(cycle.begin(), cycle.end());
      for (auto i : cycle)
        if (may_split && !attempt.split && isRename(changes[i])) attempt.split = i;
      if (attempt.split) return attempt;
      in_degree[cycle.front()] = 0;
      ready.emplace(phaseOf(changes[cycle.front()]), cycle.front());
    }
    auto [phase, i] = ready.top();
    ready.pop();
    if (done[i]) continue;
    done[i] = true;
    attempt.order.push_back(i);
    for (auto s : successors[i])
      if (!done[s] && --in_degree[s] == 0) ready.emplace(phaseOf(changes[s]), s);
  }
  return attempt;
}

}  // namespace

std::string_view hazardName(HazardKind kind) {
  switch (kind) {
    case HazardKind::DeletesData: return "DELETES_DATA";
    case HazardKind::NarrowsType: return "NARROWS_TYPE";
    case HazardKind::CastMayFail: return "CAST_MAY_FAIL";
    case HazardKind::RewritesTable: return "REWRITES_TABLE";
    case HazardKind::ValidatesRows: return "VALIDATES_ROWS";
    case HazardKind::BuildsIndex: return "BUILDS_INDEX";
    case HazardKind::Backfill: return "BACKFILL";
    case HazardKind::BackfillMissing: return "BACKFILL_MISSING";
    case HazardKind::TimezoneDependent: return "TIMEZONE_DEPENDENT";
    case HazardKind::BreaksReaders: return "BREAKS_READERS";
    case HazardKind::Irreversible: return "IRREVERSIBLE";
    case HazardKind::LocksAccessExclusive: return "ACQUIRES_ACCESS_EXCLUSIVE_LOCK";
    case HazardKind::LocksShareRowExclusive: return "ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK";
    case HazardKind::LocksShare: return "ACQUIRES_SHARE_LOCK";
  }
  return "DELETES_DATA";
}

std::string_view backfillSourceName(BackfillSlot::Source source) {
  switch (source) {
    case BackfillSlot::Source::Provided: return "provided";
    case BackfillSlot::Source::Default: return "default";
    case BackfillSlot::Source::Missing: return "missing";
  }
  return "missing";
}

int phaseOf(const Change& change) {
  return std::visit(Overloaded{
                        [](const CreateSchema&) { return 0; },
                        [](const DropView&) { return 5; },
                        [](const DropConstraint& c) {
                          return c.constraint.kind == model::ConstraintKind::ForeignKey ? 10 : 20;
                        },
                        [](const DropIndex&) { return 20; },
                        [](const DropSequence&) { return 25; },
                        [](const DropPrimaryKey&) { return 20; },
                        [](const DropColumn&) { return 30; },
                        [](const DropTable&) { return 31; },
                        [](const RenameTable&) { return 40; },
                        [](const RenameColumn&) { return 41; },
                        [](const RenameConstraint&) { return 41; },
                        [](const RenameIndex&) { return 41; },
                        [](const RenameSequence&) { return 41; },
                        [](const AddTable&) { return 50; },
                        [](const AddColumn&) { return 60; },
                        [](const AlterColumn&) { return 70; },
                        [](const AddPrimaryKey&) { return 80; },
                        [](const AddConstraint& c) {
                          return c.constraint.kind == model::ConstraintKind::ForeignKey ? 90 : 81;
                        },
                        [](const AddIndex&) { return 82; },
                        [](const CreateSequence&) { return 83; },
                        [](const CreateView&) { return 95; },
                        [](const SetComment&) { return 100; },
                        [](const DropSchema&) { return 110; },
                    },
                    change);
}

std::vector<Change> orderChanges(const std::vector<Change>& input) {
  std::vector<Change> changes = input;
  const std::size_t max_splits = input.size();
  for (int counter = 1;; ++counter) {
    Attempt attempt = topologicalOrder(changes, static_cast<std::size_t>(counter) <= max_splits);
    if (!attempt.split) {
      std::vector<Change> ordered;
      ordered.reserve(changes.size());
      for (auto i : attempt.order) ordered.push_back(std::move(changes[i]));
      return ordered;
    }
    auto [first, second] = splitRename(changes[*attempt.split], counter);
    changes[*attempt.split] = std::move(first);
    changes.insert(changes.begin() + static_cast<std::ptrdiff_t>(*attempt.split) + 1, std::move(second));
  }
}

std::vector<const Step*> Plan::dataLossSteps(Direction direction) const {
  std::vector<const Step*> out;
  for (const auto& step : steps(direction))
    if (step.data_loss) out.push_back(&step);
  return out;
}

std::vector<BackfillSlot> Plan::missingBackfills(Direction direction) const {
  std::vector<BackfillSlot> out;
  for (const auto& step : steps(direction))
    if (step.backfill && step.backfill->source == BackfillSlot::Source::Missing)
      out.push_back(*step.backfill);
  return out;
}

Plan plan(const ChangeSet& changes, const PlanOptions& options) {
  Plan result;
  result.schema = options.schema;
  if (result.schema.empty())
    result.schema = changes.new_schema.empty() ? changes.old_schema : changes.new_schema;
  result.old_label = changes.old_label;
  result.new_label = changes.new_label;
  result.old_version = changes.old_version;
  result.new_version = changes.new_version;
  std::vector<Change> ordered = orderChanges(changes.changes);
  result.up.reserve(ordered.size());
  result.down.reserve(ordered.size());
  for (const auto& change : ordered) result.up.push_back(renderStep(change, result.schema, options));
  for (auto it = ordered.rbegin(); it != ordered.rend(); ++it)
    result.down.push_back(renderStep(inverse(*it), result.schema, options));
  for (const auto& backfill : options.backfills) {
    // A named reference, not a structured binding: clang 14 cannot capture those.
    const std::string& key = backfill.first;
    auto used = [&](const std::vector<Step>& steps) {
      return std::any_of(steps.begin(), steps.end(), [&](const Step& step) {
        return step.backfill && step.backfill->source == BackfillSlot::Source::Provided &&
               step.backfill->table + "." + step.backfill->column == key;
      });
    };
    if (!used(result.up) && !used(result.down)) result.unused_backfills.push_back(key);
  }
  addPlanHazards(result, changes);
  return result;
}

}  // namespace felisc::diff
