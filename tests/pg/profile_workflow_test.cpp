// `verify --profile` and `drift --profile` on a real PostgreSQL, with the ConsDB
// profile (fixtures/profiles/consdb.yaml) and the ConsDB-shaped fixtures of
// fixtures/views/ (schema cdb_demo: visit1 and ccdvisit1 realized as views, a
// pgs_region spoly beside each s_region, SELECT granted to usdf and oods).
//
// verify: a pair planned by verify itself and the real `alembic upgrade --sql` /
// `alembic downgrade --sql` output of a felisc-written revision are exact (views,
// their definitions and grants, the extra columns), the database dumps
// byte-identical afterwards, and a downgrade that forgets a view's grant is caught;
// so is every consecutive pair of the cdb_latiss history.
// drift: silent on a database made with `create --profile`, and finds a revoked
// view grant and a column added by hand, in both modes.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emitters/alembic/versions.h"
#include "tests/pg/alembic_env.h"
#include "tests/support/cli_runner.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/run_command.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

std::string profile() { return (fixturesDir() / "profiles" / "consdb.yaml").string(); }
std::string base() { return (fixturesDir() / "views" / "cdb_base.yaml").string(); }
std::string withExpTime() { return (fixturesDir() / "views" / "cdb_exposure_column.yaml").string(); }

/// The whole database as pg_dump writes it (schema and rows), without the
/// `\restrict` key lines that pg_dump (15.14 and later) randomises on each run.
std::string dump(const ScratchDatabase& db) {
  const char* bindir = std::getenv("FELISC_PG_BINDIR");
  std::string pg_dump = std::string(bindir != nullptr ? bindir : "/usr/lib/postgresql/15/bin") + "/pg_dump";
  CommandResult result = runCommand({pg_dump, "--no-password", "-d", db.conninfo()});
  EXPECT_EQ(result.exit_code, 0) << "pg_dump failed:\n" << result.output;
  std::string kept;
  std::size_t start = 0;
  const std::string& out = result.output;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string_view line(out.data() + start, end - start);
    if (!line.starts_with("\\restrict") && !line.starts_with("\\unrestrict")) kept.append(line).append("\n");
    start = end + 1;
  }
  return kept;
}

/// `felisc create --profile` of `file` run in `db`, with a few rows.
void createDeployed(ScratchDatabase& db, const std::string& file) {
  CliRun create = runFelisc({"create", file, "--profile", profile()});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  ASSERT_TRUE(db.exec(create.out));
  ASSERT_TRUE(
      db.exec("INSERT INTO cdb_demo.exposure (exposure_id, day_obs, band, s_region, airmass) VALUES "
              "(1, 20240101, 'r', 'CIRCLE 1 2 3', 1.1), (2, 20240101, 'g', NULL, 1.2);"
              "INSERT INTO cdb_demo.ccdexposure (ccdexposure_id, exposure_id, detector) VALUES (10, 1, 0);"));
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from << " in:\n" << text;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string writeText(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

TEST(VerifyProfile, PlannedPairIsExactAndLeavesNoTrace) {
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  createDeployed(db, base());
  ASSERT_EQ(db.queryValue("SELECT count(*) FROM pg_views WHERE schemaname = 'cdb_demo'"), "2");
  const std::string before = dump(db);

  // OLD and NEW as files, and the database as OLD.
  CliRun from_files = runFelisc({"verify", db.conninfo(), base(), withExpTime(), "--profile", profile()});
  EXPECT_EQ(from_files.exit_code, 0) << from_files.out << from_files.err;
  EXPECT_NE(from_files.out.find("start: 3 tables, 2 views\n  the catalog equals " + base() + "\n"),
            std::string::npos)
      << from_files.out;
  EXPECT_NE(from_files.out.find("result: exact"), std::string::npos) << from_files.out;
  CliRun from_database = runFelisc({"verify", db.conninfo(), withExpTime(), "--profile", profile()});
  EXPECT_EQ(from_database.exit_code, 0) << from_database.out << from_database.err;
  EXPECT_NE(from_database.out.find("result: exact"), std::string::npos) << from_database.out;

  // Without the profile the files do not describe this database: not exact.
  CliRun plain = runFelisc({"verify", db.conninfo(), base(), withExpTime()});
  EXPECT_EQ(plain.exit_code, 1) << plain.out << plain.err;
  EXPECT_NE(plain.out.find("    table visit1: missing\n"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("ADD COLUMN cannot be performed on relation \"visit1\""), std::string::npos)
      << plain.out;

  EXPECT_EQ(dump(db), before) << "verify left a trace";
}

TEST(VerifyProfile, SchemaThatDoesNotExistYetGetsItsViews) {
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  CliRun run = runFelisc({"verify", db.conninfo(), base(), "--profile", profile()});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("start: the schema does not exist\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("result: exact"), std::string::npos) << run.out;
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_namespace WHERE nspname = 'cdb_demo'"), "0");
}

TEST(VerifyProfile, RealAlembicOfflineScriptsOfAFeliscRevision) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path project = fs::path(dir.path()) / "demo";
  alembic_env::writeProject(project, "cdb_demo_version");
  CliRun revision = runFelisc({"diff", base(), withExpTime(), "--profile", profile(), "--format", "alembic",
                               "--alembic-dir", project.string(), "--create-date", "2024-01-01 00:00:00"});
  ASSERT_EQ(revision.exit_code, 0) << revision.err;
  alembic::AlembicVersions versions = alembic::readAlembicVersions((project / "versions").string());
  ASSERT_TRUE(versions.ok() && versions.head) << alembic::renderAlembicDiagnostics(versions);

  // Alembic's offline SQL, both directions, as a ConsDB maintainer would review it.
  CommandResult up = alembic_env::run(project, {"upgrade", "head", "--sql"}, "");
  ASSERT_EQ(up.exit_code, 0) << up.output;
  CommandResult down = alembic_env::run(project, {"downgrade", *versions.head + ":base", "--sql"}, "");
  ASSERT_EQ(down.exit_code, 0) << down.output;
  ASSERT_NE(up.output.find("CREATE VIEW cdb_demo.visit1 AS"), std::string::npos) << up.output;
  ASSERT_NE(down.output.find("GRANT SELECT ON cdb_demo.visit1 TO oods"), std::string::npos) << down.output;
  const std::string up_sql = writeText(fs::path(dir.path()) / "up.sql", up.output);
  const std::string down_sql = writeText(fs::path(dir.path()) / "down.sql", down.output);

  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec("CREATE SCHEMA cdb"));  // ConsDB keeps Alembic's version tables there
  createDeployed(db, base());
  const std::string before = dump(db);
  const std::vector<std::string> args = {"verify", db.conninfo(), "--upgrade",   up_sql,      "--downgrade",
                                         down_sql, "--target",    withExpTime(), "--profile", profile()};
  CliRun run = runFelisc(args);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("  the catalog equals a fresh create of " + withExpTime()), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("result: exact"), std::string::npos) << run.out;

  // A downgrade that recreates visit1 without its grant to oods is caught.
  const std::string wrong =
      writeText(fs::path(dir.path()) / "wrong_down.sql",
                replaced(down.output, "GRANT SELECT ON cdb_demo.visit1 TO oods", "SELECT 1"));
  std::vector<std::string> wrong_args = args;
  wrong_args[5] = wrong;
  CliRun caught = runFelisc(wrong_args);
  EXPECT_EQ(caught.exit_code, 1) << caught.out << caught.err;
  EXPECT_NE(caught.out.find("downgrade (" + wrong + ")"), std::string::npos) << caught.out;
  EXPECT_NE(caught.out.find("    view visit1: grants: expected (SELECT to oods, SELECT to usdf), got (SELECT "
                            "to usdf)\n"),
            std::string::npos)
      << caught.out;
  EXPECT_NE(caught.out.find("result: NOT exact: 1 difference"), std::string::npos) << caught.out;

  // An upgrade that recreates visit1 with a WHERE: the view's definition, compared
  // with pg_get_viewdef of the fresh target's view over the temporary tables.
  const std::string narrowed =
      writeText(fs::path(dir.path()) / "wrong_up.sql",
                replaced(up.output, "exposure.exp_time FROM cdb_demo.exposure;",
                         "exposure.exp_time FROM cdb_demo.exposure WHERE exposure.airmass > 1;"));
  std::vector<std::string> narrowed_args = args;
  narrowed_args[3] = narrowed;
  CliRun definition = runFelisc(narrowed_args);
  EXPECT_EQ(definition.exit_code, 1) << definition.out << definition.err;
  EXPECT_NE(
      definition.out.find("    view visit1: definition: expected  SELECT exposure.exposure_id AS visit_id,"),
      std::string::npos)
      << definition.out;
  EXPECT_NE(definition.out.find("  WHERE (exposure.airmass > (1)::double precision);\n"), std::string::npos)
      << definition.out;
  EXPECT_NE(definition.out.find("  the catalog equals the start"), std::string::npos) << definition.out;

  EXPECT_EQ(dump(db), before) << "verify left a trace";
}

// Every consecutive pair of the cdb_latiss history, as ConsDB deploys it: the
// database holds a `create --profile` of the older version; verify --profile plans
// the pair and finds both directions exact, and drift --profile is silent on it.
TEST(VerifyProfile, EveryCdbLatissPairIsExactAndDriftIsSilent) {
  const std::vector<fs::path> files = yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss");
  ASSERT_GE(files.size(), 33u);
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  std::size_t with_views = 0;
  for (std::size_t i = 1; i < files.size(); ++i) {
    const std::string old_file = files[i - 1].string();
    const std::string new_file = files[i].string();
    ASSERT_TRUE(db.exec("DROP SCHEMA IF EXISTS cdb_latiss CASCADE"));
    CliRun create = runFelisc({"create", old_file, "--profile", profile()});
    ASSERT_EQ(create.exit_code, 0) << create.err;
    ASSERT_TRUE(db.exec(create.out)) << old_file;
    with_views +=
        db.queryValue("SELECT count(*) FROM pg_views WHERE schemaname = 'cdb_latiss'") == "2" ? 1 : 0;
    CliRun drift = runFelisc({"drift", db.conninfo(), old_file, "--profile", profile()});
    EXPECT_EQ(drift.exit_code, 0) << old_file << "\n" << drift.out << drift.err;
    CliRun run = runFelisc({"verify", db.conninfo(), old_file, new_file, "--profile", profile()});
    EXPECT_EQ(run.exit_code, 0) << new_file << "\n" << run.out << run.err;
    EXPECT_NE(run.out.find("result: exact"), std::string::npos) << new_file << "\n" << run.out;
  }
  EXPECT_GE(with_views, 30u) << "03 and later have visit1 and ccdvisit1";
}

TEST(DriftProfile, SilentOnACreateProfileDatabaseThenFindsARevokedGrantAndAColumn) {
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  createDeployed(db, base());
  for (const char* mode : {"", "--read-only"}) {
    std::vector<std::string> args = {"drift", db.conninfo(), base(), "--profile", profile()};
    if (*mode != '\0') args.push_back(mode);
    CliRun run = runFelisc(args);
    EXPECT_EQ(run.exit_code, 0) << mode << run.out << run.err;
    EXPECT_EQ(run.out, "") << mode;
  }
  // The file alone does not say what ConsDB deploys.
  CliRun plain = runFelisc({"drift", db.conninfo(), base()});
  EXPECT_EQ(plain.exit_code, 1) << plain.err;
  EXPECT_NE(plain.out.find("table visit1: missing"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("table exposure: column pgs_region: unexpected"), std::string::npos) << plain.out;

  ASSERT_TRUE(
      db.exec("REVOKE SELECT ON cdb_demo.visit1 FROM oods;"
              "ALTER TABLE cdb_demo.exposure ADD COLUMN extra integer"));
  const std::string expected =
      "table exposure: column extra: unexpected\n"
      "view visit1: grants: expected (SELECT to oods, SELECT to usdf), got (SELECT to usdf)\n";
  for (const char* mode : {"", "--read-only"}) {
    std::vector<std::string> args = {"drift", db.conninfo(), base(), "--profile", profile()};
    if (*mode != '\0') args.push_back(mode);
    CliRun run = runFelisc(args);
    EXPECT_EQ(run.exit_code, 1) << mode << run.err;
    EXPECT_EQ(run.out, expected) << mode;
  }
  CliRun json = runFelisc({"drift", db.conninfo(), base(), "--profile", profile(), "--format", "json"});
  EXPECT_EQ(json.exit_code, 1) << json.err;
  nlohmann::json report = nlohmann::json::parse(json.out);
  ASSERT_EQ(report["differences"].size(), 2U) << json.out;
  EXPECT_EQ(report["differences"][1]["path"], nlohmann::json({"view visit1"}));
  EXPECT_EQ(report["differences"][1]["what"], "grants");
}

TEST(DriftProfile, ABadProfileIsAUsageOrInputError) {
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  CliRun missing = runFelisc({"drift", db.conninfo(), base(), "--profile", "/nonexistent/profile.yaml"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  CliRun verify = runFelisc({"verify", db.conninfo(), base(), "--profile", "/nonexistent/profile.yaml"});
  EXPECT_EQ(verify.exit_code, 2) << verify.err;
}

}  // namespace
}  // namespace felisc::testing
