// `felisc diff --old-db`: a live database as the old side. The plan from the
// catalog to the file, applied to that database, leaves nothing to diff.
#include <gtest/gtest.h>

#include <string>

#include "compiler/felis/reader.h"
#include "emitters/postgres_ddl.h"
#include "tests/support/cli_runner.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

std::string demo(const std::string& name) { return (testing::fixturesDir() / "demo" / name).string(); }

TEST(CliDiffDatabase, LiveOldSideMigratesToTheFileAndThenMatchesIt) {
  testing::ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  felis::ReadResult old_schema = felis::readFelisFile(demo("old.yaml"));
  ASSERT_TRUE(old_schema.schema) << felis::renderDiagnostics(old_schema);
  ASSERT_TRUE(db.exec(emit::createSchemaSql(*old_schema.schema)));

  testing::CliRun upgrade = testing::runFelisc({"diff", "--old-db", db.conninfo(), demo("new.yaml")});
  ASSERT_EQ(upgrade.exit_code, 0) << upgrade.err;
  EXPECT_NE(upgrade.out.find("ADD COLUMN airmass"), std::string::npos) << upgrade.out;
  EXPECT_NE(upgrade.out.find("RENAME CONSTRAINT fk_ccdexposure_exposure TO"), std::string::npos)
      << upgrade.out;
  // The file-to-file plan and the database-to-file plan make the same statements.
  testing::CliRun from_file = testing::runFelisc({"diff", demo("old.yaml"), demo("new.yaml")});
  auto body = [](const std::string& sql) { return sql.substr(sql.find("BEGIN;")); };
  EXPECT_EQ(body(upgrade.out), body(from_file.out));

  ASSERT_TRUE(db.exec(upgrade.out));
  testing::CliRun again = testing::runFelisc({"diff", "--old-db", db.conninfo(), demo("new.yaml")});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  testing::CliRun back = testing::runFelisc({"diff", "--old-db", db.conninfo(), demo("old.yaml")});
  EXPECT_EQ(back.exit_code, 3) << back.err;  // dropping airmass loses data: refused by default
}

TEST(CliDiffDatabase, MissingSchemaIsAnError) {
  testing::ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  testing::CliRun result = testing::runFelisc({"diff", "--old-db", db.conninfo(), demo("new.yaml")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cdb_demo"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace felisc
