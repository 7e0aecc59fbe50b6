// Views in YAML-against-YAML diffs (the sdm_schemas pull-request case): the
// deployment profile says which views exist; a view is recreated exactly when
// its columns change, and a change elsewhere leaves every view alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "compiler/felis/profile_reader.h"
#include "compiler/felis/reader.h"
#include "diff_engine/differ.h"
#include "diff_engine/planner.h"
#include "diff_engine/view_diff.h"
#include "emitters/plan_sql.h"
#include "schema_model/profile.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

model::Schema deployed(const std::string& name) {
  felis::ProfileReadResult profile =
      felis::readProfileFile((testing::fixturesDir() / "profiles" / "consdb.yaml").string());
  EXPECT_TRUE(profile.profile) << felis::renderProfileDiagnostics(profile);
  felis::ReadResult read = felis::readFelisFile((testing::fixturesDir() / "views" / name).string());
  EXPECT_TRUE(read.schema) << felis::renderDiagnostics(read);
  if (!read.schema || !profile.profile) return {};
  model::Diagnostics diagnostics;
  model::Schema realized = model::realize(*read.schema, *profile.profile, diagnostics);
  EXPECT_FALSE(diagnostics.hasErrors());
  return realized;
}

diff::Plan planOf(const std::string& from, const std::string& to) {
  diff::ChangeSet changes = diff::diffSchemas(deployed(from), deployed(to));
  EXPECT_FALSE(changes.diagnostics.hasErrors());
  return diff::plan(changes);
}

template <class Record>
std::vector<const Record*> records(const std::vector<diff::Step>& steps) {
  std::vector<const Record*> out;
  for (const auto& step : steps)
    if (const auto* record = std::get_if<Record>(&step.change)) out.push_back(record);
  return out;
}

std::vector<std::string> columnNames(const model::View& view) {
  std::vector<std::string> names;
  for (const auto& column : view.columns) names.push_back(column.name);
  return names;
}

std::size_t position(const std::vector<diff::Step>& steps, std::string_view kind, std::string_view name) {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (diff::kindName(steps[i].change) == kind && diff::tableOf(steps[i].change) == name) return i;
  return steps.size();
}

TEST(ViewDiff, AColumnAddedToTheBaseTableRecreatesItsViewWithTheNewColumn) {
  diff::Plan plan = planOf("cdb_base.yaml", "cdb_exposure_column.yaml");
  auto created = records<diff::CreateView>(plan.up);
  ASSERT_EQ(created.size(), 1U);
  EXPECT_EQ(created[0]->view.name, "visit1");
  std::vector<std::string> columns = columnNames(created[0]->view);
  EXPECT_EQ(columns.front(), "visit_id");
  EXPECT_NE(std::find(columns.begin(), columns.end(), "exp_time"), columns.end());
  EXPECT_EQ(records<diff::DropView>(plan.up).size(), 1U);
  // ccdvisit1 reads ccdexposure, which does not change.
  for (const auto& step : plan.up) EXPECT_NE(diff::tableOf(step.change), "ccdvisit1");
  // The view goes before and comes back after the column is added.
  EXPECT_LT(position(plan.up, "drop_view", "visit1"), position(plan.up, "add_column", "exposure"));
  EXPECT_LT(position(plan.up, "add_column", "exposure"), position(plan.up, "create_view", "visit1"));

  // The downgrade recreates the old column list exactly.
  auto restored = records<diff::CreateView>(plan.down);
  ASSERT_EQ(restored.size(), 1U);
  model::Schema old_schema = deployed("cdb_base.yaml");
  EXPECT_EQ(columnNames(restored[0]->view), columnNames(*old_schema.findView("visit1")));
  EXPECT_EQ(restored[0]->view.definition, old_schema.findView("visit1")->definition);
  std::string down = emit::planSql(plan, diff::Direction::Down);
  EXPECT_EQ(down.find("SELECT *"), std::string::npos);
  EXPECT_NE(down.find("GRANT SELECT ON cdb_demo.visit1 TO usdf"), std::string::npos) << down;
}

TEST(ViewDiff, AColumnAddedToAnUnrelatedTableTouchesNoView) {
  diff::Plan plan = planOf("cdb_base.yaml", "cdb_unrelated_column.yaml");
  ASSERT_EQ(plan.up.size(), 1U);
  EXPECT_EQ(diff::kindName(plan.up[0].change), "add_column");
  EXPECT_EQ(emit::planSql(plan, diff::Direction::Up).find("VIEW"), std::string::npos);
}

TEST(ViewDiff, IdenticalSchemasGiveAnEmptyPlanWithViews) {
  EXPECT_TRUE(planOf("cdb_base.yaml", "cdb_base.yaml").empty());
}

TEST(ViewDiff, AViewCommentAloneIsACommentNotARecreation) {
  model::Schema old_schema = deployed("cdb_base.yaml");
  model::Schema new_schema = old_schema;
  ASSERT_FALSE(new_schema.views.empty());
  new_schema.views.front().description = "Visits, one per exposure";
  new_schema.views.front().columns.front().description = "The visit";
  diff::Plan plan = diff::plan(diff::diffSchemas(old_schema, new_schema));
  EXPECT_TRUE(records<diff::CreateView>(plan.up).empty());
  std::string up = emit::planSql(plan, diff::Direction::Up);
  EXPECT_NE(
      up.find("COMMENT ON VIEW cdb_demo." + new_schema.views.front().name + " IS 'Visits, one per exposure'"),
      std::string::npos)
      << up;
  EXPECT_NE(
      up.find("COMMENT ON COLUMN cdb_demo." + new_schema.views.front().name + ".visit_id IS 'The visit'"),
      std::string::npos)
      << up;
}

TEST(ViewDiff, AGeneratedViewEqualsTheCatalogViewWithTheSameColumns) {
  model::Schema schema = deployed("cdb_base.yaml");
  ASSERT_FALSE(schema.views.empty());
  model::View generated = schema.views.front();
  model::View from_catalog = generated;
  from_catalog.generated = false;
  from_catalog.definition = " SELECT exposure.exposure_id AS visit_id, ... (the server's spelling);";
  EXPECT_TRUE(diff::sameView(generated, from_catalog));
  from_catalog.columns.back().sql_type = "text";
  EXPECT_FALSE(diff::sameView(generated, from_catalog));
}

TEST(ViewDiff, TwoCatalogViewsCompareTheirDefinitions) {
  model::View a;
  a.name = "v";
  a.definition = " SELECT t.a\n   FROM s.t;";
  model::View b = a;
  b.definition = "SELECT t.a\n   FROM s.t";
  EXPECT_TRUE(diff::sameView(a, b));  // white space and the final ';' are not the definition
  b.definition = " SELECT t.a\n   FROM s.t\n  WHERE (t.a > 1);";
  EXPECT_FALSE(diff::sameView(a, b));
}

}  // namespace
}  // namespace felisc
