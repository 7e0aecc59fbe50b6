// The felisc command driven in-process: exit codes, where output goes, and that
// a failed run writes nothing.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

std::string fixture(const std::string& name) { return (testing::fixturesDir() / "cli" / name).string(); }

/// A fresh temporary directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("felisc-cli-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }
  [[nodiscard]] std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_))
      names.push_back(entry.path().filename());
    return names;
  }

 private:
  std::filesystem::path path_;
};

void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(Cli, VersionAndHelp) {
  testing::CliRun version = testing::runFelisc({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, "felisc " FELISC_TEST_VERSION "\n");
  for (const char* command : {"validate", "create"}) {
    testing::CliRun help = testing::runFelisc({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.out.find(command), std::string::npos) << help.out;
  }
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(testing::runFelisc({}).exit_code, 2);
  EXPECT_EQ(testing::runFelisc({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(testing::runFelisc({"validate"}).exit_code, 2);
  EXPECT_EQ(testing::runFelisc({"validate", "--no-such-flag", fixture("valid.yaml")}).exit_code, 2);
}

TEST(Cli, ValidateValidFileExitsZero) {
  testing::CliRun result = testing::runFelisc({"validate", fixture("valid.yaml")});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err.find("error:"), std::string::npos) << result.err;
}

TEST(Cli, ValidateReportsEveryErrorOfAFileClangStyle) {
  testing::CliRun result = testing::runFelisc({"validate", fixture("invalid.yaml")});
  EXPECT_EQ(result.exit_code, 1);
  const std::string file = fixture("invalid.yaml");
  // The misspelt key and the missing length, both in one run, with line:col.
  EXPECT_NE(result.err.find(file + ":8:5: error: unknown key 'nulable'"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(file + ":10:5: error: column 'exposure.band'"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("      nulable: false\n      ^\n"), std::string::npos) << result.err;
}

TEST(Cli, ValidateJsonForCi) {
  testing::CliRun result =
      testing::runFelisc({"validate", "--format", "json", fixture("valid.yaml"), fixture("invalid.yaml")});
  EXPECT_EQ(result.exit_code, 1);
  nlohmann::json report = nlohmann::json::parse(result.out);
  EXPECT_FALSE(report["valid"].get<bool>());
  ASSERT_EQ(report["files"].size(), 2u);
  EXPECT_TRUE(report["files"][0]["valid"].get<bool>());
  EXPECT_FALSE(report["files"][1]["valid"].get<bool>());
  const nlohmann::json& first = report["files"][1]["diagnostics"][0];
  EXPECT_EQ(first["severity"], "error");
  EXPECT_EQ(first["line"], 8);
  EXPECT_EQ(first["column"], 5);
  EXPECT_TRUE(first["code"].get<std::string>().starts_with("FEL"));
}

TEST(Cli, MissingFileIsAnIoErrorExitTwo) {
  testing::CliRun result =
      testing::runFelisc({"validate", fixture("valid.yaml"), fixture("no-such-file.yaml")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(fixture("no-such-file.yaml") + ": error: cannot read file"), std::string::npos)
      << result.err;
}

TEST(Cli, CreateWritesDeterministicDdl) {
  testing::CliRun first = testing::runFelisc({"create", fixture("valid.yaml")});
  testing::CliRun second = testing::runFelisc({"create", fixture("valid.yaml")});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, second.out);
  EXPECT_NE(first.out.find("CREATE SCHEMA cli_demo;"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("CREATE TABLE cli_demo.exposure ("), std::string::npos) << first.out;
}

TEST(Cli, CreateSchemaOverride) {
  testing::CliRun result = testing::runFelisc({"create", "--schema", "Other", fixture("valid.yaml")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("CREATE SCHEMA \"Other\";"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("cli_demo."), std::string::npos) << result.out;
}

TEST(Cli, CreateOutputFileMatchesStdout) {
  TempDir dir;
  testing::CliRun to_file = testing::runFelisc({"create", "-o", dir.file("out.sql"), fixture("valid.yaml")});
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_TRUE(to_file.out.empty());
  EXPECT_EQ(testing::readFile(dir.file("out.sql")),
            testing::runFelisc({"create", fixture("valid.yaml")}).out);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.sql"});  // no temporary left behind
}

TEST(Cli, FailedCreateWritesNothingAndKeepsAnOldOutput) {
  TempDir dir;
  testing::CliRun fresh = testing::runFelisc({"create", "-o", dir.file("new.sql"), fixture("invalid.yaml")});
  EXPECT_EQ(fresh.exit_code, 2);
  EXPECT_TRUE(dir.entries().empty());
  writeText(dir.file("old.sql"), "-- previous output\n");
  testing::CliRun over = testing::runFelisc({"create", "-o", dir.file("old.sql"), fixture("invalid.yaml")});
  EXPECT_EQ(over.exit_code, 2);
  EXPECT_EQ(testing::readFile(dir.file("old.sql")), "-- previous output\n");
}

TEST(Cli, HostileInputIsRefusedWithTheFileNamed) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"empty.yaml", ""},
      {"garbage.yaml", std::string("\x7f\x45\x4c\x46\x02\x01\x01\x00\xff\xfe\x00\x13", 12)},
      {"bad-utf8.yaml", "name: caf\xc3\n"},
      {"unclosed.yaml", "name: [a, b\ntables: []\n"},
      {"laughs.yaml",
       "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
       "name: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\ntables: []\n"},
      {"deep.yaml", std::string(100000, '[') + std::string(100000, ']') + "\n"},
      {"scalar.yaml", "just a string\n"},
      {"list.yaml", "- name: x\n"},
  };
  for (const auto& [name, text] : inputs) {
    writeText(dir.file(name), text);
    for (const char* command : {"validate", "create"}) {
      testing::CliRun result = testing::runFelisc({command, dir.file(name)});
      EXPECT_TRUE(result.exit_code == 1 || result.exit_code == 2)
          << command << " " << name << ": " << result.err;
      EXPECT_NE(result.err.find(dir.file(name) + ":"), std::string::npos)
          << command << " " << name << ": " << result.err;
      EXPECT_NE(result.err.find("error:"), std::string::npos) << command << " " << name << ": " << result.err;
      EXPECT_TRUE(result.out.empty()) << command << " " << name;
    }
  }
}

}  // namespace
}  // namespace felisc
