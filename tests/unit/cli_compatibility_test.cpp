// `felisc diff` and the version check: a warning by default, an error with
// --strict (exit 1, nothing written), a note for a missing version, never a crash
// on a version that is not numbers; the JSON fields tools read.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/cli_runner.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

std::string fixture(const std::string& name, const std::string& side) {
  return (testing::fixturesDir() / "diff" / name / side).string();
}

class CliCompatibility : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("felisc-cli-compat-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  [[nodiscard]] std::string file(const std::string& name) const { return (dir_ / name).string(); }

  /// compat_forward's new.yaml with another version.current.
  std::string withVersion(const std::string& version) {
    std::string text = testing::readFile(fixture("compat_forward", "new.yaml"));
    const std::string old_line = "version: \"1.2.1\"";
    text.replace(text.find(old_line), old_line.size(), "version: " + version);
    std::string path = file("new-" + std::to_string(++count_) + ".yaml");
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
  int count_ = 0;
};

TEST_F(CliCompatibility, ABumpTooSmallIsAWarning) {
  testing::CliRun run =
      testing::runFelisc({"diff", "-o", file("up.sql"), fixture("compat_forward", "old.yaml"),
                          fixture("compat_forward", "new.yaml")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("new.yaml: warning: the changes are forward compatible (new code works on the old "
                         "schema) and need a minor version bump, but version.current goes from '1.2.0' to "
                         "'1.2.1' (a patch bump) [FEL640]"),
            std::string::npos)
      << run.err;
  EXPECT_TRUE(std::filesystem::exists(file("up.sql")));
}

TEST_F(CliCompatibility, StrictMakesItAnErrorAndWritesNothing) {
  testing::CliRun run =
      testing::runFelisc({"diff", "--strict", "-o", file("up.sql"), fixture("compat_forward", "old.yaml"),
                          fixture("compat_forward", "new.yaml")});
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_NE(run.err.find(": error: the changes are forward compatible"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("nothing was written"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(file("up.sql")));
  // Bumped enough, --strict passes and writes.
  testing::CliRun ok = testing::runFelisc({"diff", "--strict", "-o", file("up.sql"),
                                           fixture("compat_forward", "old.yaml"), withVersion("\"1.3.0\"")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;  // changes found
  EXPECT_EQ(ok.err, "");
  EXPECT_TRUE(std::filesystem::exists(file("up.sql")));
  // A version that goes down fails --strict too.
  testing::CliRun down = testing::runFelisc(
      {"diff", "--strict", fixture("compat_forward", "old.yaml"), withVersion("\"1.1.9\"")});
  EXPECT_EQ(down.exit_code, 4);
  EXPECT_NE(down.err.find("[FEL641]"), std::string::npos) << down.err;
}

TEST_F(CliCompatibility, AVersionThatIsNotNumbersIsSaidAndNotAnError) {
  testing::CliRun run = testing::runFelisc({"diff", "--strict", "--format", "json",
                                            fixture("compat_forward", "old.yaml"), withVersion("\"next\"")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("warning: version 'next' of "), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("error"), std::string::npos) << run.err;
  nlohmann::json plan = nlohmann::json::parse(run.out);
  EXPECT_EQ(plan["schema_version"]["verdict"], "not_checked");
  EXPECT_EQ(plan["schema_version"]["to"], "next");
  EXPECT_TRUE(plan["schema_version"]["bump_made"].is_null());
}

TEST_F(CliCompatibility, AMissingVersionIsANote) {
  testing::CliRun run =
      testing::runFelisc({"diff", "--strict", fixture("hazard_access_exclusive_lock", "old.yaml"),
                          fixture("hazard_access_exclusive_lock", "new.yaml")});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.err.find("old.yaml has no version; the version bump is not checked [FEL643]"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("error"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("ALTER TABLE"), std::string::npos);
}

TEST_F(CliCompatibility, JsonCarriesTheClassesAndTheCheck) {
  testing::CliRun run =
      testing::runFelisc({"diff", "--format", "json", fixture("compat_backward", "old.yaml"),
                          fixture("compat_backward", "new.yaml")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json plan = nlohmann::json::parse(run.out);
  EXPECT_EQ(plan["compatibility"]["class"], "backward");
  EXPECT_EQ(plan["compatibility"]["bump_needed"], "minor");
  EXPECT_EQ(plan["schema_version"]["bump_made"], "minor");
  EXPECT_EQ(plan["schema_version"]["verdict"], "ok");
  ASSERT_EQ(plan["steps"].size(), 1U);
  EXPECT_EQ(plan["steps"][0]["compatibility"]["class"], "backward");
  EXPECT_EQ(plan["steps"][0]["hazards"][0]["kind"], "ACQUIRES_ACCESS_EXCLUSIVE_LOCK");
  // The downgrade: its own class, no version check.
  testing::CliRun down =
      testing::runFelisc({"diff", "--format", "json", "--direction", "down",
                          fixture("compat_backward", "old.yaml"), fixture("compat_backward", "new.yaml")});
  nlohmann::json back = nlohmann::json::parse(down.out);
  EXPECT_EQ(back["compatibility"]["class"], "forward");
  EXPECT_FALSE(back.contains("schema_version"));
}

}  // namespace
}  // namespace felisc
