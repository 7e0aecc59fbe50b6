// Online plans (diff_engine/online.h) and the lock settings of plan scripts
// (emitters/plan_sql.h).
//
// Goldens: every fixtures/diff-online/<case>/ names a pair of fixtures/diff/<case>/
// (old.yaml, new.yaml, options and backfills as there) and holds the online
// upgrade (up.sql), downgrade (down.sql) and review (review.txt); where up.json
// exists, the JSON of the upgrade too. FELISC_UPDATE_GOLDEN=1 rewrites them (review the diff before
// committing). tests/pg/diff_online_pg_test.cpp runs online plans on PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "diff_engine/online.h"
#include "emitters/plan_json.h"
#include "emitters/plan_sql.h"
#include "emitters/plan_text.h"
#include "tests/support/cli_runner.h"
#include "tests/support/golden.h"
#include "tests/unit/diff_golden.h"

namespace felisc::testing {
namespace {

std::filesystem::path onlineFixturesDir() { return fixturesDir() / "diff-online"; }

std::vector<std::string> onlineCases() {
  std::vector<std::string> cases;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(onlineFixturesDir(), error))
    if (entry.is_directory()) cases.push_back(entry.path().filename().string());
  std::sort(cases.begin(), cases.end());
  return cases;
}

/// The normal and the online plan of a fixtures/diff case.
struct Plans {
  diff::Plan normal;
  diff::Plan online;
};

Plans plansOf(const std::string& name) {
  DiffCase diff_case = loadDiffCase(name);
  EXPECT_TRUE(diff_case.ok) << diff_case.errors;
  diff::ChangeSet changes =
      diff::diffSchemas(diff_case.old_schema, diff_case.new_schema, diff_case.diff_options);
  EXPECT_FALSE(changes.diagnostics.hasErrors());
  diff::Plan normal = diff::plan(changes, diff_case.plan_options);
  return {normal, diff::makeOnline(normal)};
}

class DiffOnlineGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DiffOnlineGolden, MatchesGoldenFiles) {
  Plans plans = plansOf(GetParam());
  const std::filesystem::path dir = onlineFixturesDir() / GetParam();
  expectGolden(dir / "up.sql", emit::planSql(plans.online, diff::Direction::Up));
  expectGolden(dir / "down.sql", emit::planSql(plans.online, diff::Direction::Down));
  expectGolden(dir / "review.txt", emit::planText(plans.online, diff::Direction::Up) + "\n" +
                                       emit::planText(plans.online, diff::Direction::Down));
  if (std::filesystem::exists(dir / "up.json"))
    expectGolden(dir / "up.json", emit::planJson(plans.online, diff::Direction::Up));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DiffOnlineGolden, ::testing::ValuesIn(onlineCases()),
                         [](const ::testing::TestParamInfo<std::string>& case_info) {
                           return case_info.param;
                         });

TEST(DiffOnlineFixtures, EachCaseNamesADiffCase) {
  EXPECT_GE(onlineCases().size(), 6u);
  for (const std::string& name : onlineCases())
    EXPECT_TRUE(std::filesystem::exists(diffFixturesDir() / name / "old.yaml")) << name;
}

/// What every online script must respect, over every fixtures/diff case, both
/// directions: CONCURRENTLY only outside BEGIN/COMMIT, BEGIN and COMMIT paired,
/// each VALIDATE in another transaction than the ADD ... NOT VALID before it,
/// and each NOT VALID constraint validated later.
TEST(DiffOnline, ScriptsKeepConcurrentStatementsOutsideTransactions) {
  for (const std::string& name : diffCases()) {
    Plans plans = plansOf(name);
    for (auto direction : {diff::Direction::Up, diff::Direction::Down}) {
      std::vector<std::string> statements = emit::planStatements(plans.online, direction);
      bool in_block = false;
      int block = 0;
      std::map<std::string, int> not_valid_block;  // "ALTER TABLE x ADD CONSTRAINT c" -> block
      std::set<std::string> validated;
      for (const std::string& sql : statements) {
        SCOPED_TRACE(name + ": " + sql);
        if (sql == "BEGIN") {
          EXPECT_FALSE(in_block);
          in_block = true;
          ++block;
        } else if (sql == "COMMIT") {
          EXPECT_TRUE(in_block);
          in_block = false;
        } else if (sql.starts_with("CREATE INDEX CONCURRENTLY ") ||
                   sql.starts_with("CREATE UNIQUE INDEX CONCURRENTLY ") ||
                   sql.starts_with("DROP INDEX CONCURRENTLY ")) {
          EXPECT_FALSE(in_block);
        } else if (sql.ends_with(" NOT VALID")) {
          EXPECT_TRUE(in_block);
          std::size_t name_end = sql.find(' ', sql.find("ADD CONSTRAINT ") + 15);
          not_valid_block[sql.substr(0, name_end)] = block;
        } else if (auto at = sql.find(" VALIDATE CONSTRAINT "); at != std::string::npos) {
          std::string added = sql.substr(0, at) + " ADD CONSTRAINT " + sql.substr(at + 21);
          ASSERT_TRUE(not_valid_block.contains(added)) << "VALIDATE without its NOT VALID add";
          EXPECT_GT(block, not_valid_block[added]) << "VALIDATE in the transaction of its ADD";
          EXPECT_TRUE(in_block);
          validated.insert(added);
        }
      }
      EXPECT_FALSE(in_block) << name;
      for (const auto& [added, unused] : not_valid_block)
        EXPECT_TRUE(validated.contains(added)) << name << ": never validated: " << added;
    }
  }
}

TEST(DiffOnline, RewritesTheBlockingStatementsOfEachKind) {
  auto statementsOf = [](const std::string& name) {
    std::string all;
    for (const std::string& sql : emit::planStatements(plansOf(name).online, diff::Direction::Up))
      all += sql + ";\n";
    return all;
  };
  EXPECT_NE(statementsOf("index").find("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_b ON demo.t (b, a)"),
            std::string::npos);
  EXPECT_NE(statementsOf("index").find("DROP INDEX CONCURRENTLY IF EXISTS demo.idx_t_gone"),
            std::string::npos);
  std::string unique = statementsOf("unique_constraint");
  EXPECT_NE(unique.find("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS un_t_c ON demo.t (c)"),
            std::string::npos);
  EXPECT_NE(unique.find("ADD CONSTRAINT un_t_c UNIQUE USING INDEX un_t_c DEFERRABLE INITIALLY DEFERRED"),
            std::string::npos);
  std::string fk = statementsOf("foreign_key");
  EXPECT_NE(fk.find("REFERENCES demo.parent (id) ON DELETE CASCADE NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE "
                    "demo.child VALIDATE CONSTRAINT fk_child_parent;"),
            std::string::npos)
      << fk;
  std::string not_null = statementsOf("column_nullability");
  EXPECT_NE(
      not_null.find("ADD CONSTRAINT t_with_default_felisc_nn CHECK (with_default IS NOT NULL) NOT VALID;\n"
                    "COMMIT;\nBEGIN;\nALTER TABLE demo.t VALIDATE CONSTRAINT t_with_default_felisc_nn;\n"
                    "COMMIT;\nBEGIN;\nALTER TABLE demo.t ALTER COLUMN with_default SET NOT NULL;\n"
                    "ALTER TABLE demo.t DROP CONSTRAINT t_with_default_felisc_nn;"),
      std::string::npos)
      << not_null;
}

TEST(DiffOnline, HazardsSayWhatTheOnlineFormChanged) {
  Plans plans = plansOf("index");
  bool concurrent_build = false;
  for (const auto& step : plans.online.up) {
    if (step.transactional) continue;
    for (const auto& hazard : step.hazards)
      if (hazard.kind == diff::HazardKind::BuildsIndex)
        concurrent_build =
            concurrent_build || hazard.message.find("concurrently: writes go on") != std::string::npos;
    EXPECT_NE(step.note.find("cannot run inside"), std::string::npos) << step.note;
  }
  EXPECT_TRUE(concurrent_build);
  std::string text = emit::planText(plans.online, diff::Direction::Up);
  EXPECT_NE(text.find("online: not atomic; 4 steps run outside a transaction block"), std::string::npos)
      << text;
  std::string json = emit::planJson(plans.online, diff::Direction::Up);
  EXPECT_NE(json.find("\"online\": true"), std::string::npos);
  EXPECT_NE(json.find("\"transactional\": false"), std::string::npos);
  EXPECT_EQ(emit::planJson(plans.normal, diff::Direction::Up).find("\"transactional\": false"),
            std::string::npos);
}

TEST(DiffOnline, LeavesPlansWithoutBlockingStepsAsOneTransaction) {
  // Renames and comments have no online form: the online plan equals the plan.
  for (const char* name : {"rename_column", "table_comment"}) {
    Plans plans = plansOf(name);
    ASSERT_EQ(plans.online.up.size(), plans.normal.up.size()) << name;
    for (std::size_t i = 0; i < plans.normal.up.size(); ++i) {
      EXPECT_EQ(plans.online.up[i].sql, plans.normal.up[i].sql) << name;
      EXPECT_TRUE(plans.online.up[i].transactional);
    }
    std::string sql = emit::planSql(plans.online, diff::Direction::Up);
    EXPECT_NE(sql.find("BEGIN;\nSET LOCAL lock_timeout = '10s';\n"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("NOT ATOMIC"), std::string::npos);
  }
}

TEST(DiffOnline, IsIdempotent) {
  Plans plans = plansOf("foreign_key");
  diff::Plan twice = diff::makeOnline(plans.online);
  EXPECT_EQ(emit::planSql(twice, diff::Direction::Up), emit::planSql(plans.online, diff::Direction::Up));
}

TEST(PlanSqlSettings, OneTransactionUsesSetLocalAndStatementsMatchTheScript) {
  Plans plans = plansOf("check_constraint");
  emit::SqlOptions options;
  options.statement_timeout = "5min";
  std::vector<std::string> statements = emit::planStatements(plans.normal, diff::Direction::Up, options);
  ASSERT_GE(statements.size(), 4u);
  EXPECT_EQ(statements[0], "BEGIN");
  EXPECT_EQ(statements[1], "SET LOCAL lock_timeout = '10s'");
  EXPECT_EQ(statements[2], "SET LOCAL statement_timeout = '5min'");
  EXPECT_EQ(statements.back(), "COMMIT");
  // The script is these statements, in order, each ended by ";\n", with comments between.
  std::string sql = emit::planSql(plans.normal, diff::Direction::Up, options);
  std::size_t at = 0;
  for (const std::string& statement : statements) {
    std::size_t found = sql.find(statement + ";\n", at);
    ASSERT_NE(found, std::string::npos) << statement;
    at = found + statement.size();
  }
}

TEST(PlanSqlSettings, SessionSettingsWhenNotOneTransaction) {
  Plans plans = plansOf("index");
  emit::SqlOptions options;
  options.lock_timeout = "2s";
  options.statement_timeout = "1h";
  std::vector<std::string> online = emit::planStatements(plans.online, diff::Direction::Up, options);
  EXPECT_EQ(online[0], "SET lock_timeout = '2s'");
  EXPECT_EQ(online[1], "SET statement_timeout = '1h'");
  EXPECT_EQ(online[online.size() - 2], "RESET lock_timeout");
  EXPECT_EQ(online.back(), "RESET statement_timeout");
  std::string sql = emit::planSql(plans.online, diff::Direction::Up, options);
  EXPECT_NE(sql.find("-- NOT ATOMIC: 2 transaction blocks and 6 statements outside any transaction block."),
            std::string::npos)
      << sql;
  // Without a transaction the caller owns it: SET (SET LOCAL would do nothing outside one).
  options.transaction = false;
  options.statement_timeout.clear();
  std::vector<std::string> bare = emit::planStatements(plans.normal, diff::Direction::Up, options);
  EXPECT_EQ(bare.front(), "SET lock_timeout = '2s'");
  EXPECT_EQ(bare.back(), "RESET lock_timeout");
  EXPECT_EQ(std::count(bare.begin(), bare.end(), "BEGIN"), 0);
}

TEST(PlanSqlSettings, NoSettingWhenDisabled) {
  Plans plans = plansOf("check_constraint");
  emit::SqlOptions options;
  options.lock_timeout.clear();
  std::string sql = emit::planSql(plans.normal, diff::Direction::Up, options);
  EXPECT_EQ(sql.find("lock_timeout"), std::string::npos);
  EXPECT_EQ(sql.find("statement_timeout"), std::string::npos);
  EXPECT_NE(sql.find("BEGIN;\n\n-- drop constraint"), std::string::npos) << sql;
}

std::string diffFixture(const std::string& name, const std::string& file) {
  return (diffFixturesDir() / name / file).string();
}

TEST(CliDiffOnline, OnlineAndTimeoutOptions) {
  CliRun online = runFelisc({"diff", "--online", "--statement-timeout", "30min",
                             diffFixture("index", "old.yaml"), diffFixture("index", "new.yaml")});
  EXPECT_EQ(online.exit_code, 0) << online.err;
  EXPECT_TRUE(online.out.starts_with("-- felisc diff: upgrade of schema demo (online)\n")) << online.out;
  EXPECT_NE(online.out.find("SET lock_timeout = '10s';\nSET statement_timeout = '30min';\n"),
            std::string::npos);
  EXPECT_NE(online.out.find("CREATE INDEX CONCURRENTLY IF NOT EXISTS"), std::string::npos);

  CliRun off = runFelisc(
      {"diff", "--lock-timeout", "off", diffFixture("index", "old.yaml"), diffFixture("index", "new.yaml")});
  EXPECT_EQ(off.exit_code, 0) << off.err;
  EXPECT_EQ(off.out.find("lock_timeout"), std::string::npos);
  CliRun zero = runFelisc(
      {"diff", "--lock-timeout", "0", diffFixture("index", "old.yaml"), diffFixture("index", "new.yaml")});
  EXPECT_EQ(zero.out, off.out);
  CliRun custom = runFelisc({"diff", "--lock-timeout", "250ms", diffFixture("index", "old.yaml"),
                             diffFixture("index", "new.yaml")});
  EXPECT_NE(custom.out.find("BEGIN;\nSET LOCAL lock_timeout = '250ms';\n"), std::string::npos) << custom.out;

  CliRun bad = runFelisc(
      {"diff", "--lock-timeout", "soon", diffFixture("index", "old.yaml"), diffFixture("index", "new.yaml")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("'soon' is not a duration"), std::string::npos) << bad.err;
  EXPECT_TRUE(bad.out.empty());
}

}  // namespace
}  // namespace felisc::testing
