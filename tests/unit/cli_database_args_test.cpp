// The database side of the command line (issue 14): the DB argument may be left
// out everywhere it appears, as psql's, and every error of compiler/cli is a
// catalogue diagnostic with its code.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/cli/database_args.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

std::string demo(const std::string& name) { return (fixturesDir() / "demo" / name).string(); }

using Split = cli::DatabaseArguments;

void expectSplit(const std::vector<std::string>& positionals, std::size_t min_files, std::size_t max_files,
                 const std::string& database, const std::vector<std::string>& files) {
  Split split = cli::splitDatabaseArgument(positionals, min_files, max_files);
  EXPECT_EQ(split.database, database) << ::testing::PrintToString(positionals);
  EXPECT_EQ(split.files, files) << ::testing::PrintToString(positionals);
}

TEST(CliDatabaseArgument, DriftTakesAnOptionalDbBeforeFile) {
  const std::string file = demo("old.yaml");
  expectSplit({file}, 1, 1, "", {file});                  // the PG* environment
  expectSplit({"consdb", file}, 1, 1, "consdb", {file});  // a database name, as psql
  expectSplit({"", file}, 1, 1, "", {file});              // "" as before
  expectSplit({"main:yml/cdb_latiss.yaml"}, 1, 1, "", {"main:yml/cdb_latiss.yaml"});
  expectSplit({"postgresql+psycopg2://u@h/consdb"}, 1, 1, "postgresql+psycopg2://u@h/consdb", {});
  expectSplit({"host=h dbname=d"}, 1, 1, "host=h dbname=d", {});
  expectSplit({"host=h", "password=p", file}, 1, 1, "host=h", {"password=p", file});
}

TEST(CliDatabaseArgument, VerifyTellsDbFromOldByTheFile) {
  const std::string old_file = demo("old.yaml");
  const std::string new_file = demo("new.yaml");
  expectSplit({new_file}, 1, 2, "", {new_file});
  expectSplit({old_file, new_file}, 1, 2, "", {old_file, new_file});
  expectSplit({"main:yml/cdb_latiss.yaml", new_file}, 1, 2, "", {"main:yml/cdb_latiss.yaml", new_file});
  expectSplit({"consdb", new_file}, 1, 2, "consdb", {new_file});
  expectSplit({"postgresql://h/d", new_file}, 1, 2, "postgresql://h/d", {new_file});
  expectSplit({"dbname=d", old_file, new_file}, 1, 2, "dbname=d", {old_file, new_file});
  // --upgrade/--downgrade/--target: no files, so an argument is DB.
  expectSplit({}, 0, 0, "", {});
  expectSplit({"consdb"}, 0, 0, "consdb", {});
}

TEST(CliDatabaseArgument, FelisSidesAndDatabases) {
  EXPECT_TRUE(cli::isFelisArgument("-"));
  EXPECT_TRUE(cli::isFelisArgument("missing.yaml"));
  EXPECT_TRUE(cli::isFelisArgument(demo("old.yaml")));
  EXPECT_FALSE(cli::isFelisArgument("consdb"));
  EXPECT_TRUE(cli::looksLikeDatabase("postgres://h/d"));
  EXPECT_TRUE(cli::looksLikeDatabase("port=5433"));
  EXPECT_FALSE(cli::looksLikeDatabase("consdb"));
  EXPECT_FALSE(cli::looksLikeDatabase(demo("old.yaml")));
}

TEST(CliDatabaseArgument, SchemaSuggestionIsTheOptionsEditDistance) {
  EXPECT_EQ(cli::closestName("cdb_latis", {"cdb_latiss", "cdb_lsstcam", "public"}), "cdb_latiss");
  EXPECT_EQ(cli::closestName("cdb_xyz_other", {"cdb_latiss", "public"}), std::nullopt);
}

/// Runs felisc with FELIS_ENGINE_URL naming an unreachable host: a command that
/// connects with the environment names that host.
CliRun withEngineUrl(const std::vector<std::string>& args) {
  ::setenv("FELIS_ENGINE_URL", "postgresql://felis@127.0.0.3:1/felis", 1);
  CliRun run = runFelisc(args);
  ::unsetenv("FELIS_ENGINE_URL");
  return run;
}

TEST(CliDatabaseArgument, LeftOutDbConnectsWithTheEnvironment) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"drift", demo("old.yaml")},
                                               {"verify", demo("new.yaml")},
                                               {"verify", demo("old.yaml"), demo("new.yaml")},
                                               {"inspect", "--schema", "cdb_demo"},
                                               {"drift", "--tap", demo("old.yaml")}}) {
    CliRun run = withEngineUrl(args);
    EXPECT_EQ(run.exit_code, 2) << args[0] << ' ' << args[1];
    EXPECT_NE(run.err.find("cannot connect to the database"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("127.0.0.3"), std::string::npos) << run.err;
  }
}

TEST(CliDatabaseArgument, DriftWithoutFileSaysSoWithoutEchoingTheConninfo) {
  CliRun run = runFelisc({"drift", "postgresql://u:secret@127.0.0.1:1/d"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("FILE is required [FEL708]"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("secret"), std::string::npos) << run.err;
  CliRun unquoted = runFelisc({"drift", "host=h", "password=secret", demo("old.yaml")});
  EXPECT_EQ(unquoted.exit_code, 2);
  EXPECT_NE(unquoted.err.find("drift: unexpected arguments (not shown"), std::string::npos) << unquoted.err;
  EXPECT_EQ(unquoted.err.find("secret"), std::string::npos) << unquoted.err;
}

TEST(CliDatabaseArgument, HelpShowsTheDbArgumentOptional) {
  EXPECT_NE(runFelisc({"help", "drift"}).out.find("[DB] FILE"), std::string::npos);
  EXPECT_NE(runFelisc({"help", "verify"}).out.find("[DB] [OLD] NEW"), std::string::npos);
  EXPECT_NE(runFelisc({"help", "inspect"}).out.find("[DB]"), std::string::npos);
  EXPECT_NE(runFelisc({"help", "drift"}).out.find("PG* environment, as psql"), std::string::npos);
}

/// Every `felisc: error:`, warning and note of compiler/cli goes through the
/// catalogue: no such text is written by hand.
TEST(CliCatalogue, NoFreeFormDiagnosticsInTheCommandLine) {
  for (const auto& entry : fs::directory_iterator(fs::path(FELISC_SOURCE_DIR) / "compiler" / "cli")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    for (const char* written : {"\"felisc: error", "\"felisc: warning", "\"felisc: note"})
      EXPECT_EQ(text.str().find(written), std::string::npos) << entry.path() << " writes " << written;
  }
}

TEST(CliCatalogue, CommandLineErrorsCarryTheirCodeAndExplainIt) {
  CliRun unknown = runFelisc({"frob"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("felisc: error: unknown command 'frob' [FEL701]"), std::string::npos)
      << unknown.err;
  CliRun both = runFelisc({"migrate", "--sdm-schemas", ".", "--base", "main", "--alembic-dir", ".",
                           "--profile", "consdb", "--no-profile"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(both.err, "felisc: error: give --profile or --no-profile, not both [FEL709]\n");
  CliRun sides = runFelisc({"diff", demo("old.yaml")});
  EXPECT_EQ(sides.exit_code, 2);
  EXPECT_NE(sides.err.find("[FEL717]"), std::string::npos) << sides.err;
  for (const char* code : {"FEL508", "FEL509", "FEL620", "FEL621", "FEL701", "FEL725"}) {
    CliRun explain = runFelisc({"explain", code});
    EXPECT_EQ(explain.exit_code, 0) << code;
    EXPECT_TRUE(explain.out.starts_with(code)) << explain.out;
  }
  EXPECT_NE(runFelisc({"explain", "FEL701"}).out.find("Command line"), std::string::npos);
}

}  // namespace
}  // namespace felisc::testing
