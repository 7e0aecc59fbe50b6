// The one exit-code table of every command (compiler/cli/cli.h, README, --help):
// 0 success (a written file or revision too), 1 findings, 2 usage / input / I/O /
// connection error, 3 data loss refused, 4 version bump too small under --strict.
#include <gtest/gtest.h>

#include <string>

#include "compiler/cli/cli.h"
#include "tests/support/cli_runner.h"
#include "tests/support/run_command.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

std::string fixture(const std::string& relative) { return (fixturesDir() / relative).string(); }

TEST(ExitCodes, ZeroIsSuccessAlsoWhenSomethingWasWritten) {
  TempDir dir;
  EXPECT_EQ(runFelisc({"validate", fixture("cli/valid.yaml")}).exit_code, cli::kExitOk);
  EXPECT_EQ(runFelisc({"create", fixture("cli/valid.yaml")}).exit_code, cli::kExitOk);
  CliRun written =
      runFelisc({"diff", "-o", dir.path() + "/up.sql", fixture("demo/old.yaml"), fixture("demo/new.yaml")});
  EXPECT_EQ(written.exit_code, cli::kExitOk) << written.err;
  EXPECT_EQ(runFelisc({"diff", fixture("demo/old.yaml"), fixture("demo/new.yaml")}).exit_code, cli::kExitOk);
}

TEST(ExitCodes, OneIsFindings) {
  EXPECT_EQ(runFelisc({"validate", fixture("cli/invalid.yaml")}).exit_code, cli::kExitFindings);
  EXPECT_EQ(runFelisc({"diff", "--exit-code", fixture("demo/old.yaml"), fixture("demo/new.yaml")}).exit_code,
            cli::kExitFindings);
  EXPECT_EQ(runFelisc({"diff", "--exit-code", fixture("demo/old.yaml"), fixture("demo/old.yaml")}).exit_code,
            cli::kExitOk);
}

TEST(ExitCodes, TwoIsUsageInputIoOrConnection) {
  EXPECT_EQ(runFelisc({"diff", fixture("demo/old.yaml")}).exit_code, cli::kExitUsage);  // usage
  // Invalid input: the same for every command that reads a schema to act on it.
  EXPECT_EQ(runFelisc({"create", fixture("cli/invalid.yaml")}).exit_code, cli::kExitUsage);
  EXPECT_EQ(runFelisc({"diff", fixture("cli/invalid.yaml"), fixture("cli/valid.yaml")}).exit_code,
            cli::kExitUsage);
  EXPECT_EQ(runFelisc({"diff", fixture("cli/valid.yaml"), fixture("no-such-file.yaml")}).exit_code,
            cli::kExitUsage);  // I/O
  EXPECT_EQ(runFelisc({"drift", "host=/nonexistent connect_timeout=1", fixture("cli/valid.yaml")}).exit_code,
            cli::kExitUsage);  // connection
  EXPECT_EQ(runFelisc({"verify", "host=/nonexistent connect_timeout=1", fixture("cli/valid.yaml")}).exit_code,
            cli::kExitUsage);
}

TEST(ExitCodes, ThreeIsDataLossRefused) {
  EXPECT_EQ(runFelisc({"diff", fixture("demo/new.yaml"), fixture("demo/old.yaml")}).exit_code,
            cli::kExitDataLoss);
}

TEST(ExitCodes, FourIsAVersionBumpTooSmallUnderStrict) {
  CliRun run = runFelisc(
      {"diff", "--strict", fixture("diff/compat_forward/old.yaml"), fixture("diff/compat_forward/new.yaml")});
  EXPECT_EQ(run.exit_code, cli::kExitVersionBump) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST(ExitCodes, TheTableIsInEveryHelp) {
  for (const char* command : {"validate", "create", "diff", "migrate", "verify", "drift", "inspect"}) {
    CliRun help = runFelisc({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.out.find("4  version bump too small under --strict"), std::string::npos)
        << command << help.out;
  }
  EXPECT_NE(runFelisc({"--help"}).out.find("3  data loss refused"), std::string::npos);
}

}  // namespace
}  // namespace felisc::testing
