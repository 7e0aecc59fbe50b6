// The database side of the command line on a real server (issue 14): a left-out
// DB connects with the PG* environment, as psql, and a misspelled schema is one
// error, with a did-you-mean from the catalog, in every command that reads one.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/run_command.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

std::string demo(const std::string& name) { return (fixturesDir() / "demo" / name).string(); }

/// The keywords of a `key=value ...` conninfo (the test server's have no quoting).
std::map<std::string, std::string> keywords(const std::string& conninfo) {
  std::map<std::string, std::string> out;
  std::istringstream words(conninfo);
  for (std::string word; words >> word;)
    if (std::size_t eq = word.find('='); eq != std::string::npos)
      out[word.substr(0, eq)] = word.substr(eq + 1);
  return out;
}

/// Sets PGHOST, PGPORT, PGUSER and PGDATABASE to `conninfo`'s for its lifetime,
/// with felis's and ConsDB's URLs out of the way.
class PgEnvironment {
 public:
  explicit PgEnvironment(const std::string& conninfo) {
    std::map<std::string, std::string> words = keywords(conninfo);
    for (const auto& [keyword, variable] : std::map<std::string, std::string>{
             {"host", "PGHOST"}, {"port", "PGPORT"}, {"user", "PGUSER"}, {"dbname", "PGDATABASE"}})
      if (words.contains(keyword)) set(variable, words[keyword]);
    unset("FELIS_ENGINE_URL");
    unset("CONSDB_URL");
  }
  PgEnvironment(const PgEnvironment&) = delete;
  PgEnvironment& operator=(const PgEnvironment&) = delete;
  ~PgEnvironment() {
    for (const auto& [variable, value] : saved_) {
      if (value)
        ::setenv(variable.c_str(), value->c_str(), 1);
      else
        ::unsetenv(variable.c_str());
    }
  }

 private:
  void remember(const std::string& variable) {
    if (saved_.contains(variable)) return;
    const char* value = std::getenv(variable.c_str());
    saved_[variable] = value ? std::optional<std::string>(value) : std::nullopt;
  }
  void set(const std::string& variable, const std::string& value) {
    remember(variable);
    ::setenv(variable.c_str(), value.c_str(), 1);
  }
  void unset(const std::string& variable) {
    remember(variable);
    ::unsetenv(variable.c_str());
  }
  std::map<std::string, std::optional<std::string>> saved_;
};

/// A database holding cdb_demo, created from the demo's old.yaml.
class DemoDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.ok());
    CliRun create = runFelisc({"create", demo("old.yaml")});
    ASSERT_EQ(create.exit_code, 0) << create.err;
    ASSERT_TRUE(db.exec(create.out));
  }
  ScratchDatabase db;
};

using CliDatabaseEnvironment = DemoDatabase;

TEST_F(CliDatabaseEnvironment, DriftFileReachesTheServerOfThePgVariables) {
  PgEnvironment environment(db.conninfo());
  CliRun equal = runFelisc({"drift", demo("old.yaml")});
  EXPECT_EQ(equal.exit_code, 0) << equal.out << equal.err;
  EXPECT_EQ(equal.out, "");
  CliRun drifted = runFelisc({"drift", demo("new.yaml"), "--format", "json"});
  EXPECT_EQ(drifted.exit_code, 1) << drifted.out << drifted.err;
  EXPECT_NE(drifted.out.find("\"database\": \"" + db.name() + "\""), std::string::npos) << drifted.out;
  // DB FILE as before, and "" as before.
  EXPECT_EQ(runFelisc({"drift", db.conninfo(), demo("old.yaml")}).exit_code, 0);
  EXPECT_EQ(runFelisc({"drift", "", demo("old.yaml")}).exit_code, 0);
}

TEST_F(CliDatabaseEnvironment, VerifyAndInspectToo) {
  PgEnvironment environment(db.conninfo());
  CliRun verify = runFelisc({"verify", demo("new.yaml")});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("in database " + db.name()), std::string::npos) << verify.out;
  CliRun pair = runFelisc({"verify", demo("old.yaml"), demo("new.yaml")});
  EXPECT_EQ(pair.exit_code, 0) << pair.out << pair.err;
  CliRun inspect = runFelisc({"inspect", "--schema", "cdb_demo", "--format", "json"});
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("\"cdb_demo\""), std::string::npos) << inspect.out.substr(0, 500);
}

/// The one error every command gives for the misspelled schema `cdb_dem`.
const std::string kMisspelled =
    "felisc: error: schema 'cdb_dem' is not in the database; did you mean 'cdb_demo'? [FEL509]\n";

using CliMisspelledSchema = DemoDatabase;

TEST_F(CliMisspelledSchema, Drift) {
  TempDir dir;
  const std::string output = (fs::path(dir.path()) / "drift.txt").string();
  CliRun run = runFelisc({"drift", db.conninfo(), demo("old.yaml"), "--schema", "cdb_dem", "-o", output});
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_EQ(run.err, kMisspelled);
  EXPECT_EQ(run.out, "");
  EXPECT_FALSE(fs::exists(output));
}

TEST_F(CliMisspelledSchema, Verify) {
  CliRun run = runFelisc({"verify", db.conninfo(), demo("new.yaml"), "--schema", "cdb_dem"});
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_EQ(run.err, kMisspelled);
  EXPECT_EQ(run.out, "");
}

TEST_F(CliMisspelledSchema, Inspect) {
  CliRun run = runFelisc({"inspect", db.conninfo(), "--schema", "cdb_dem"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, kMisspelled);
  EXPECT_EQ(run.out, "");
  CliRun far = runFelisc({"inspect", db.conninfo(), "--schema", "nothing_like_it"});
  EXPECT_EQ(far.err, "felisc: error: schema 'nothing_like_it' is not in the database [FEL508]\n");
}

TEST_F(CliMisspelledSchema, DiffOldDb) {
  CliRun run = runFelisc({"diff", "--old-db", db.conninfo(), "--schema", "cdb_dem", demo("new.yaml")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, kMisspelled);
  EXPECT_EQ(run.out, "");
}

TEST_F(CliMisspelledSchema, MigrateOldDb) {
  // The file names cdb_demo; the database has it as cdb_demo2 only.
  ASSERT_TRUE(db.exec("ALTER SCHEMA cdb_demo RENAME TO cdb_demo2"));
  TempDir repo;
  const fs::path yml = fs::path(repo.path()) / "yml";
  const fs::path versions = fs::path(repo.path()) / "alembic" / "demo" / "versions";
  fs::create_directories(yml);
  fs::create_directories(versions);
  fs::copy_file(demo("old.yaml"), yml / "cdb_demo.yaml");
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", repo.path()});
    CommandResult result = runCommand(args);
    ASSERT_EQ(result.exit_code, 0) << result.output;
  };
  git({"init", "-q"});
  git({"add", "yml"});
  git({"-c", "user.name=felisc", "-c", "user.email=felisc@example.org", "commit", "-q", "-m", "base"});
  fs::copy_file(demo("new.yaml"), yml / "cdb_demo.yaml", fs::copy_options::overwrite_existing);
  CliRun run = runFelisc({"migrate", "--sdm-schemas", repo.path(), "--base", "HEAD", "--alembic-dir",
                          (fs::path(repo.path()) / "alembic").string(), "--no-profile", "--old-db",
                          db.conninfo(), "--allow-data-loss", "--create-date", "2025-01-01 00:00:00"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(
      run.err.find(
          "felisc: error: schema 'cdb_demo' is not in the database; did you mean 'cdb_demo2'? [FEL509]\n"),
      std::string::npos)
      << run.err;
  EXPECT_TRUE(fs::is_empty(versions)) << "nothing written";
}

TEST_F(CliMisspelledSchema, TapDrift) {
  CliRun init = runFelisc({"tap", "create", "--init", demo("old.yaml")});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  ASSERT_TRUE(db.exec(init.out));
  CliRun run =
      runFelisc({"drift", "--tap", db.conninfo(), demo("old.yaml"), "--tap-schema-name", "TAP_SCHEM"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(
      run.err,
      "felisc: error: schema 'TAP_SCHEM' is not in the database; did you mean 'TAP_SCHEMA'? [FEL509]\n");
  EXPECT_EQ(run.out, "");
  CliRun right = runFelisc({"drift", "--tap", db.conninfo(), demo("old.yaml")});
  EXPECT_EQ(right.exit_code, 0) << right.out << right.err;
}

TEST(CliProfileHint, VerifyFromADeployedDatabaseHintsAtProfile) {
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  const std::string base = (fixturesDir() / "views" / "cdb_base.yaml").string();
  CliRun create = runFelisc({"create", base, "--profile", "consdb"});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  ASSERT_TRUE(db.exec(create.out));
  CliRun plain = runFelisc({"verify", db.conninfo(), base});
  EXPECT_NE(
      plain.err.find("felisc: note: tables of the file are views in the database (visit1, ccdvisit1): was "
                     "it deployed with a profile? compare with --profile PROFILE [FEL621]"),
      std::string::npos)
      << plain.err;
  CliRun profiled = runFelisc({"verify", db.conninfo(), base, "--profile", "consdb"});
  EXPECT_EQ(profiled.exit_code, 0) << profiled.out << profiled.err;
  EXPECT_EQ(profiled.err.find("[FEL621]"), std::string::npos) << profiled.err;
}

}  // namespace
}  // namespace felisc::testing
