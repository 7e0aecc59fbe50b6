#include "emitters/plan_text.h"

#include <map>
#include <unordered_map>

#include "diff_engine/compatibility.h"
#include "schema_model/overloaded.h"

namespace felisc::emit {

namespace {

using namespace diff;  // NOLINT: the change record types read better unqualified here

std::string backfillNote(const Step& step) {
  if (!step.backfill) return {};
  switch (step.backfill->source) {
    case BackfillSlot::Source::Provided: return " (backfill: provided SQL)";
    case BackfillSlot::Source::Default: return " (backfill from its default " + step.backfill->sql + ")";
    case BackfillSlot::Source::Missing: return " (BACKFILL MISSING: give it with --backfill)";
  }
  return {};
}

std::string quoted(const std::optional<std::string>& text) { return "\"" + text.value_or("") + "\""; }

/// What a new table holds, one line per column, key, constraint and index.
std::string addedTable(const model::Table& table) {
  std::string text = "+ created with " + std::to_string(table.columns.size()) +
                     (table.columns.size() == 1 ? " column" : " columns");
  for (const auto& column : table.columns)
    text += "\n    + column " + column.name + " " + columnSummary(column);
  if (table.primary_key) {
    std::string columns;
    for (const auto& column : table.primary_key->columns) columns += (columns.empty() ? "" : ", ") + column;
    text += "\n    + primary key " + table.primary_key->name + " (" + columns + ")";
  }
  for (const auto& constraint : table.constraints)
    text += "\n    + constraint " + constraint.name + " " + constraintSummary(constraint);
  for (const auto& index : table.indexes) text += "\n    + index " + index.name + " " + indexSummary(index);
  return text;
}

/// The review line of a step (without indentation and hazards); several lines
/// for a new table.
std::string line(const Step& step) {
  return std::visit(
      Overloaded{
          [](const CreateSchema& c) { return "+ schema " + c.schema; },
          [](const DropSchema& c) { return "- schema " + c.schema; },
          [](const AddTable& c) { return addedTable(c.table); },
          [](const DropTable& c) {
            return "- dropped with its " + std::to_string(c.table.columns.size()) +
                   (c.table.columns.size() == 1 ? " column" : " columns");
          },
          [](const RenameTable& c) { return "~ table " + c.from + " renamed to " + c.to; },
          [&](const AddColumn& c) {
            std::string note = backfillNote(step);
            if (note.empty() && !c.column.nullable && c.column.sql_default)
              note = " (existing rows get its default " + *c.column.sql_default + ")";
            return "+ column " + c.column.name + " " + columnSummary(c.column) + note;
          },
          [](const DropColumn& c) { return "- column " + c.column.name + " " + c.column.sql_type; },
          [&](const AlterColumn& c) {
            return "~ column " + c.to.name + ": " + alterSummary(c) + backfillNote(step);
          },
          [](const RenameColumn& c) { return "~ column " + c.from + " renamed to " + c.to; },
          [](const SetComment& c) {
            std::string target = "~ comment on " + std::string(objectKindName(c.kind));
            if (!c.object.empty() && c.kind != ObjectKind::Schema) target += " " + c.object;
            if (!c.to) return target + " removed";
            return target + (c.from ? ": " : " added: ") + quoted(c.to);
          },
          [](const AddConstraint& c) {
            return "+ constraint " + c.constraint.name + " " + constraintSummary(c.constraint);
          },
          [](const DropConstraint& c) {
            return "- constraint " + c.constraint.name + " " + constraintSummary(c.constraint);
          },
          [](const RenameConstraint& c) { return "~ constraint " + c.from + " renamed to " + c.to; },
          [](const AddPrimaryKey& c) {
            std::string columns;
            for (const auto& column : c.key.columns) columns += (columns.empty() ? "" : ", ") + column;
            return "+ primary key " + c.key.name + " (" + columns + ")";
          },
          [](const DropPrimaryKey& c) { return "- primary key " + c.key.name; },
          [](const AddIndex& c) { return "+ index " + c.index.name + " " + indexSummary(c.index); },
          [](const DropIndex& c) { return "- index " + c.index.name + " " + indexSummary(c.index); },
          [](const RenameIndex& c) { return "~ index " + c.from + " renamed to " + c.to; },
          [](const RenameSequence& c) { return "~ sequence " + c.from + " renamed to " + c.to; },
          [](const CreateView& c) {
            return "+ " + std::string(c.view.materialized ? "materialized view " : "view ") + c.view.name +
                   " (" + std::to_string(c.view.columns.size()) + " columns" +
                   (c.reason.empty() ? "" : "; " + c.reason) + ")";
          },
          [](const DropView& c) {
            return "- " + std::string(c.view.materialized ? "materialized view " : "view ") + c.view.name +
                   (c.reason.empty() ? "" : " (" + c.reason + ")");
          },
      },
      step.change);
}

/// "version 1.0.0 -> 1.1.0 is a minor bump: ok", or why it is not checked.
std::string versionClause(const VersionCheck& check) {
  switch (check.verdict) {
    case VersionCheck::Verdict::Ok:
    case VersionCheck::Verdict::TooSmall: {
      VersionBump made = check.made.value_or(VersionBump::None);
      std::string bump = made == VersionBump::None ? "no bump" : "a " + std::string(bumpName(made)) + " bump";
      return "version " + *check.from + " -> " + *check.to + " is " + bump + ": " +
             (check.verdict == VersionCheck::Verdict::Ok ? "ok" : "too small");
    }
    case VersionCheck::Verdict::GoesDown: return "version " + *check.from + " -> " + *check.to + " goes down";
    case VersionCheck::Verdict::NotChecked: return "version not checked: " + check.why_not_checked;
  }
  return {};
}

/// Up to three step descriptions, then how many more.
std::string stepList(const std::vector<Step>& steps, const std::vector<std::size_t>& indexes) {
  constexpr std::size_t kShown = 3;
  std::string out;
  for (std::size_t i = 0; i < indexes.size() && i < kShown; ++i)
    out += (i == 0 ? "" : "; ") + describe(steps[indexes[i]].change);
  if (indexes.size() > kShown) out += "; and " + std::to_string(indexes.size() - kShown) + " more";
  return out;
}

/// The compatibility line (with the version check for an upgrade) and the
/// changes that decide the class.
std::string compatibilityLines(const Plan& plan, Direction direction) {
  const auto& steps = plan.steps(direction);
  MigrationCompatibility compatibility = classifyMigration(steps);
  std::string out = "compatibility: " + std::string(compatibilityTitle(compatibility.compatibility));
  if (direction == Direction::Up) {
    VersionBump needed = compatibility.bump_needed;
    out += needed == VersionBump::None ? std::string(", needs no version bump")
                                       : ", needs a " + std::string(bumpName(needed)) + " version bump";
    out += "; " + versionClause(checkVersionBump(plan));
  }
  out += "\n";
  if (!compatibility.breaks_old_code.empty())
    out += "    old code fails on: " + stepList(steps, compatibility.breaks_old_code) + "\n";
  if (!compatibility.breaks_new_code.empty())
    out += "    new code fails on the old schema: " + stepList(steps, compatibility.breaks_new_code) + "\n";
  return out;
}

struct Group {
  char marker = '~';
  std::vector<const Step*> steps;
  bool only_views = true;  ///< a view's group: headed "view", not "table"
  bool creates_view = false;
  bool drops_view = false;
};

bool isViewChange(const Change& change) {
  if (const auto* comment = std::get_if<SetComment>(&change))
    return comment->kind == ObjectKind::View || comment->kind == ObjectKind::MaterializedView;
  return std::holds_alternative<CreateView>(change) || std::holds_alternative<DropView>(change);
}

}  // namespace

std::string planText(const Plan& plan, Direction direction) {
  const bool up = direction == Direction::Up;
  const auto& steps = plan.steps(direction);
  std::string out = "felisc diff: " + std::string(up ? "upgrade" : "downgrade") + " of schema " + plan.schema;
  const std::string& from = up ? plan.old_label : plan.new_label;
  const std::string& to = up ? plan.new_label : plan.old_label;
  if (!from.empty() || !to.empty()) out += " (" + from + " -> " + to + ")";
  if (steps.empty()) return out + ": no change\n";
  out += ", " + std::to_string(steps.size()) + (steps.size() == 1 ? " change\n" : " changes\n");
  out += compatibilityLines(plan, direction);
  if (plan.online) {
    std::size_t outside = 0;
    for (const auto& step : steps) outside += step.transactional ? 0 : 1;
    out += "online: not atomic; " + std::to_string(outside) + (outside == 1 ? " step runs" : " steps run") +
           " outside a transaction block\n";
  }

  auto loss = plan.dataLossSteps(direction);
  out += "data loss: ";
  if (loss.empty()) out += "none";
  for (std::size_t i = 0; i < loss.size(); ++i) out += (i == 0 ? "" : "; ") + describe(loss[i]->change);
  out += "\nmissing backfills: ";
  auto missing = plan.missingBackfills(direction);
  if (missing.empty()) out += "none";
  for (std::size_t i = 0; i < missing.size(); ++i)
    out += (i == 0 ? "" : ", ") + missing[i].table + "." + missing[i].column;
  out += "\n";

  // Tables are grouped under their name after the plan: follow the renames.
  std::unordered_map<std::string, std::string> renamed;
  for (const auto& step : steps)
    if (const auto* rename = std::get_if<RenameTable>(&step.change)) renamed[rename->from] = rename->to;
  auto finalName = [&](std::string name) {
    for (std::size_t hops = 0; hops <= renamed.size(); ++hops) {
      auto found = renamed.find(name);
      if (found == renamed.end()) break;
      name = found->second;
    }
    return name;
  };
  std::map<std::string, Group> groups;  // "" (schema) first, then tables by name
  for (const auto& step : steps) {
    bool dropped_table = std::holds_alternative<DropTable>(step.change);
    std::string table = dropped_table ? tableOf(step.change) : finalName(tableOf(step.change));
    if (std::holds_alternative<CreateSchema>(step.change) || std::holds_alternative<DropSchema>(step.change))
      table.clear();
    Group& group = groups[table];
    if (std::holds_alternative<AddTable>(step.change)) group.marker = '+';
    if (dropped_table) group.marker = '-';
    group.only_views = group.only_views && isViewChange(step.change);
    group.creates_view = group.creates_view || std::holds_alternative<CreateView>(step.change);
    group.drops_view = group.drops_view || std::holds_alternative<DropView>(step.change);
    group.steps.push_back(&step);
  }
  for (auto& [table, group] : groups)
    if (group.only_views && group.creates_view != group.drops_view)
      group.marker = group.creates_view ? '+' : '-';
  for (const auto& [table, group] : groups) {
    out += "\n";
    out += table.empty() ? std::string("schema " + plan.schema)
                         : std::string(1, group.marker) + (group.only_views ? " view " : " table ") + table;
    out += "\n";
    for (const Step* step : group.steps) {
      out += "    " + line(*step) + "\n";
      if (!step->note.empty()) out += "        (" + step->note + ")\n";
      for (const auto& hazard : step->hazards)
        out += "        ! " + std::string(hazardName(hazard.kind)) + ": " + hazard.message + "\n";
    }
  }
  return out;
}

}  // namespace felisc::emit
