#include "emitters/plan_text.h"

#include "emitters/plan_review.h"

namespace felisc::emit {

namespace {

std::string groupTitle(const ReviewGroup& group) {
  switch (group.kind) {
    case ReviewGroup::Kind::Schema: return "schema " + group.name;
    case ReviewGroup::Kind::View: return "view " + group.name + " (" + group.status + ")";
    case ReviewGroup::Kind::Table: return "table " + group.name + " (" + group.status + ")";
  }
  return {};
}

}  // namespace

std::string dataLossClause(const std::vector<std::string>& changes) {
  if (changes.empty()) return "none";
  std::string out = std::to_string(changes.size()) + (changes.size() == 1 ? " change: " : " changes: ");
  for (std::size_t i = 0; i < changes.size(); ++i) out += (i == 0 ? "" : "; ") + changes[i];
  return out;
}

std::string planText(const diff::Plan& plan, diff::Direction direction) {
  Review summary = review(plan, direction);
  std::string out = "felisc diff: " + summary.headline;
  if (summary.changes == 0) return out + ": no change\n";
  out += "\ncompatibility: " + summary.compatibility;
  if (!summary.version.empty()) out += ", " + summary.version;
  out += "\n";
  if (!summary.old_code_fails_on.empty()) out += "    old code fails on: " + summary.old_code_fails_on + "\n";
  if (!summary.new_code_fails_on.empty())
    out += "    new code fails on the old schema: " + summary.new_code_fails_on + "\n";
  if (!summary.online.empty()) out += "online: " + summary.online + "\n";
  out += "data loss: " + dataLossClause(summary.data_loss) + "\nmissing backfills: ";
  if (summary.missing_backfills.empty()) out += "none";
  for (std::size_t i = 0; i < summary.missing_backfills.size(); ++i)
    out += (i == 0 ? "" : ", ") + summary.missing_backfills[i];
  out += "\n";

  for (const ReviewGroup& group : summary.groups) {
    out += "\n" + groupTitle(group) + "\n";
    for (const ReviewLine& line : group.lines) {
      out += std::string(1, line.marker) + " " + line.text + "\n";
      if (!line.note.empty()) out += "  (" + line.note + ")\n";
      for (const diff::Hazard* hazard : line.hazards)
        out += "  ! " + std::string(diff::hazardName(hazard->kind)) + ": " + hazard->message + "\n";
    }
    for (const ReviewLock& lock : group.locks) {
      out += "! " + std::string(diff::hazardName(lock.kind)) + ": " + lock.message;
      if (lock.steps > 1) out += " (" + std::to_string(lock.steps) + " steps)";
      out += "\n";
    }
  }
  return out;
}

}  // namespace felisc::emit
