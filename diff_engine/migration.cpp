#include "diff_engine/migration.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "diff_engine/differ.h"
#include "diff_engine/online.h"

namespace felisc::diff {

namespace {

/// "table.old=new" for every column the upgrade drops where the same table gets
/// a column of the same type: most likely a rename the differ could not see.
std::vector<std::string> renameHints(const Plan& plan) {
  std::vector<std::string> hints;
  for (const Step& dropped : plan.up) {
    const auto* drop = std::get_if<DropColumn>(&dropped.change);
    if (drop == nullptr) continue;
    for (const Step& added : plan.up) {
      const auto* add = std::get_if<AddColumn>(&added.change);
      if (add == nullptr || add->table != drop->table || add->column.sql_type != drop->column.sql_type)
        continue;
      std::string hint = drop->table + '.' + drop->column.name + '=' + add->column.name;
      if (std::find(hints.begin(), hints.end(), hint) == hints.end()) hints.push_back(std::move(hint));
    }
  }
  return hints;
}

}  // namespace

Migration planMigration(const model::Schema& old_schema, const model::Schema& new_schema,
                        const MigrationOptions& options) {
  Migration migration;
  DiffOptions diff_options;
  diff_options.renames = options.renames;
  diff_options.old_schema_absent = options.old_schema_absent;
  diff_options.keep_unlisted_views = options.old_from_database;
  diff_options.old_label = options.old_label;
  diff_options.new_label = options.new_label;
  ChangeSet changes = diffSchemas(old_schema, new_schema, diff_options);
  migration.diagnostics.append(changes.diagnostics);
  if (changes.diagnostics.hasErrors()) {
    migration.refusal = MigrationRefusal::Invalid;
    return migration;
  }

  PlanOptions plan_options;
  plan_options.schema = options.schema;
  plan_options.backfills = options.backfills;
  migration.plan = plan(changes, plan_options);
  if (options.online) migration.plan = makeOnline(std::move(migration.plan));
  const Plan& planned = migration.plan;

  migration.version = checkVersionBump(planned);
  migration.diagnostics.append(versionDiagnostics(planned, migration.version, options.strict));
  migration.compatibility = classifyMigration(planned.up);
  for (const Step* step : planned.dataLossSteps(Direction::Up))
    migration.data_loss.push_back(describe(step->change));
  if (!migration.data_loss.empty()) migration.rename_hints = renameHints(planned);
  migration.missing_backfills = planned.missingBackfills(Direction::Up);

  if (!options.allow_data_loss && !migration.data_loss.empty())
    migration.refusal = MigrationRefusal::DataLoss;
  else if (migration.diagnostics.hasErrors())
    migration.refusal = MigrationRefusal::VersionBump;
  return migration;
}

}  // namespace felisc::diff
