// One planning entry (diff_engine/migration.h) behind diff, migrate and verify:
// the same inputs are refused the same way through every command, on a real
// PostgreSQL database made with the ConsDB profile (fixtures/views/, schema
// cdb_demo: visit1 and ccdvisit1 are views, pgs_region columns beside s_region).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/run_command.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

std::string fixture(const std::string& relative) { return (fixturesDir() / relative).string(); }

TEST(PipelineRefusals, VerifyFromTheDatabaseWithoutAProfileRefusesTheViewCaseAsDiffOldDbDoes) {
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  CliRun create =
      runFelisc({"create", fixture("views/cdb_base.yaml"), "--profile", fixture("profiles/consdb.yaml")});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  ASSERT_TRUE(db.exec(create.out));
  const std::string target = fixture("views/cdb_exposure_column.yaml");

  // Without the profile the file has no pgs_region columns: the plan drops the columns the
  // deployment's views read, and those views are the database's own.
  CliRun diff = runFelisc({"diff", "--old-db", db.conninfo(), target, "--allow-data-loss"});
  EXPECT_NE(diff.err.find("[FEL610]"), std::string::npos) << diff.err;
  EXPECT_EQ(diff.out, "");
  CliRun verify = runFelisc({"verify", db.conninfo(), target});
  EXPECT_EQ(verify.exit_code, diff.exit_code) << verify.out << verify.err;
  EXPECT_EQ(verify.exit_code, 2) << verify.out << verify.err;
  EXPECT_NE(verify.err.find("[FEL610]"), std::string::npos) << verify.err;
  EXPECT_EQ(verify.out.find("result: exact"), std::string::npos) << verify.out;
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_views WHERE schemaname = 'cdb_demo'"), "2");

  // With the profile both plan the same change and verify proves it.
  CliRun profiled =
      runFelisc({"verify", db.conninfo(), target, "--profile", fixture("profiles/consdb.yaml")});
  EXPECT_EQ(profiled.exit_code, 0) << profiled.out << profiled.err;
}

TEST(MigrateOldDb, PlansEachSchemaFromTheLiveDatabase) {
  namespace fs = std::filesystem;
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  CliRun create = runFelisc({"create", fixture("views/cdb_base.yaml"), "--profile", "consdb"});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  ASSERT_TRUE(db.exec(create.out));
  // Drift: a column the file does not have, added by hand on the deployed table.
  ASSERT_TRUE(db.exec("ALTER TABLE cdb_demo.exposure ADD COLUMN by_hand integer"));

  TempDir repo;
  const fs::path yml = fs::path(repo.path()) / "yml";
  fs::create_directories(yml);
  fs::create_directories(fs::path(repo.path()) / "alembic" / "demo" / "versions");
  fs::copy_file(fixture("views/cdb_base.yaml"), yml / "cdb_demo.yaml");
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", repo.path()});
    CommandResult result = runCommand(args);
    ASSERT_EQ(result.exit_code, 0) << result.output;
  };
  git({"init", "-q"});
  git({"add", "yml"});
  git({"-c", "user.name=felisc", "-c", "user.email=felisc@example.org", "commit", "-q", "-m", "base"});
  fs::copy_file(fixture("views/cdb_exposure_column.yaml"), yml / "cdb_demo.yaml",
                fs::copy_options::overwrite_existing);

  const std::vector<std::string> args = {"migrate",
                                         "--sdm-schemas",
                                         repo.path(),
                                         "--base",
                                         "HEAD",
                                         "--alembic-dir",
                                         (fs::path(repo.path()) / "alembic").string(),
                                         "--old-db",
                                         db.conninfo(),
                                         "--create-date",
                                         "2025-01-01 00:00:00"};
  CliRun refused = runFelisc(args);
  EXPECT_EQ(refused.exit_code, 3) << refused.err;  // the revision drops the drifted column
  EXPECT_NE(refused.err.find("cdb_demo: drop column exposure.by_hand"), std::string::npos) << refused.err;
  std::vector<std::string> allowed = args;
  allowed.push_back("--allow-data-loss");
  CliRun run = runFelisc(allowed);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path versions = fs::path(repo.path()) / "alembic" / "demo" / "versions";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(versions)) files.push_back(entry.path());
  ASSERT_EQ(files.size(), 1u);
  const std::string text = readFile(files.front());
  EXPECT_NE(text.find("database schema cdb_demo -> yml/cdb_demo.yaml"), std::string::npos) << text;
  EXPECT_NE(text.find("\"by_hand\""), std::string::npos) << "the drift is repaired" << text;
  EXPECT_NE(text.find("exp_time"), std::string::npos) << text;
  EXPECT_NE(text.find("CREATE VIEW cdb_demo.visit1 AS"), std::string::npos) << text;
}

}  // namespace
}  // namespace felisc::testing
