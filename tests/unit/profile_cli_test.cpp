/// \file
/// `--profile` on the command line: `create --profile` against its golden files
/// (fixtures/create/profile/<case>.sql for stdout, <case>.stderr for stderr, with
/// the fixtures directory taken out of paths), and the exit codes of `create`,
/// `validate` and `inspect` with good, bad and missing profiles.
/// FELISC_UPDATE_GOLDEN=1 rewrites the golden files.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/golden.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

std::filesystem::path profileCreateDir() { return testing::fixturesDir() / "create" / "profile"; }
std::string consdbProfile() { return (testing::fixturesDir() / "profiles" / "consdb.yaml").string(); }

/// `text` with the fixtures directory taken out of every path.
std::string withoutFixturesDir(std::string text) {
  const std::string prefix = testing::fixturesDir().string() + "/";
  for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at))
    text.erase(at, prefix.size());
  return text;
}

TEST(ProfileCli, CreateMatchesGoldenFiles) {
  const std::string schema = (profileCreateDir() / "cdb_demo.yaml").string();
  testing::CliRun run = testing::runFelisc({"create", "--profile", consdbProfile(), schema});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  testing::expectGolden(profileCreateDir() / "cdb_demo.sql", run.out);
  testing::expectGolden(profileCreateDir() / "cdb_demo.stderr", withoutFixturesDir(run.err));
  // Byte-identical on a second run.
  testing::CliRun again = testing::runFelisc({"create", "--profile", consdbProfile(), schema});
  EXPECT_EQ(again.out, run.out);
  EXPECT_EQ(again.err, run.err);
}

TEST(ProfileCli, CreateWithSchemaRenamesBeforeTheProfileApplies) {
  const std::string schema = (profileCreateDir() / "cdb_demo.yaml").string();
  testing::CliRun renamed =
      testing::runFelisc({"create", "--profile", consdbProfile(), "--schema", "cdb_other", schema});
  EXPECT_EQ(renamed.exit_code, 0) << renamed.err;
  EXPECT_NE(renamed.out.find("CREATE VIEW cdb_other.visit1 AS\nSELECT exposure.exposure_id AS visit_id"),
            std::string::npos);
  EXPECT_NE(renamed.out.find("FROM cdb_other.exposure;"), std::string::npos);
  EXPECT_EQ(renamed.out.find("cdb_demo."), std::string::npos);
  // A name the profile does not cover: a warning, and the plain DDL.
  testing::CliRun other =
      testing::runFelisc({"create", "--profile", consdbProfile(), "--schema", "dp1", schema});
  EXPECT_EQ(other.exit_code, 0);
  EXPECT_NE(other.err.find("profile 'consdb' does not apply to schema 'dp1' (it applies to cdb_*)"),
            std::string::npos)
      << other.err;
  EXPECT_NE(other.out.find("CREATE TABLE dp1.visit1 ("), std::string::npos);
}

TEST(ProfileCli, CreateWithoutTransactionOrSchema) {
  const std::string schema = (profileCreateDir() / "cdb_demo.yaml").string();
  testing::CliRun run = testing::runFelisc(
      {"create", "--profile", consdbProfile(), "--no-transaction", "--no-create-schema", schema});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find("BEGIN;"), std::string::npos);
  EXPECT_EQ(run.out.find("COMMIT;"), std::string::npos);
  EXPECT_EQ(run.out.find("CREATE SCHEMA"), std::string::npos);
  EXPECT_EQ(run.out.rfind("CREATE EXTENSION IF NOT EXISTS pg_sphere;", 0), 0u);
}

TEST(ProfileCli, BadAndMissingProfiles) {
  const std::string schema = (profileCreateDir() / "cdb_demo.yaml").string();
  const std::string invalid = (testing::fixturesDir() / "profiles" / "errors" / "grants.yaml").string();
  const std::string missing = (testing::fixturesDir() / "profiles" / "no_such_profile.yaml").string();
  for (const char* command : {"create", "validate"}) {
    testing::CliRun bad = testing::runFelisc({command, "--profile", invalid, schema});
    // An invalid profile is an input error for create, a finding for validate.
    EXPECT_EQ(bad.exit_code, std::string(command) == "create" ? 2 : 1) << command;
    EXPECT_NE(bad.err.find("grants.yaml:8:34: error: 'privileges'"), std::string::npos) << bad.err;
    EXPECT_TRUE(bad.out.empty()) << command;
    testing::CliRun gone = testing::runFelisc({command, "--profile", missing, schema});
    EXPECT_EQ(gone.exit_code, 2) << command;
    EXPECT_NE(gone.err.find("cannot read file"), std::string::npos) << gone.err;
  }
  // inspect stops before it connects.
  testing::CliRun inspect =
      testing::runFelisc({"inspect", "host=/nonexistent", "--schema", "x", "--profile", invalid});
  EXPECT_EQ(inspect.exit_code, 2);
  EXPECT_EQ(inspect.err.find("connect"), std::string::npos) << inspect.err;
}

TEST(ProfileCli, CreateStopsOnRealizeErrors) {
  // cdb_latiss's ccdvisit1 of the fixture is over ccdexposure; a schema whose
  // visit1 has no exposure table cannot be realized.
  const std::string schema = (testing::fixturesDir() / "profiles" / "no_base.yaml").string();
  testing::CliRun run = testing::runFelisc({"create", "--profile", consdbProfile(), schema});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(run.out.empty());
  EXPECT_EQ(
      withoutFixturesDir(run.err),
      "profiles/no_base.yaml:4:3: error: table 'visit1' is realized as a view over table 'exposure', which "
      "the schema does not have [FEL275]\n"
      "  - name: visit1\n"
      "    ^\n"
      "profiles/consdb.yaml:12:3: note: the profile's rule for 'visit1' is here [FEL285]\n"
      "  - name: visit1\n"
      "    ^\n");
}

TEST(ProfileCli, ValidateRunsTheViewChecks) {
  const std::string good = (profileCreateDir() / "cdb_demo.yaml").string();
  testing::CliRun ok = testing::runFelisc({"validate", "--profile", consdbProfile(), good});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  const std::string forgot = (testing::fixturesDir() / "profiles" / "forgot_visit1.yaml").string();
  testing::CliRun bad = testing::runFelisc({"validate", "--profile", consdbProfile(), forgot, good});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(
      withoutFixturesDir(bad.err),
      "profiles/forgot_visit1.yaml:15:3: error: table 'visit1' is realized as a view over 'exposure' and "
      "lacks a column that the view has: 'seeing' [FEL278]\n"
      "  - name: visit1\n"
      "    ^\n"
      "felisc: 2 files checked: 1 error, 0 warnings\n");
  testing::CliRun json =
      testing::runFelisc({"validate", "--format", "json", "--profile", consdbProfile(), forgot});
  EXPECT_EQ(json.exit_code, 1);
  nlohmann::json report = nlohmann::json::parse(json.out);
  ASSERT_EQ(report["files"][0]["diagnostics"].size(), 1u);
  EXPECT_EQ(report["files"][0]["diagnostics"][0]["code"], "FEL278");
  EXPECT_EQ(report["files"][0]["diagnostics"][0]["line"], 15);
}

}  // namespace
}  // namespace felisc
