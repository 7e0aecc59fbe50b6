#include "emitters/plan_json.h"

#include <nlohmann/json.hpp>

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
  Json steps = Json::array();
  for (const auto& step : plan.steps(direction)) {
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
