// `felisc verify` and `felisc drift` without a database: usage errors, inputs
// that cannot be read, and connections that fail all exit 2 and never echo a
// password. (What they find on a database: tests/pg/verify_test.cpp.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

using testing::runFelisc;

std::string verifyFixture(const std::string& name) {
  return (testing::fixturesDir() / "verify" / name).string();
}

/// Nothing listens on port 1: libpq fails at once, without a server.
const std::string kNoServer = "host=127.0.0.1 port=1 connect_timeout=2 user=nobody dbname=nothing";

void expectUsage(const std::vector<std::string>& args, const std::string& words) {
  testing::CliRun run = runFelisc(args);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find(words), std::string::npos) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST(CliVerify, UsageErrors) {
  const std::string target = verifyFixture("new.yaml");
  const std::string old = verifyFixture("old.yaml");
  expectUsage({"verify"}, "give [OLD] NEW");  // DB may be left out (the PG* environment)
  expectUsage({"verify", kNoServer}, "give [OLD] NEW");
  expectUsage({"verify", kNoServer, old, target, target}, "give [OLD] NEW");
  expectUsage({"verify", kNoServer, "--upgrade", "up.sql"},
              "--upgrade, --downgrade and --target go together");
  expectUsage({"verify", kNoServer, old, "--upgrade", "u.sql", "--downgrade", "d.sql", "--target", target},
              "not both");
  expectUsage({"verify", kNoServer, "--upgrade", "u.sql", "--downgrade", "d.sql", "--target", target,
               "--rename", "a=b"},
              "--rename and --backfill shape a plan");
  expectUsage({"verify", kNoServer, target, "--format", "xml"}, "--format");
  expectUsage({"drift", kNoServer}, "FILE is required");
  expectUsage({"drift", kNoServer, target, "--format", "yaml"}, "--format");
}

TEST(CliVerify, UnquotedConninfoIsNeverEchoed) {
  // `felisc verify host=h password=hunter2 new.yaml`: the shell split the conninfo.
  testing::CliRun run = runFelisc({"verify", "host=h", "password=hunter2", verifyFixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("not shown"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("hunter2"), std::string::npos) << run.err;
  run = runFelisc({"drift", "host=h", "password=hunter2", verifyFixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.find("hunter2"), std::string::npos) << run.err;
  run = runFelisc({"drift", "host=h", "password=hunter2"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.find("hunter2"), std::string::npos) << run.err;
}

TEST(CliVerify, UnreadableInputsStopBeforeConnecting) {
  const std::string target = verifyFixture("new.yaml");
  // The connection would fail too; the file errors come first and alone.
  testing::CliRun run = runFelisc({"verify", kNoServer, "--upgrade", "/nonexistent/up.sql", "--downgrade",
                                   verifyFixture("alembic_down.sql"), "--target", target});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("/nonexistent/up.sql"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("connect"), std::string::npos) << run.err;
  run = runFelisc({"verify", kNoServer, "/nonexistent/new.yaml"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("/nonexistent/new.yaml"), std::string::npos) << run.err;
  // An invalid Felis file is an input error here (exit 1 means "not exact").
  run = runFelisc({"verify", kNoServer, (testing::fixturesDir() / "cli" / "invalid.yaml").string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("error:"), std::string::npos) << run.err;
  run = runFelisc({"drift", kNoServer, "/nonexistent/new.yaml"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("/nonexistent/new.yaml"), std::string::npos) << run.err;
}

TEST(CliVerify, ConnectionFailuresAreReportedWithoutPasswords) {
  const std::string conninfo = kNoServer + " password=hunter2";
  for (const char* command : {"verify", "drift"}) {
    testing::CliRun run = runFelisc({command, conninfo, verifyFixture("new.yaml")});
    EXPECT_EQ(run.exit_code, 2) << command;
    EXPECT_NE(run.err.find("error: cannot connect to the database"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("[FEL502]"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("hunter2"), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "");
  }
}

TEST(CliVerify, HelpListsTheCommands) {
  testing::CliRun run = runFelisc({"--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("verify"), std::string::npos);
  EXPECT_NE(run.out.find("drift"), std::string::npos);
  run = runFelisc({"verify", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("--upgrade"), std::string::npos);
  EXPECT_NE(run.out.find("--lock-timeout"), std::string::npos);
}

}  // namespace
}  // namespace felisc
