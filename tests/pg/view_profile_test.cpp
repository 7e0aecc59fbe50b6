// A database deployed with the ConsDB profile, migrated live: the profile's views
// (visit1 over exposure) are rewritten from the new file, and a hand-written view
// over visit1 is dropped first and recreated after, exactly.
#include <gtest/gtest.h>

#include <string>

#include "compiler/catalog/reader.h"
#include "schema_model/compare.h"
#include "tests/support/cli_runner.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

std::string fixture(const std::string& name) { return (testing::fixturesDir() / "views" / name).string(); }
std::string profile() { return (testing::fixturesDir() / "profiles" / "consdb.yaml").string(); }

class ViewProfile : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok());
    testing::CliRun create = testing::runFelisc({"create", "--profile", profile(), fixture("cdb_base.yaml")});
    ASSERT_EQ(create.exit_code, 0) << create.err;
    testing::PgOutcome created = db_.tryExec(create.out);
    ASSERT_TRUE(created.ok) << created.report;
    ASSERT_TRUE(
        db_.exec("CREATE VIEW cdb_demo.visit_days AS SELECT visit_id, day_obs FROM cdb_demo.visit1;"
                 "COMMENT ON VIEW cdb_demo.visit_days IS 'days with visits';"
                 "GRANT SELECT ON cdb_demo.visit_days TO oods;"));
  }

  model::Schema catalog() {
    catalog::CatalogResult result = catalog::readSchemas(db_.conninfo(), {"cdb_demo"});
    EXPECT_EQ(result.schemas.size(), 1U);
    return result.schemas.empty() ? model::Schema{} : result.schemas.front();
  }

  testing::CliRun plan(const std::string& target, const std::string& direction) {
    return testing::runFelisc({"diff", "--profile", profile(), "--old-db", db_.conninfo(), fixture(target),
                               "--direction", direction, "--allow-data-loss"});
  }

  testing::ScratchDatabase db_{{.pg_sphere = true}};
};

TEST_F(ViewProfile, DroppingABaseColumnRewritesTheProfileViewAndKeepsTheHandWrittenOne) {
  testing::PgOutcome plain = db_.tryExec("ALTER TABLE cdb_demo.exposure DROP COLUMN airmass");
  ASSERT_FALSE(plain.ok);
  EXPECT_NE(plain.message.find("because other objects depend on it"), std::string::npos) << plain.report;

  model::Schema before = catalog();
  testing::CliRun up = plan("cdb_drop_airmass.yaml", "up");
  ASSERT_EQ(up.exit_code, 0) << up.err;
  testing::CliRun down = plan("cdb_drop_airmass.yaml", "down");
  ASSERT_EQ(down.exit_code, 0) << down.err;
  EXPECT_LT(up.out.find("DROP VIEW cdb_demo.visit_days;"), up.out.find("DROP VIEW cdb_demo.visit1;"))
      << up.out;
  EXPECT_EQ(up.out.find("ccdvisit1"), std::string::npos) << up.out;

  testing::PgOutcome applied = db_.tryExec(up.out);
  ASSERT_TRUE(applied.ok) << applied.report;
  model::Schema after_up = catalog();
  const model::View* visit1 = after_up.findView("visit1");
  ASSERT_NE(visit1, nullptr);
  for (const auto& column : visit1->columns) EXPECT_NE(column.name, "airmass");
  const model::View* days = after_up.findView("visit_days");
  ASSERT_NE(days, nullptr);
  EXPECT_EQ(days->definition, before.findView("visit_days")->definition);
  EXPECT_EQ(days->grants, before.findView("visit_days")->grants);
  EXPECT_EQ(days->description, before.findView("visit_days")->description);
  testing::CliRun again = plan("cdb_drop_airmass.yaml", "up");
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;

  applied = db_.tryExec(down.out);
  ASSERT_TRUE(applied.ok) << applied.report;
  model::Schema after_down = catalog();
  // The column comes back at the end of exposure (PostgreSQL cannot insert it in
  // place); everything else, the views included, is as before.
  EXPECT_EQ(after_down.views.size(), before.views.size());
  for (const auto& view : before.views) {
    const model::View* now = after_down.findView(view.name);
    ASSERT_NE(now, nullptr) << view.name;
    model::Schema expected;
    expected.views = {view};
    model::Schema actual;
    actual.views = {*now};
    std::vector<std::string> lines = model::compareSchemas(expected, actual);
    EXPECT_EQ(lines, std::vector<std::string>{}) << view.name;
  }
}

TEST_F(ViewProfile, ALiveDatabaseIsCheckedAgainstTheProfile) {
  ASSERT_TRUE(db_.exec("REVOKE SELECT ON cdb_demo.visit1 FROM usdf"));
  testing::CliRun run = plan("cdb_base.yaml", "up");
  EXPECT_EQ(run.exit_code, 0) << run.err;  // the missing grant is part of the plan too
  EXPECT_NE(run.err.find("missing SELECT to usdf [FEL533]"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("visit1"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace felisc
