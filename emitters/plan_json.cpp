#include "emitters/plan_json.h"

#include <nlohmann/json.hpp>

#include "diff_engine/compatibility.h"

namespace felisc::emit {

std::string planJson(const diff::Plan& plan, diff::Direction direction) {
  using Json = nlohmann::ordered_json;
  const bool up = direction == diff::Direction::Up;
  Json root;
  root["format"] = "felisc-plan";
  root["version"] = 1;
  root["direction"] = up ? "up" : "down";
  root["online"] = plan.online;
  root["schema"] = plan.schema;
  root["from"] = up ? plan.old_label : plan.new_label;
  root["to"] = up ? plan.new_label : plan.old_label;
  root["data_loss"] = !plan.dataLossSteps(direction).empty();
  Json missing = Json::array();
  for (const auto& slot : plan.missingBackfills(direction))
    missing.push_back(Json{{"table", slot.table}, {"column", slot.column}});
  root["missing_backfills"] = std::move(missing);
  const auto& direction_steps = plan.steps(direction);
  diff::MigrationCompatibility compatibility = diff::classifyMigration(direction_steps);
  root["compatibility"] = Json{{"class", std::string(diff::compatibilityName(compatibility.compatibility))},
                               {"bump_needed", std::string(diff::bumpName(compatibility.bump_needed))},
                               {"breaks_old_code", compatibility.breaks_old_code},
                               {"breaks_new_code", compatibility.breaks_new_code}};
  if (up) {
    diff::VersionCheck check = diff::checkVersionBump(plan);
    auto optional = [](const std::optional<std::string>& text) { return text ? Json(*text) : Json(nullptr); };
    Json version{{"from", optional(check.from)},
                 {"to", optional(check.to)},
                 {"bump_made", check.made ? Json(std::string(diff::bumpName(*check.made))) : Json(nullptr)},
                 {"verdict", std::string(diff::verdictName(check.verdict))}};
    if (check.verdict == diff::VersionCheck::Verdict::NotChecked)
      version["why_not_checked"] = check.why_not_checked;
    root["schema_version"] = std::move(version);
  }
  Json steps = Json::array();
  for (const auto& step : direction_steps) {
    Json item;
    item["kind"] = std::string(diff::kindName(step.change));
    item["table"] = diff::tableOf(step.change);
    item["object"] = diff::objectOf(step.change);
    item["description"] = diff::describe(step.change);
    item["sql"] = step.sql;
    Json hazards = Json::array();
    for (const auto& hazard : step.hazards)
      hazards.push_back(
          Json{{"kind", std::string(diff::hazardName(hazard.kind))}, {"message", hazard.message}});
    item["hazards"] = std::move(hazards);
    item["data_loss"] = step.data_loss;
    diff::ChangeCompatibility change_compatibility = diff::classifyChange(step.change);
    item["compatibility"] =
        Json{{"class", std::string(diff::compatibilityName(change_compatibility.compatibility))},
             {"reason", change_compatibility.reason}};
    item["transactional"] = step.transactional;
    item["new_transaction"] = step.new_transaction;
    if (!step.note.empty()) item["note"] = step.note;
    if (step.backfill) {
      item["backfill"] = Json{{"table", step.backfill->table},
                              {"column", step.backfill->column},
                              {"source", std::string(diff::backfillSourceName(step.backfill->source))},
                              {"sql", step.backfill->sql}};
    }
    steps.push_back(std::move(item));
  }
  root["steps"] = std::move(steps);
  return root.dump(2) + "\n";
}

}  // namespace felisc::emit
