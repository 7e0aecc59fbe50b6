#include "emitters/plan_review.h"

#include <algorithm>
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

std::string quoted(const std::optional<std::string>& text) {
  return text ? "\"" + *text + "\"" : std::string("none");
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string viewKind(const model::View& view) { return view.materialized ? "materialized view" : "view"; }

/// What changes between two versions of a view's columns: "+ c integer, - d,
/// e integer -> bigint"; empty when they are the same.
std::string viewColumnChanges(const model::View& from, const model::View& to) {
  std::vector<std::string> out;
  std::map<std::string, const model::ViewColumn*> old_columns;
  for (const auto& column : from.columns) old_columns[column.name] = &column;
  for (const auto& column : to.columns) {
    auto found = old_columns.find(column.name);
    if (found == old_columns.end()) {
      out.push_back("+ " + column.name + " " + column.sql_type);
      continue;
    }
    if (found->second->sql_type != column.sql_type)
      out.push_back(column.name + " " + found->second->sql_type + " -> " + column.sql_type);
    old_columns.erase(found);
  }
  for (const auto& column : from.columns)
    if (old_columns.contains(column.name)) out.push_back("- " + column.name);
  return joined(out, ", ");
}

/// The lines of one step: one for most, the columns, key, constraints and
/// indexes of a new table. `dropped_views` holds the group's dropped views, so
/// that a recreated view says which of its columns change.
std::vector<ReviewLine> linesOf(const Step& step,
                                const std::map<std::string, const model::View*>& dropped_views) {
  auto one = [](char marker, std::string text) {
    return std::vector<ReviewLine>{{marker, std::move(text), {}, {}}};
  };
  return std::visit(
      Overloaded{
          [&](const CreateSchema& c) { return one('+', "schema " + c.schema); },
          [&](const DropSchema& c) { return one('-', "schema " + c.schema); },
          [&](const AddTable& c) {
            std::vector<ReviewLine> lines;
            const model::Table& table = c.table;
            for (const auto& column : table.columns)
              lines.push_back({'+', "column " + column.name + " " + columnSummary(column), {}, {}});
            if (table.primary_key)
              lines.push_back({'+',
                               "primary key " + table.primary_key->name + " (" +
                                   joined(table.primary_key->columns, ", ") + ")",
                               {},
                               {}});
            for (const auto& constraint : table.constraints)
              lines.push_back(
                  {'+', "constraint " + constraint.name + " " + constraintSummary(constraint), {}, {}});
            for (const auto& index : table.indexes)
              lines.push_back({'+', "index " + index.name + " " + indexSummary(index), {}, {}});
            if (lines.empty()) lines.push_back({'+', "table " + table.name + " with no column", {}, {}});
            return lines;
          },
          [&](const DropTable& c) {
            return one('-', "table " + c.table.name + " with its " + std::to_string(c.table.columns.size()) +
                                (c.table.columns.size() == 1 ? " column" : " columns"));
          },
          [&](const RenameTable& c) { return one('~', "table " + c.from + " renamed to " + c.to); },
          [&](const AddColumn& c) {
            std::string note = backfillNote(step);
            if (note.empty() && !c.column.nullable && c.column.sql_default)
              note = " (existing rows get its default " + *c.column.sql_default + ")";
            return one('+', "column " + c.column.name + " " + columnSummary(c.column) + note);
          },
          [&](const DropColumn& c) { return one('-', "column " + c.column.name + " " + c.column.sql_type); },
          [&](const AlterColumn& c) {
            return one('~', "column " + c.to.name + ": " + alterSummary(c) + backfillNote(step));
          },
          [&](const RenameColumn& c) { return one('~', "column " + c.from + " renamed to " + c.to); },
          [&](const SetComment& c) {
            std::string target = "comment on " + std::string(objectKindName(c.kind));
            if (!c.object.empty() && c.kind != ObjectKind::Schema) target += " " + c.object;
            char marker = !c.from ? '+' : !c.to ? '-' : '~';
            return one(marker, target + ": " + quoted(c.from) + " -> " + quoted(c.to));
          },
          [&](const AddConstraint& c) {
            return one('+', "constraint " + c.constraint.name + " " + constraintSummary(c.constraint));
          },
          [&](const DropConstraint& c) {
            return one('-', "constraint " + c.constraint.name + " " + constraintSummary(c.constraint));
          },
          [&](const RenameConstraint& c) { return one('~', "constraint " + c.from + " renamed to " + c.to); },
          [&](const AddPrimaryKey& c) {
            return one('+', "primary key " + c.key.name + " (" + joined(c.key.columns, ", ") + ")");
          },
          [&](const DropPrimaryKey& c) { return one('-', "primary key " + c.key.name); },
          [&](const AddIndex& c) { return one('+', "index " + c.index.name + " " + indexSummary(c.index)); },
          [&](const DropIndex& c) { return one('-', "index " + c.index.name + " " + indexSummary(c.index)); },
          [&](const RenameIndex& c) { return one('~', "index " + c.from + " renamed to " + c.to); },
          [&](const RenameSequence& c) { return one('~', "sequence " + c.from + " renamed to " + c.to); },
          [&](const CreateView& c) {
            std::string detail = std::to_string(c.view.columns.size()) + " columns";
            auto dropped = dropped_views.find(c.view.name);
            std::string changes =
                dropped == dropped_views.end() ? std::string() : viewColumnChanges(*dropped->second, c.view);
            // "its columns change" alone does not say which: the columns that do stand in its place.
            if (!changes.empty())
              detail += "; its columns change: " + changes;
            else if (!c.reason.empty())
              detail += "; " + c.reason;
            if (!changes.empty() && !c.reason.empty() && c.reason != "its columns change")
              detail += "; " + c.reason;
            return one('+', viewKind(c.view) + " " + c.view.name + " (" + detail + ")");
          },
          [&](const DropView& c) {
            return one(
                '-', viewKind(c.view) + " " + c.view.name + (c.reason.empty() ? "" : " (" + c.reason + ")"));
          },
          [&](const DropSequence& c) {
            return one('-', "sequence " + c.sequence.name + " (owned by column " +
                                c.sequence.owned_by_column + ", which does not use it)");
          },
          [&](const CreateSequence& c) {
            return one('+', "sequence " + c.sequence.name + " owned by column " + c.sequence.owned_by_column);
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

bool isViewChange(const Change& change) {
  if (const auto* comment = std::get_if<SetComment>(&change))
    return comment->kind == ObjectKind::View || comment->kind == ObjectKind::MaterializedView;
  return std::holds_alternative<CreateView>(change) || std::holds_alternative<DropView>(change);
}

/// Groups under construction: the steps of each, then their lines.
struct Pending {
  std::vector<const Step*> steps;
  bool only_views = true;
  bool creates = false;  ///< AddTable or CreateView
  bool drops = false;    ///< DropTable or DropView
};

}  // namespace

bool isLockHazard(HazardKind kind) {
  return kind == HazardKind::LocksAccessExclusive || kind == HazardKind::LocksShareRowExclusive ||
         kind == HazardKind::LocksShare;
}

Review review(const Plan& plan, Direction direction) {
  Review out;
  const bool up = direction == Direction::Up;
  const auto& steps = plan.steps(direction);
  out.changes = steps.size();
  out.headline = std::string(up ? "upgrade" : "downgrade") + " of schema " + plan.schema;
  const std::string& from = up ? plan.old_label : plan.new_label;
  const std::string& to = up ? plan.new_label : plan.old_label;
  if (!from.empty() || !to.empty()) out.headline += " (" + from + " -> " + to + ")";
  if (steps.empty()) return out;
  out.headline += ", " + std::to_string(steps.size()) + (steps.size() == 1 ? " change" : " changes");

  MigrationCompatibility compatibility = classifyMigration(steps);
  out.compatibility = compatibilityTitle(compatibility.compatibility);
  if (up) {
    VersionBump needed = compatibility.bump_needed;
    out.version = needed == VersionBump::None ? std::string("needs no version bump")
                                              : "needs a " + std::string(bumpName(needed)) + " version bump";
    out.version += "; " + versionClause(checkVersionBump(plan));
  }
  if (!compatibility.breaks_old_code.empty())
    out.old_code_fails_on = stepList(steps, compatibility.breaks_old_code);
  if (!compatibility.breaks_new_code.empty())
    out.new_code_fails_on = stepList(steps, compatibility.breaks_new_code);
  if (plan.online) {
    std::size_t outside = 0;
    for (const auto& step : steps) outside += step.transactional ? 0 : 1;
    out.online = "not atomic; " + std::to_string(outside) + (outside == 1 ? " step runs" : " steps run") +
                 " outside a transaction block";
  }
  for (const auto& step : steps) {
    bool deletes = step.data_loss;
    for (const auto& hazard : step.hazards) deletes = deletes || hazard.kind == HazardKind::DeletesData;
    if (deletes) out.data_loss.push_back(describe(step.change));
  }
  for (const auto& slot : plan.missingBackfills(direction))
    out.missing_backfills.push_back(slot.table + "." + slot.column);

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
  std::map<std::string, Pending> pending;  // "" (schema) first, then tables by name
  for (const auto& step : steps) {
    bool dropped_table = std::holds_alternative<DropTable>(step.change);
    std::string table = dropped_table ? tableOf(step.change) : finalName(tableOf(step.change));
    if (std::holds_alternative<CreateSchema>(step.change) || std::holds_alternative<DropSchema>(step.change))
      table.clear();
    Pending& group = pending[table];
    group.only_views = group.only_views && isViewChange(step.change);
    group.creates = group.creates || std::holds_alternative<AddTable>(step.change) ||
                    std::holds_alternative<CreateView>(step.change);
    group.drops = group.drops || dropped_table || std::holds_alternative<DropView>(step.change);
    group.steps.push_back(&step);
  }
  for (const auto& [name, group] : pending) {
    ReviewGroup& result = out.groups.emplace_back();
    result.name = name.empty() ? plan.schema : name;
    result.kind = name.empty()       ? ReviewGroup::Kind::Schema
                  : group.only_views ? ReviewGroup::Kind::View
                                     : ReviewGroup::Kind::Table;
    if (group.creates && group.drops) {
      result.status = "recreated";
    } else if (group.creates) {
      result.marker = '+';
      result.status = "new";
    } else if (group.drops) {
      result.marker = '-';
      result.status = "dropped";
    } else {
      result.status = "changed";
    }
    std::map<std::string, const model::View*> dropped_views;
    for (const Step* step : group.steps)
      if (const auto* drop = std::get_if<DropView>(&step->change))
        dropped_views[drop->view.name] = &drop->view;
    for (const Step* step : group.steps) {
      std::vector<ReviewLine> lines = linesOf(*step, dropped_views);
      lines.front().note = step->note;
      for (const auto& hazard : step->hazards) {
        if (!isLockHazard(hazard.kind)) {
          lines.back().hazards.push_back(&hazard);
          continue;
        }
        auto same = [&](const ReviewLock& lock) { return lock.kind == hazard.kind; };
        auto found = std::find_if(result.locks.begin(), result.locks.end(), same);
        if (found == result.locks.end()) {
          result.locks.push_back({hazard.kind, hazard.message, 1});
          continue;
        }
        ++found->steps;
        if (("; " + found->message + "; ").find("; " + hazard.message + "; ") == std::string::npos)
          found->message += "; " + hazard.message;
      }
      for (auto& line : lines) result.lines.push_back(std::move(line));
    }
  }
  return out;
}

}  // namespace felisc::emit
