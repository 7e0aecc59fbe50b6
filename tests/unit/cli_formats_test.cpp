// Output formats of the command line for CI: `validate --format github` (GitHub
// Actions workflow annotations, shown on the pull request's lines).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

/// Runs felisc inside `dir`, so that file names stay relative as in a checkout.
CliRun runIn(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  std::filesystem::path cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  CliRun run = runFelisc(args);
  std::filesystem::current_path(cwd);
  return run;
}

void expectGolden(const std::filesystem::path& golden, const std::string& actual) {
  const char* update = std::getenv("FELISC_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(actual, readFile(golden))
      << "the output differs from " << golden
      << "; if intended, rerun with FELISC_UPDATE_GOLDEN=1 and review the diff";
}

TEST(CliFormats, ValidateGithubAnnotations) {
  CliRun run = runIn(fixturesDir() / "cli", {"validate", "--format", "github", "valid.yaml", "invalid.yaml"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("::error file=invalid.yaml,line=8,col=5::unknown key 'nulable'"), std::string::npos)
      << run.out;
  expectGolden(fixturesDir() / "cli" / "invalid.github", run.out);
  // Every line is an annotation; the count stays on stderr.
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) EXPECT_TRUE(line.starts_with("::error ")) << line;
  EXPECT_NE(run.err.find("2 files checked"), std::string::npos) << run.err;
}

TEST(CliFormats, ValidateGithubOnRealFilesWithWarnings) {
  // history/cdb_latiss 02 predates felis's strict rules: warnings, as annotations.
  std::filesystem::path history = sdmSchemasDir() / "history" / "cdb_latiss";
  std::string file;
  for (const auto& path : yamlFilesIn(history))
    if (path.filename().string().starts_with("02_")) file = path.filename().string();
  CliRun run = runIn(history, {"validate", "--format", "github", file});
  expectGolden(fixturesDir() / "cli" / "cdb_latiss_02.github", run.out);
}

TEST(CliFormats, GithubEscapesPercentAndNewlines) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "felisc-github-escape";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a,b%.yaml")
      << "---\nname: s\ntables:\n- name: t\n  columns:\n  - name: c\n    datatype: "
         "int\n    nulable: false\n";
  CliRun run = runIn(dir, {"validate", "--format", "github", "a,b%.yaml"});
  std::filesystem::remove_all(dir);
  EXPECT_NE(run.out.find("::error file=a%2Cb%25.yaml,line="), std::string::npos) << run.out;
}

}  // namespace
}  // namespace felisc::testing
