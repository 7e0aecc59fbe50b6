// `felisc diff` through the command line: exit codes as `git diff --exit-code`,
// the data-loss gate, both directions in one run, and REV:PATH sides from git.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/cli/cli.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

std::string demo(const std::string& name) { return (testing::fixturesDir() / "demo" / name).string(); }

class CliDiff : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("felisc-cli-diff-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  [[nodiscard]] std::string file(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

TEST_F(CliDiff, IdenticalInputsExitZeroWithAnEmptyPlan) {
  testing::CliRun result = testing::runFelisc({"diff", demo("new.yaml"), demo("new.yaml")});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.find("ALTER"), std::string::npos) << result.out;
}

TEST_F(CliDiff, ChangesExitZeroOrOneWithExitCodeAndAreOneTransaction) {
  testing::CliRun result = testing::runFelisc({"diff", demo("old.yaml"), demo("new.yaml")});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(testing::runFelisc({"diff", "--exit-code", demo("old.yaml"), demo("new.yaml")}).exit_code, 1);
  EXPECT_EQ(testing::runFelisc({"diff", "--exit-code", demo("new.yaml"), demo("new.yaml")}).exit_code, 0);
  EXPECT_NE(result.out.find("BEGIN;"), std::string::npos);
  EXPECT_NE(result.out.find("COMMIT;"), std::string::npos);
  EXPECT_NE(result.out.find("RENAME CONSTRAINT"), std::string::npos) << result.out;
  EXPECT_EQ(testing::runFelisc({"diff", demo("old.yaml"), demo("new.yaml")}).out,
            result.out);  // deterministic
}

TEST_F(CliDiff, DataLossIsRefusedWithTheListAndNothingWritten) {
  testing::CliRun refused =
      testing::runFelisc({"diff", "-o", file("up.sql"), demo("new.yaml"), demo("old.yaml")});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("drop column exposure.airmass"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(file("up.sql")));

  testing::CliRun allowed = testing::runFelisc(
      {"diff", "--allow-data-loss", "-o", file("up.sql"), demo("new.yaml"), demo("old.yaml")});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_NE(testing::readFile(file("up.sql")).find("DROP COLUMN airmass"), std::string::npos);
}

TEST_F(CliDiff, DownOutputIsTheDowngradeOfTheSamePlan) {
  testing::CliRun result = testing::runFelisc(
      {"diff", "-o", file("up.sql"), "--down-output", file("down.sql"), demo("old.yaml"), demo("new.yaml")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(testing::readFile(file("down.sql")),
            testing::runFelisc({"diff", "--direction", "down", demo("old.yaml"), demo("new.yaml")}).out);
  EXPECT_NE(testing::readFile(file("down.sql")).find("DROP COLUMN airmass"), std::string::npos);
}

TEST_F(CliDiff, TextAndJsonFormats) {
  testing::CliRun text = testing::runFelisc({"diff", "--format", "text", demo("old.yaml"), demo("new.yaml")});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("+ column airmass double precision"), std::string::npos) << text.out;
  testing::CliRun json = testing::runFelisc({"diff", "--format", "json", demo("old.yaml"), demo("new.yaml")});
  EXPECT_EQ(json.exit_code, 0);
  nlohmann::json parsed = nlohmann::json::parse(json.out, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << json.out;
}

TEST_F(CliDiff, GitRevisionSides) {
  std::filesystem::copy_file(demo("old.yaml"), file("schema.yaml"));
  std::string git = "cd '" + dir_.string() + "' && git init -q && git add schema.yaml && " +
                    "git -c user.name=t -c user.email=t@t commit -qm old";
  ASSERT_EQ(std::system(git.c_str()), 0);
  std::filesystem::copy_file(demo("new.yaml"), file("schema.yaml"),
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::path cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir_);
  testing::CliRun from_git = testing::runFelisc({"diff", "HEAD:schema.yaml", "schema.yaml"});
  testing::CliRun bad_rev = testing::runFelisc({"diff", "no-such-rev:schema.yaml", "schema.yaml"});
  std::filesystem::current_path(cwd);
  EXPECT_EQ(from_git.exit_code, 0) << from_git.err;
  EXPECT_NE(from_git.out.find("-- from: HEAD:schema.yaml"), std::string::npos) << from_git.out;
  EXPECT_NE(from_git.out.find("ADD COLUMN airmass"), std::string::npos) << from_git.out;
  EXPECT_EQ(bad_rev.exit_code, 2);
  EXPECT_NE(bad_rev.err.find("no-such-rev:schema.yaml: error:"), std::string::npos) << bad_rev.err;
}

TEST_F(CliDiff, UsageErrors) {
  EXPECT_EQ(testing::runFelisc({"diff", demo("old.yaml")}).exit_code, 2);
  EXPECT_EQ(testing::runFelisc({"diff", "--format", "yaml", demo("old.yaml"), demo("new.yaml")}).exit_code,
            2);
  EXPECT_EQ(testing::runFelisc({"diff", demo("old.yaml"), file("missing.yaml")}).exit_code, 2);
}

TEST_F(CliDiff, BackfillFileFillsTheSlot) {
  std::ofstream(file("backfill.sql")) << "-- backfill: exposure.airmass\n1.0\n";
  testing::CliRun result =
      testing::runFelisc({"diff", "--backfill", file("backfill.sql"), demo("old.yaml"), demo("new.yaml")});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  // airmass is nullable in the demo, so nothing uses the backfill: say so.
  EXPECT_NE(result.err.find("backfill for 'exposure.airmass' is not used"), std::string::npos) << result.err;
  std::ofstream(file("bad.sql")) << "UPDATE x SET y = 1;\n";  // SQL before the first marker
  EXPECT_EQ(testing::runFelisc({"diff", "--backfill", file("bad.sql"), demo("old.yaml"), demo("new.yaml")})
                .exit_code,
            2);
  EXPECT_EQ(testing::runFelisc({"diff", "--backfill", file("none.sql"), demo("old.yaml"), demo("new.yaml")})
                .exit_code,
            2);
}

}  // namespace
}  // namespace felisc
