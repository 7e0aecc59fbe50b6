// Golden files for the diff engine: every fixtures/diff/<case>/ holds old.yaml and
// new.yaml (read with the Felis reader), optionally options.txt (one `rename
// old=new` or `old-schema-absent` per line, `#` comments) and backfill.sql (the
// --backfill format). The upgrade must equal up.sql, the downgrade down.sql and
// the review summaries of both review.txt, byte for byte; where the case has an
// up.json, the JSON of the upgrade must equal it and down.json that of the
// downgrade (hazards and compatibility classes as tools read them).
// FELISC_UPDATE_GOLDEN=1 rewrites them (review the diff before committing).
// tests/pg/diff_golden_pg_test.cpp runs every case on PostgreSQL with rows.
#include "tests/unit/diff_golden.h"
#include "tests/support/golden.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "emitters/plan_json.h"
#include "emitters/plan_sql.h"
#include "emitters/plan_text.h"

namespace felisc::testing {
namespace {

class DiffGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DiffGolden, MatchesGoldenFiles) {
  DiffCase diff_case = loadDiffCase(GetParam());
  ASSERT_TRUE(diff_case.ok) << diff_case.errors;
  diff::ChangeSet changes =
      diff::diffSchemas(diff_case.old_schema, diff_case.new_schema, diff_case.diff_options);
  ASSERT_FALSE(changes.diagnostics.hasErrors());
  diff::Plan plan = diff::plan(changes, diff_case.plan_options);
  EXPECT_TRUE(plan.unused_backfills.empty());
  const std::filesystem::path dir = diffFixturesDir() / GetParam();
  expectGolden(dir / "up.sql", emit::planSql(plan, diff::Direction::Up));
  expectGolden(dir / "down.sql", emit::planSql(plan, diff::Direction::Down));
  expectGolden(dir / "review.txt", emit::planText(plan, diff::Direction::Up) + "\n" +
                                       emit::planText(plan, diff::Direction::Down));
  if (std::filesystem::exists(dir / "up.json")) {
    expectGolden(dir / "up.json", emit::planJson(plan, diff::Direction::Up));
    expectGolden(dir / "down.json", emit::planJson(plan, diff::Direction::Down));
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DiffGolden, ::testing::ValuesIn(diffCases()),
                         [](const ::testing::TestParamInfo<std::string>& case_info) {
                           return case_info.param;
                         });

TEST(DiffGoldenFixtures, OneCasePerChangeKind) { EXPECT_GE(diffCases().size(), 20u); }

}  // namespace
}  // namespace felisc::testing
