// The diff engine on the real cdb_latiss history, without a database: the plan
// shapes the issue names (identical versions, description-only changes, the
// "shorten constraint names" change) and determinism over every pair.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "diff_engine/differ.h"
#include "diff_engine/planner.h"
#include "emitters/plan_json.h"
#include "emitters/plan_sql.h"
#include "emitters/plan_text.h"
#include "tests/support/corpus.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

fs::path version(const std::string& prefix) { return historyVersion(prefix); }

model::Schema read(const fs::path& file) { return readCorpusSchema(file); }

diff::Plan planOf(const std::string& from, const std::string& to) {
  diff::ChangeSet changes = diff::diffSchemas(read(version(from)), read(version(to)));
  EXPECT_FALSE(changes.diagnostics.hasErrors());
  return diff::plan(changes);
}

std::vector<std::string> statements(const diff::Plan& plan, diff::Direction direction) {
  std::vector<std::string> out;
  for (const auto& step : plan.steps(direction))
    for (const auto& sql : step.sql) out.push_back(sql);
  return out;
}

TEST(DiffCorpus, IdenticalSchemasGiveAnEmptyPlan) {
  // 20 -> 21 and 22 -> 23 are byte-identical; 25 -> 26 changes only the version,
  // 29 -> 30 only tap:table_index: nothing a database holds.
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"20", "21"}, {"22", "23"}, {"25", "26"}, {"29", "30"}, {"33", "33"}}) {
    diff::Plan plan = planOf(from, to);
    EXPECT_TRUE(plan.empty()) << from << " -> " << to << "\n" << emit::planText(plan, diff::Direction::Up);
    EXPECT_EQ(emit::planSql(plan, diff::Direction::Up), "-- felisc diff: no change to schema cdb_latiss\n");
  }
}

TEST(DiffCorpus, DescriptionOnlyChangeGivesOnlyComments) {
  // 24 -> 25 adds table descriptions, 26 -> 27 rewrites them.
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{{"24", "25"}, {"26", "27"}}) {
    diff::Plan plan = planOf(from, to);
    ASSERT_FALSE(plan.empty());
    for (auto direction : {diff::Direction::Up, diff::Direction::Down})
      for (const auto& sql : statements(plan, direction)) EXPECT_TRUE(sql.starts_with("COMMENT ON ")) << sql;
  }
}

TEST(DiffCorpus, ShortenedConstraintNamesAreRenames) {
  // 32 -> 33 shortens constraint names (and edits three descriptions).
  diff::Plan plan = planOf("32", "33");
  std::size_t renames = 0;
  for (const auto& sql : statements(plan, diff::Direction::Up)) {
    bool rename = sql.find(" RENAME CONSTRAINT ") != std::string::npos;
    renames += rename ? 1 : 0;
    EXPECT_TRUE(rename || sql.starts_with("COMMENT ON ")) << sql;
  }
  EXPECT_GE(renames, 20u);
  EXPECT_TRUE(plan.dataLossSteps(diff::Direction::Up).empty());
  EXPECT_TRUE(plan.dataLossSteps(diff::Direction::Down).empty());
  // The key folded from un_exposure_day_obs_seq_num is renamed with it.
  EXPECT_NE(emit::planSql(plan, diff::Direction::Up)
                .find("ALTER TABLE cdb_latiss.exposure RENAME CONSTRAINT un_exposure_day_obs_seq_num TO "
                      "un_exposure_ds;"),
            std::string::npos);
}

TEST(DiffCorpus, EveryPairIsDeterministic) {
  std::vector<fs::path> files = yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss");
  ASSERT_GE(files.size(), 33u);
  for (std::size_t i = 0; i + 1 < files.size(); ++i) {
    model::Schema a = read(files[i]);
    model::Schema b = read(files[i + 1]);
    diff::Plan first = diff::plan(diff::diffSchemas(a, b));
    diff::Plan second = diff::plan(diff::diffSchemas(a, b));
    for (auto direction : {diff::Direction::Up, diff::Direction::Down}) {
      EXPECT_EQ(emit::planSql(first, direction), emit::planSql(second, direction)) << files[i];
      EXPECT_EQ(emit::planText(first, direction), emit::planText(second, direction)) << files[i];
      EXPECT_EQ(emit::planJson(first, direction), emit::planJson(second, direction)) << files[i];
    }
    // Diffing the other way has as many steps as the downgrade.
    EXPECT_EQ(diff::plan(diff::diffSchemas(b, a)).up.size(), first.down.size()) << files[i];
  }
}

}  // namespace
}  // namespace felisc::testing
