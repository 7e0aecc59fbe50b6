#include "emitters/plan_sql.h"

namespace felisc::emit {

namespace {

std::string directionName(diff::Direction direction) {
  return direction == diff::Direction::Up ? "upgrade" : "downgrade";
}

std::string counted(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

void header(const diff::Plan& plan, diff::Direction direction, std::string& out) {
  bool up = direction == diff::Direction::Up;
  const std::string& from = up ? plan.old_label : plan.new_label;
  const std::string& to = up ? plan.new_label : plan.old_label;
  out += "-- felisc diff: " + directionName(direction) + " of schema " + plan.schema + "\n";
  if (!from.empty()) out += "-- from: " + from + "\n";
  if (!to.empty()) out += "-- to:   " + to + "\n";
  auto loss = plan.dataLossSteps(direction);
  auto missing = plan.missingBackfills(direction);
  out += "-- " + counted(plan.steps(direction).size(), "step") +
         "; data loss: " + (loss.empty() ? "none" : counted(loss.size(), "step")) +
         "; missing backfills: " + (missing.empty() ? "none" : std::to_string(missing.size())) + "\n";
}

void backfillMarker(const diff::BackfillSlot& slot, bool open, std::string& out) {
  std::string target = slot.table + "." + slot.column;
  if (!open) {
    out += "-- <<< end of backfill " + target + "\n";
    return;
  }
  switch (slot.source) {
    case diff::BackfillSlot::Source::Provided: out += "-- >>> backfill " + target + ": provided SQL\n"; break;
    case diff::BackfillSlot::Source::Default:
      out += "-- >>> backfill " + target + ": from its default " + slot.sql + "\n";
      break;
    case diff::BackfillSlot::Source::Missing:
      out += "-- >>> BACKFILL MISSING for " + target + ": give its SQL with --backfill (" + target +
             "); until then this guard stops the script if a row holds NULL\n";
      break;
  }
}

}  // namespace

std::string planSql(const diff::Plan& plan, diff::Direction direction, const SqlOptions& options) {
  std::string out;
  const auto& steps = plan.steps(direction);
  if (steps.empty()) return "-- felisc diff: no change to schema " + plan.schema + "\n";
  header(plan, direction, out);
  if (options.transaction) out += "BEGIN;\n";
  for (const auto& step : steps) {
    out += "\n";
    if (options.step_comments) {
      out += "-- " + diff::describe(step.change) + "\n";
      for (const auto& hazard : step.hazards)
        out += "-- hazard " + std::string(diff::hazardName(hazard.kind)) + ": " + hazard.message + "\n";
    }
    for (std::size_t i = 0; i < step.sql.size(); ++i) {
      bool slot = step.backfill && step.backfill->statement == i;
      if (slot) backfillMarker(*step.backfill, true, out);
      out += step.sql[i] + ";\n";
      if (slot) backfillMarker(*step.backfill, false, out);
    }
  }
  if (options.transaction) out += "\nCOMMIT;\n";
  return out;
}

}  // namespace felisc::emit
