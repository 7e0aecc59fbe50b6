// `felisc verify` and `felisc drift` on a real PostgreSQL.
//
// verify: a fixture pair of our own and every consecutive pair of the
// cdb_latiss history are proven exact, and afterwards the database dumps
// byte-identical to before (pg_dump, schema and rows); a wrong downgrade, a
// wrong upgrade and a failing statement are caught and reported; Alembic
// offline scripts (BEGIN ... COMMIT, alembic_version) verify too.
// drift: silent on a database created from the file, and names a column added
// by hand and a comment changed by hand.
// The catalog reader inside a caller's transaction is tested here as well.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/catalog/connection.h"
#include "compiler/catalog/reader.h"
#include "compiler/felis/reader.h"
#include "compiler/verify/sql_script.h"
#include "emitters/postgres_ddl.h"
#include "tests/support/cli_runner.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) { return (fixturesDir() / "verify" / name).string(); }

/// The whole database as pg_dump writes it (schema and rows), without the
/// `\restrict` key lines that pg_dump (15.14 and later) randomises on each run.
std::string dump(const ScratchDatabase& db) {
  const char* bindir = std::getenv("FELISC_PG_BINDIR");
  std::string pg_dump = std::string(bindir != nullptr ? bindir : "/usr/lib/postgresql/15/bin") + "/pg_dump";
  std::string command = "'" + pg_dump + "' --no-password -d '" + db.conninfo() + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return {};
  }
  std::string out;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << "pg_dump failed:\n" << out;
  std::string kept;
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string_view line(out.data() + start, end - start);
    if (!line.starts_with("\\restrict") && !line.starts_with("\\unrestrict")) kept.append(line).append("\n");
    start = end + 1;
  }
  return kept;
}

/// A directory of its own for the scripts of one test, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() : path_(fs::temp_directory_path() / uniqueDatabaseName()) { fs::create_directories(path_); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  /// Writes `text` to `name` here; returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return (path_ / name).string();
  }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

model::Schema readFelis(const std::string& path) {
  felis::ReadOptions options;
  options.strict_felis = false;
  felis::ReadResult read = felis::readFelisFile(path, options);
  EXPECT_TRUE(read.schema) << felis::renderDiagnostics(read);
  return read.schema ? *read.schema : model::Schema{};
}

/// A database holding the fixture's old.yaml with a few rows, so that the
/// scripts run on data.
void createOld(ScratchDatabase& db) {
  ASSERT_TRUE(db.exec(emit::createSchemaSql(readFelis(fixture("old.yaml")))));
  ASSERT_TRUE(
      db.exec("INSERT INTO verify_demo.exposure VALUES (1, 20240101, 'r', '2024-01-01 01:00'), "
              "(2, 20240101, 'g', '2024-01-01 02:00');"
              "INSERT INTO verify_demo.visit (exposure_id) VALUES (1), (2);"
              "INSERT INTO verify_demo.flags VALUES (1, 0), (2, 3);"));
}

/// `felisc diff old new` written to up.sql and down.sql in `dir`.
void planScripts(const ScratchDir& dir) {
  CliRun diff = runFelisc({"diff", fixture("old.yaml"), fixture("new.yaml"), "--allow-data-loss", "-o",
                           dir.file("up.sql"), "--down-output", dir.file("down.sql")});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
}

std::string readText(const std::string& path) { return readFile(path); }

/// `text` with the first line holding `needle` removed (one statement of a plan).
std::string withoutLineHolding(const std::string& text, const std::string& needle) {
  std::size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  if (at == std::string::npos) return text;
  std::size_t begin = text.rfind('\n', at) + 1;
  std::size_t end = text.find('\n', at);
  return text.substr(0, begin) + text.substr(end + 1);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(Verify, FixturePairIsExactAndLeavesNoTrace) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  createOld(db);
  const std::string before = dump(db);
  ASSERT_NE(before.find("CREATE TABLE verify_demo.flags"), std::string::npos);

  // The plan made by verify itself, from OLD the file and from the database.
  CliRun from_file = runFelisc({"verify", db.conninfo(), fixture("old.yaml"), fixture("new.yaml")});
  EXPECT_EQ(from_file.exit_code, 0) << from_file.out << from_file.err;
  EXPECT_NE(from_file.out.find("  the catalog equals " + fixture("old.yaml") + "\n"), std::string::npos)
      << from_file.out;
  EXPECT_NE(from_file.out.find("result: exact"), std::string::npos) << from_file.out;
  EXPECT_NE(from_file.out.find("rolled back: nothing was committed"), std::string::npos);
  // airmass sits before obs_start in new.yaml; PostgreSQL appends it: a note, not a difference.
  EXPECT_NE(
      from_file.out.find("note (PostgreSQL appends added columns): table exposure: column order: expected "
                         "(exposure_id, day_obs, band, airmass, obs_start), got (exposure_id, day_obs, "
                         "band, obs_start, airmass)"),
      std::string::npos)
      << from_file.out;
  CliRun from_database = runFelisc({"verify", db.conninfo(), fixture("new.yaml")});
  EXPECT_EQ(from_database.exit_code, 0) << from_database.out << from_database.err;

  // The scripts of `felisc diff`, given as files, and the JSON report.
  ScratchDir dir;
  planScripts(dir);
  CliRun scripts = runFelisc({"verify", db.conninfo(), "--upgrade", dir.file("up.sql"), "--downgrade",
                              dir.file("down.sql"), "--target", fixture("new.yaml"), "--format", "json"});
  ASSERT_EQ(scripts.exit_code, 0) << scripts.out << scripts.err;
  nlohmann::json report = nlohmann::json::parse(scripts.out);
  EXPECT_EQ(report["result"], "exact");
  EXPECT_EQ(report["schema"], "verify_demo");
  EXPECT_EQ(report["upgrade"]["skipped"], 2);  // the script's BEGIN and COMMIT
  EXPECT_EQ(report["upgrade"]["run"], 12);     // with SET LOCAL lock_timeout
  EXPECT_EQ(report["downgrade"]["run"], 11);
  EXPECT_TRUE(report["upgrade"]["differences"].empty());
  EXPECT_EQ(report["upgrade"]["notes"].size(), 1u);
  EXPECT_TRUE(report["downgrade"]["differences"].empty());
  EXPECT_TRUE(report["failure"].is_null());
  EXPECT_EQ(report["rolled_back"], true);
  // Deterministic: the same run gives the same bytes.
  CliRun again = runFelisc({"verify", db.conninfo(), "--upgrade", dir.file("up.sql"), "--downgrade",
                            dir.file("down.sql"), "--target", fixture("new.yaml"), "--format", "json"});
  EXPECT_EQ(again.out, scripts.out);

  EXPECT_EQ(dump(db), before) << "verify left a trace";
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM verify_demo.flags"), "2");
}

TEST(Verify, SchemaThatDoesNotExistYet) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  const std::string before = dump(db);
  // OLD is the database, which lacks the schema: the plan creates it and drops it again.
  CliRun run = runFelisc({"verify", db.conninfo(), fixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("start: the schema does not exist"), std::string::npos) << run.out;
  EXPECT_EQ(dump(db), before);
}

TEST(Verify, DatabaseAsOldKeepsAlembicVersionOutOfThePlan) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  createOld(db);
  ASSERT_TRUE(
      db.exec("CREATE TABLE verify_demo.alembic_version (version_num varchar(32) PRIMARY KEY);"
              "INSERT INTO verify_demo.alembic_version VALUES ('0f3c9a7e21b4')"));
  const std::string before = dump(db);
  // The plan from the database to new.yaml neither drops nor compares the version table.
  CliRun run = runFelisc({"verify", db.conninfo(), fixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("upgrade (<planned upgrade>): 12 of 14 statements run"), std::string::npos)
      << run.out;
  EXPECT_EQ(dump(db), before);
}

TEST(Verify, SchemaOverride) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(emit::createSchemaSql(readFelis(fixture("old.yaml")), {.schema_name = "other"})));
  const std::string before = dump(db);
  CliRun run =
      runFelisc({"verify", db.conninfo(), fixture("old.yaml"), fixture("new.yaml"), "--schema", "other"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("felisc verify: schema other in database " + db.name()), std::string::npos)
      << run.out;
  run = runFelisc({"drift", db.conninfo(), fixture("old.yaml"), "--schema", "other"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(dump(db), before);
}

TEST(Verify, WrongDowngradeIsCaught) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  createOld(db);
  const std::string before = dump(db);
  ScratchDir dir;
  planScripts(dir);
  const std::string up = dir.file("up.sql");
  const std::string down = readText(dir.file("down.sql"));

  // One statement left out: airmass is never dropped.
  std::string missing = dir.write("down_missing.sql", withoutLineHolding(down, "DROP COLUMN airmass"));
  CliRun run = runFelisc(
      {"verify", db.conninfo(), "--upgrade", up, "--downgrade", missing, "--target", fixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("  the catalog equals a fresh create of " + fixture("new.yaml")), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  1 difference from the start:\n    table exposure: column airmass: unexpected\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("result: NOT exact: 1 difference"), std::string::npos) << run.out;

  // A column re-added with another type, in the JSON report.
  std::string retyped = dir.write("down_retyped.sql", replaced(down, "status integer,", "status bigint,"));
  run = runFelisc({"verify", db.conninfo(), "--upgrade", up, "--downgrade", retyped, "--target",
                   fixture("new.yaml"), "--format", "json"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  nlohmann::json report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["result"], "different");
  EXPECT_TRUE(report["upgrade"]["differences"].empty());
  ASSERT_EQ(report["downgrade"]["differences"].size(), 1u) << run.out;
  const nlohmann::json& difference = report["downgrade"]["differences"][0];
  EXPECT_EQ(difference["path"], nlohmann::json({"table flags", "column status"}));
  EXPECT_EQ(difference["what"], "type");
  EXPECT_EQ(difference["expected"], "integer");
  EXPECT_EQ(difference["actual"], "bigint");
  EXPECT_EQ(difference["text"], "table flags: column status: type: expected integer, got bigint");

  // A wrong upgrade: a comment left out. The downgrade still gives back the start.
  std::string no_comment = dir.write(
      "up_no_comment.sql", withoutLineHolding(readText(up), "COMMENT ON COLUMN verify_demo.exposure.band"));
  run = runFelisc({"verify", db.conninfo(), "--upgrade", no_comment, "--downgrade", dir.file("down.sql"),
                   "--target", fixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(
      run.out.find("  1 difference from a fresh create of " + fixture("new.yaml") +
                   ":\n    table exposure: column band: description: expected Name of the filter band., "
                   "got Filter band.\n"),
      std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  the catalog equals the start"), std::string::npos) << run.out;

  EXPECT_EQ(dump(db), before);
}

TEST(Verify, FailingStatementIsReportedAndNothingPersists) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  createOld(db);
  const std::string before = dump(db);
  ScratchDir dir;
  planScripts(dir);

  // A bad statement after six that succeed (BEGIN is skipped, not run).
  const std::string bad = "ALTER TABLE verify_demo.exposure ADD COLUMN x integr;\n";
  std::string text = readText(dir.file("up.sql"));
  text.insert(text.find("-- add column visit.seeing"), bad);
  std::string up = dir.write("up_bad.sql", text);
  verify::Script split = verify::splitScript(text, up);
  std::size_t index = 0;
  for (std::size_t i = 0; i < split.statements.size(); ++i)
    if (split.statements[i].text + ";\n" == bad) index = i + 1;
  ASSERT_EQ(index, 8u);  // BEGIN, SET LOCAL lock_timeout, five steps, the bad one
  const std::size_t line = split.statements[index - 1].pos.line;

  CliRun run = runFelisc({"verify", db.conninfo(), "--upgrade", up, "--downgrade", dir.file("down.sql"),
                          "--target", fixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  // The server's error position (the type name) in the file.
  EXPECT_NE(
      run.err.find(up + ":" + std::to_string(line) + ":" + std::to_string(bad.find("integr") + 1) +
                   ": error: upgrade statement 8 failed: type \"integr\" does not exist (SQLSTATE 42704) "
                   "[FEL690]"),
      std::string::npos)
      << run.err;
  EXPECT_NE(run.out.find("  failed: upgrade statement 8 (" + up + ":" + std::to_string(line) + ") failed"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("    ALTER TABLE verify_demo.exposure ADD COLUMN x integr\n"), std::string::npos);
  EXPECT_NE(run.out.find("downgrade: not run"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("result: FAILED at upgrade statement 8"), std::string::npos) << run.out;

  // In the downgrade, as JSON: the upgrade was compared first.
  std::string down_text = readText(dir.file("down.sql"));
  down_text.insert(down_text.find("-- drop table ccdvisit"), "SELECT 1 / 0;\n");
  std::string down = dir.write("down_bad.sql", down_text);
  run = runFelisc({"verify", db.conninfo(), "--upgrade", dir.file("up.sql"), "--downgrade", down, "--target",
                   fixture("new.yaml"), "--format", "json"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  nlohmann::json report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["result"], "failed");
  EXPECT_EQ(report["upgrade"]["compared"], true);
  EXPECT_EQ(report["downgrade"]["compared"], false);
  EXPECT_EQ(report["failure"]["step"], "downgrade");
  EXPECT_EQ(report["failure"]["sqlstate"], "22012");
  EXPECT_EQ(report["failure"]["message"], "division by zero");
  EXPECT_EQ(report["failure"]["first_line"], "SELECT 1 / 0");
  EXPECT_EQ(report["rolled_back"], true);

  // Statements 2 to 6 of the upgrade ran (flags dropped, airmass added): none of it stayed.
  EXPECT_EQ(dump(db), before);
}

TEST(Verify, AlembicOfflineScripts) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  createOld(db);
  const std::string before = dump(db);
  const std::vector<std::string> args = {"verify",      db.conninfo(),
                                         "--upgrade",   fixture("alembic_up.sql"),
                                         "--downgrade", fixture("alembic_down.sql"),
                                         "--target",    fixture("new.yaml")};
  CliRun run = runFelisc(args);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("upgrade (" + fixture("alembic_up.sql") +
                         "): 13 of 15 statements run, 2 transaction control skipped"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("result: exact"), std::string::npos) << run.out;

  // Without the default --ignore-table, Alembic's version table is what differs.
  std::vector<std::string> strict = args;
  strict.insert(strict.end(), {"--ignore-table", "none"});
  run = runFelisc(strict);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("  1 difference from a fresh create of " + fixture("new.yaml") +
                         ":\n    table alembic_version: unexpected\n"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(dump(db), before);
}

TEST(Verify, ScriptsThatEndTheTransactionAreRefused) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  createOld(db);
  const std::string before = dump(db);
  ScratchDir dir;
  std::string up = dir.write("up.sql", "BEGIN;\nDROP TABLE verify_demo.flags;\nCOMMIT;\nROLLBACK;\n");
  std::string prepare = dir.write("down.sql", "BEGIN;\nPREPARE TRANSACTION 'x';\n");
  CliRun run = runFelisc(
      {"verify", db.conninfo(), "--upgrade", up, "--downgrade", prepare, "--target", fixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find(up + ":4:1: error: ROLLBACK would end the transaction"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find(prepare + ":2:1: error: PREPARE TRANSACTION would end the transaction"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(dump(db), before);
}

TEST(Verify, DatabaseThatIsNotOld) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  createOld(db);
  // The plan new -> old, on a database that holds old: the start differs from
  // OLD, and the plan's first statement fails.
  CliRun run = runFelisc({"verify", db.conninfo(), fixture("new.yaml"), fixture("old.yaml")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("differences from " + fixture("new.yaml") + " (the plan was made for it):"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("    table ccdvisit: missing\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("result: FAILED at upgrade statement"), std::string::npos) << run.out;
}

/// history/cdb_latiss: every consecutive pair, proven by verify on a database
/// holding the older version (pgsphere installed), which dumps the same after.
class VerifyHistory : public ::testing::TestWithParam<int> {};

std::vector<fs::path> history() { return yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss"); }

TEST_P(VerifyHistory, PairIsExactAndLeavesNoTrace) {
  const std::vector<fs::path> files = history();
  const std::size_t i = static_cast<std::size_t>(GetParam());
  ASSERT_LT(i + 1, files.size());
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(emit::createSchemaSql(readFelis(files[i].string()))));
  const std::string before = dump(db);
  CliRun run = runFelisc({"verify", db.conninfo(), files[i].string(), files[i + 1].string()});
  EXPECT_EQ(run.exit_code, 0) << files[i].filename() << " -> " << files[i + 1].filename() << "\n"
                              << run.out << run.err;
  EXPECT_EQ(dump(db), before);
}

std::string pairName(const ::testing::TestParamInfo<int>& info) {
  const std::vector<fs::path> files = history();
  const auto i = static_cast<std::size_t>(info.param);
  if (i + 1 >= files.size()) return "pair" + std::to_string(info.param);
  return "v" + files[i].filename().string().substr(0, 2) + "_to_v" +
         files[i + 1].filename().string().substr(0, 2);
}

// 33 versions at the time of writing: 32 pairs (VerifyHistoryCorpus checks there are that many).
INSTANTIATE_TEST_SUITE_P(CdbLatiss, VerifyHistory, ::testing::Range(0, 32), pairName);

TEST(VerifyHistoryCorpus, HasThirtyThreeVersions) { EXPECT_GE(history().size(), 33u); }

// A round trip that is exact leaves the same schema even if it were committed;
// an upgrade alone would not: after verify, the database must still be the old version.
TEST(VerifyHistoryCorpus, UpgradeWithoutItsDowngradeIsRolledBack) {
  const std::vector<fs::path> files = history();
  ASSERT_GE(files.size(), 33u);
  const fs::path& old_file = files[29];  // 30 -> 31: three columns in visit1_quicklook, four comments
  const fs::path& new_file = files[30];
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(emit::createSchemaSql(readFelis(old_file.string()))));
  const std::string before = dump(db);
  ScratchDir dir;
  CliRun diff = runFelisc({"diff", old_file.string(), new_file.string(), "-o", dir.file("up.sql")});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  std::string down = dir.write("down.sql", "-- nothing\n");
  CliRun run = runFelisc({"verify", db.conninfo(), "--upgrade", dir.file("up.sql"), "--downgrade", down,
                          "--target", new_file.string()});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("  the catalog equals a fresh create of " + new_file.string()), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  7 differences from the start:\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("    table visit1_quicklook: column astrom_ra: unexpected\n"), std::string::npos)
      << run.out;
  EXPECT_EQ(dump(db), before);
}

TEST(Drift, SilentOnADatabaseCreatedFromTheFile) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(emit::createSchemaSql(readFelis(fixture("new.yaml")))));
  CliRun run = runFelisc({"drift", db.conninfo(), fixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "");
  run = runFelisc({"drift", db.conninfo(), fixture("new.yaml"), "--format", "json"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["result"], "equal");
  // --read-only compares with the file's own text: the check the server rewrote
  // (`airmass BETWEEN 1 AND 5`) is its one known blind spot.
  run = runFelisc({"drift", db.conninfo(), fixture("new.yaml"), "--read-only"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_EQ(
      run.out,
      "table exposure: constraint ck_exposure_airmass: expression: expected airmass BETWEEN 1 AND 5, got "
      "((airmass >= (1)::double precision) AND (airmass <= (5)::double precision))\n");
  // Alembic's version table is not drift.
  ASSERT_TRUE(db.exec("CREATE TABLE verify_demo.alembic_version (version_num varchar(32) PRIMARY KEY)"));
  run = runFelisc({"drift", db.conninfo(), fixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

TEST(Drift, FindsAColumnAddedByHandAndAChangedComment) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(emit::createSchemaSql(readFelis(fixture("new.yaml")))));
  ASSERT_TRUE(
      db.exec("ALTER TABLE verify_demo.exposure ADD COLUMN extra integer;"
              "COMMENT ON COLUMN verify_demo.exposure.band IS 'Changed by hand.'"));
  const std::string expected =
      "table exposure: column band: description: expected Name of the filter band., got Changed by hand.\n"
      "table exposure: column extra: unexpected\n";
  for (const char* mode : {"", "--read-only"}) {
    std::vector<std::string> args = {"drift", db.conninfo(), fixture("new.yaml")};
    if (*mode != '\0') args.push_back(mode);
    CliRun run = runFelisc(args);
    EXPECT_EQ(run.exit_code, 1) << mode << run.err;
    // --read-only also reports the check the server rewrote (see above), after these.
    EXPECT_EQ(run.out.substr(0, expected.size()), expected) << mode;
    if (*mode == '\0') {
      EXPECT_EQ(run.out, expected);
    }
  }
  CliRun run = runFelisc({"drift", db.conninfo(), fixture("new.yaml"), "--format", "json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  nlohmann::json report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["result"], "drift");
  EXPECT_EQ(report["schema"], "verify_demo");
  ASSERT_EQ(report["differences"].size(), 2u) << run.out;
  EXPECT_EQ(report["differences"][0]["path"], nlohmann::json({"table exposure", "column band"}));
  EXPECT_EQ(report["differences"][0]["what"], "description");
  EXPECT_EQ(report["differences"][0]["expected"], "Name of the filter band.");
  EXPECT_EQ(report["differences"][0]["actual"], "Changed by hand.");
  EXPECT_EQ(report["differences"][1]["path"], nlohmann::json({"table exposure", "column extra"}));
  EXPECT_EQ(report["differences"][1]["what"], "unexpected");

  // Under another name (--schema), against a schema that is not there at all.
  run = runFelisc({"drift", db.conninfo(), fixture("new.yaml"), "--schema", "elsewhere"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.out, "schema elsewhere: missing\n");
}

TEST(Drift, ColumnOrderIsANoteNotDrift) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  createOld(db);
  CliRun up = runFelisc({"diff", fixture("old.yaml"), fixture("new.yaml"), "--allow-data-loss"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  ASSERT_TRUE(db.exec(up.out));
  CliRun run = runFelisc({"drift", db.conninfo(), fixture("new.yaml")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("felisc: note: table exposure: column order:"), std::string::npos) << run.err;
}

TEST(CatalogReaderInTransaction, SeesUncommittedDdlWithTheSameQueryCount) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  catalog::Error error;
  std::optional<catalog::Connection> connection = catalog::Connection::open(db.conninfo(), error);
  ASSERT_TRUE(connection) << error.message;
  ASSERT_TRUE(connection->exec("BEGIN", error)) << error.message;
  ASSERT_TRUE(connection->exec("CREATE SCHEMA s", error)) << error.message;
  ASSERT_TRUE(connection->exec("CREATE TABLE s.t (a integer CHECK (a > 0))", error)) << error.message;
  ASSERT_TRUE(connection->exec("SELECT pg_catalog.set_config('search_path', 's', true)", error));
  connection->resetQueryCount();

  catalog::CatalogResult result = catalog::readSchemas(*connection, {"s"}, catalog::ReadTransaction::Caller);
  ASSERT_FALSE(result.diagnostics.hasErrors());
  ASSERT_EQ(result.schemas.size(), 1u);
  ASSERT_EQ(result.schemas[0].tables.size(), 1u);
  EXPECT_EQ(result.schemas[0].tables[0].name, "t");
  EXPECT_EQ(connection->queryCount(), catalog::queriesPerRead());

  // The caller's transaction goes on as it was: open, healthy, its search_path kept.
  EXPECT_TRUE(connection->inTransaction());
  auto path = connection->exec("SHOW search_path", error);
  ASSERT_TRUE(path) << error.message;
  EXPECT_EQ(path->get(0, 0), "s");
  // A schema that does not exist is reported, and the transaction still works.
  result = catalog::readSchemas(*connection, {"nope"}, catalog::ReadTransaction::Caller);
  EXPECT_TRUE(result.diagnostics.hasErrors());
  EXPECT_TRUE(connection->exec("INSERT INTO s.t VALUES (1)", error)) << error.message;

  ASSERT_TRUE(connection->exec("ROLLBACK", error));
  result = catalog::readSchemas(*connection, {"s"});
  EXPECT_TRUE(result.diagnostics.hasErrors()) << "schema s outlived the rollback";
}

}  // namespace
}  // namespace felisc::testing
