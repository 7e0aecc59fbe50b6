// felisc's Alembic revisions run by the real Alembic (Debian's python3-alembic
// 1.8, SQLAlchemy 1.4, psycopg2) on PostgreSQL 15:
//
//  - the whole cdb_latiss history: from an empty ConsDB-shaped database (schema
//    cdb_latiss, the version table in schema cdb, pgsphere, the usdf/oods roles
//    of the test cluster), `felisc diff --format alembic --alembic-dir` of every
//    consecutive pair (the first from an empty schema), `alembic upgrade head`
//    gives the catalog of a fresh create of the last version, the `--sql`
//    (offline) script does too, and `alembic downgrade base` gives back the
//    empty schema; the same with the ConsDB deployment profile (views visit1 and
//    ccdvisit1, their grants, pgs_region), against a fresh `create --profile`;
//  - every golden case (fixtures/alembic/ and fixtures/diff/, so every change
//    kind): upgrade and downgrade online, then the offline scripts, each
//    compared with fresh creates of both sides.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "emitters/alembic/versions.h"
#include "emitters/postgres_ddl.h"
#include "tests/pg/alembic_env.h"
#include "tests/pg/diff_roundtrip.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_paths.h"
#include "tests/unit/alembic_golden.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

model::Schema readVersion(const fs::path& file) {
  felis::ReadOptions options;
  options.strict_felis = false;  // history 02-09 reuse constraint names, as felis allowed then
  felis::ReadResult read = felis::readFelisFile(file.string(), options);
  EXPECT_TRUE(read.schema) << felis::renderDiagnostics(read);
  return read.schema ? *read.schema : model::Schema{};
}

/// The catalogs of two schemas, possibly in two databases, hold the same thing.
void expectSameCatalogs(const model::Schema& want, const model::Schema& got, const std::string& what) {
  std::vector<std::string> differences =
      model::compareSchemas(diffcheck::normalized(want), diffcheck::normalized(got));
  EXPECT_TRUE(differences.empty()) << what << ":\n" << diffcheck::joinLines(differences);
}

TEST(AlembicHistory, UpgradeHeadEqualsAFreshCreateAndDowngradeBaseEmptiesTheSchema) {
  const auto started = std::chrono::steady_clock::now();
  const std::vector<fs::path> files = yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss");
  ASSERT_GE(files.size(), 33u);
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path project = dir.path();
  alembic_env::writeProject(project, "cdb_latiss_version");

  // One revision per pair that changes what the database holds.
  const fs::path empty = project / "empty.yaml";
  std::ofstream(empty) << "---\nname: cdb_latiss\ntables: []\n";
  std::string previous = empty.string();
  std::size_t written = 0;
  for (const fs::path& file : files) {
    CliRun run = runFelisc({"diff", previous, file.string(), "--format", "alembic", "--alembic-dir",
                            project.string(), "--allow-data-loss", "--create-date", "2024-01-01 00:00:00",
                            "--exit-code"});
    ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << file << ":\n" << run.err;
    written += run.exit_code == 1 ? 1 : 0;
    previous = file.string();
  }
  alembic::AlembicVersions versions = alembic::readAlembicVersions((project / "versions").string());
  ASSERT_TRUE(versions.ok()) << alembic::renderAlembicDiagnostics(versions);
  ASSERT_EQ(versions.files.size(), written);
  EXPECT_GE(written, 20u) << "most pairs of the history change the database";
  ASSERT_TRUE(versions.head);

  // An empty ConsDB-shaped database.
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec("CREATE SCHEMA cdb; CREATE SCHEMA cdb_latiss"));
  ASSERT_EQ(db.queryValue("SELECT count(*) FROM pg_roles WHERE rolname IN ('usdf', 'oods')"), "2");
  const model::Schema start = diffcheck::readCatalog(db, "cdb_latiss");

  CommandResult up = alembic_env::run(project, {"upgrade", "head"}, db.conninfo());
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(db.queryValue("SELECT version_num FROM cdb.cdb_latiss_version"), *versions.head);

  ScratchDatabase fresh({.pg_sphere = true});
  ASSERT_TRUE(fresh.ok());
  const model::Schema last = readVersion(files.back());
  ASSERT_TRUE(fresh.exec(emit::createSchemaSql(last)));
  const model::Schema reference = diffcheck::readCatalog(fresh, "cdb_latiss");
  ASSERT_FALSE(reference.tables.empty());
  expectSameCatalogs(reference, diffcheck::readCatalog(db, "cdb_latiss"),
                     "alembic upgrade head vs fresh create");

  // The same revisions as one offline script (`alembic upgrade head --sql`).
  CommandResult offline = alembic_env::run(project, {"upgrade", "head", "--sql"}, "");
  ASSERT_EQ(offline.exit_code, 0) << offline.output;
  ScratchDatabase scripted({.pg_sphere = true});
  ASSERT_TRUE(scripted.ok());
  ASSERT_TRUE(scripted.exec("CREATE SCHEMA cdb; CREATE SCHEMA cdb_latiss"));
  ASSERT_TRUE(scripted.exec(offline.output));
  expectSameCatalogs(reference, diffcheck::readCatalog(scripted, "cdb_latiss"),
                     "alembic upgrade head --sql vs fresh create");

  CommandResult down = alembic_env::run(project, {"downgrade", "base"}, db.conninfo());
  ASSERT_EQ(down.exit_code, 0) << down.output;
  const model::Schema end = diffcheck::readCatalog(db, "cdb_latiss");
  EXPECT_TRUE(end.tables.empty());
  EXPECT_FALSE(end.description);
  expectSameCatalogs(start, end, "alembic downgrade base vs the empty start");
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM cdb.cdb_latiss_version"), "0");

  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
  std::cout << "[ alembic  ] " << written << " revisions of " << files.size() << " versions, applied and "
            << "reverted by Alembic in " << seconds << " s\n";
}

/// The names of the views of `schema`, comma separated, in catalog order.
std::string viewList(const model::Schema& schema) {
  std::string text;
  for (const model::View& view : schema.views) text += (text.empty() ? "" : ", ") + view.name;
  return text;
}

// The same history as ConsDB deploys it: every revision written with the ConsDB
// profile (visit1/ccdvisit1 as views over exposure/ccdexposure, granted to usdf
// and oods; pgs_region spoly beside every s_region). The reference is a fresh
// `felisc create --profile` of the last version in a database of its own, read
// from its catalog, so the views' pg_get_viewdef definitions, comments, owners
// and grants compare exactly.
TEST(AlembicHistory, WithTheConsdbProfileUpgradeHeadEqualsAFreshCreateProfile) {
  const auto started = std::chrono::steady_clock::now();
  const std::vector<fs::path> files = yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss");
  ASSERT_GE(files.size(), 33u);
  const std::string profile = (fixturesDir() / "profiles" / "consdb.yaml").string();
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path project = dir.path();
  alembic_env::writeProject(project, "cdb_latiss_version");

  const fs::path empty = project / "empty.yaml";
  std::ofstream(empty) << "---\nname: cdb_latiss\ntables: []\n";
  std::string previous = empty.string();
  std::size_t written = 0;
  std::string first_with_views;  // the revision that creates visit1 and ccdvisit1
  for (const fs::path& file : files) {
    CliRun run = runFelisc({"diff", previous, file.string(), "--profile", profile, "--format", "alembic",
                            "--alembic-dir", project.string(), "--allow-data-loss", "--create-date",
                            "2024-01-01 00:00:00", "--exit-code"});
    ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << file << ":\n" << run.err;
    if (run.exit_code == 1) {
      ++written;
      std::string path = run.out.substr(0, run.out.find('\n'));
      if (first_with_views.empty() &&
          readFile(path).find("CREATE VIEW cdb_latiss.visit1 AS") != std::string::npos)
        first_with_views = path;
    }
    previous = file.string();
  }
  alembic::AlembicVersions versions = alembic::readAlembicVersions((project / "versions").string());
  ASSERT_TRUE(versions.ok()) << alembic::renderAlembicDiagnostics(versions);
  ASSERT_EQ(versions.files.size(), written);
  ASSERT_TRUE(versions.head);
  // 01 has neither visit1 nor ccdvisit1; 03 brings both, and its revision creates the views.
  ASSERT_FALSE(first_with_views.empty());
  EXPECT_NE(readFile(first_with_views).find("CREATE VIEW cdb_latiss.ccdvisit1 AS"), std::string::npos);
  EXPECT_NE(readFile(first_with_views).find("GRANT SELECT ON cdb_latiss.visit1 TO oods"), std::string::npos);

  // An empty ConsDB-shaped database.
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec("CREATE SCHEMA cdb; CREATE SCHEMA cdb_latiss"));
  const model::Schema start = diffcheck::readCatalog(db, "cdb_latiss");

  CommandResult up = alembic_env::run(project, {"upgrade", "head"}, db.conninfo());
  ASSERT_EQ(up.exit_code, 0) << up.output;
  EXPECT_EQ(db.queryValue("SELECT version_num FROM cdb.cdb_latiss_version"), *versions.head);

  ScratchDatabase fresh({.pg_sphere = true});
  ASSERT_TRUE(fresh.ok());
  CliRun create = runFelisc({"create", files.back().string(), "--profile", profile});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  ASSERT_TRUE(fresh.exec(create.out));
  const model::Schema reference = diffcheck::readCatalog(fresh, "cdb_latiss");
  ASSERT_EQ(viewList(reference), "ccdvisit1, visit1");
  ASSERT_NE(reference.findTable("exposure"), nullptr);
  ASSERT_NE(reference.findTable("exposure")->findColumn("pgs_region"), nullptr);
  ASSERT_EQ(reference.findView("visit1")->grants.size(), 2u);
  const model::Schema upgraded = diffcheck::readCatalog(db, "cdb_latiss");
  expectSameCatalogs(reference, upgraded, "alembic upgrade head vs fresh create --profile");
  // compareSchemas compares views only when both sides have some: make sure they do.
  EXPECT_EQ(viewList(upgraded), "ccdvisit1, visit1");

  // The offline script of the same revisions gives the same.
  CommandResult offline = alembic_env::run(project, {"upgrade", "head", "--sql"}, "");
  ASSERT_EQ(offline.exit_code, 0) << offline.output;
  ScratchDatabase scripted({.pg_sphere = true});
  ASSERT_TRUE(scripted.ok());
  ASSERT_TRUE(scripted.exec("CREATE SCHEMA cdb; CREATE SCHEMA cdb_latiss"));
  ASSERT_TRUE(scripted.exec(offline.output));
  const model::Schema scripted_catalog = diffcheck::readCatalog(scripted, "cdb_latiss");
  expectSameCatalogs(reference, scripted_catalog, "alembic upgrade head --sql vs fresh create --profile");
  EXPECT_EQ(viewList(scripted_catalog), "ccdvisit1, visit1");

  CommandResult down = alembic_env::run(project, {"downgrade", "base"}, db.conninfo());
  ASSERT_EQ(down.exit_code, 0) << down.output;
  const model::Schema end = diffcheck::readCatalog(db, "cdb_latiss");
  EXPECT_TRUE(end.tables.empty());
  EXPECT_TRUE(end.views.empty());
  expectSameCatalogs(start, end, "alembic downgrade base vs the empty start");
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM cdb.cdb_latiss_version"), "0");

  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
  std::cout << "[ alembic  ] ConsDB profile: " << written << " revisions of " << files.size()
            << " versions, applied and reverted by Alembic in " << seconds << " s\n";
}

/// One golden case in a schema of its own (the revision qualifies names with
/// it), with fresh creates of both sides beside it, all in one database.
struct CaseRun {
  std::string name;
  DiffCase diff_case;
  fs::path project;
  bool absent = false;        ///< the old side has no schema: the revision creates it
  model::Schema old_catalog;  ///< of the fresh create of the old side
  model::Schema new_catalog;  ///< of the fresh create of the new side
  [[nodiscard]] std::string schema() const { return "c_" + name; }
  [[nodiscard]] std::string refOld() const { return schema() + "_old"; }
  [[nodiscard]] std::string refNew() const { return schema() + "_new"; }
};

/// A case only a catalog can make (Felis cannot say hash, partial or unique
/// indexes, identity columns, serial columns outside the key or deferred
/// foreign keys with actions): both sides created from SQL, read back, diffed.
constexpr const char* kCatalogOld = R"(
CREATE SCHEMA {s};
CREATE TABLE {s}.t (id integer PRIMARY KEY, v text, w integer);
COMMENT ON TABLE {s}.t IS 'From a catalog.';
)";
constexpr const char* kCatalogNew = R"(
CREATE SCHEMA {s};
CREATE TABLE {s}.t (id integer PRIMARY KEY, v text, w integer CHECK (w > 0 AND w < 1000),
                    n bigint GENERATED BY DEFAULT AS IDENTITY, counter serial);
CREATE INDEX t_v_hash ON {s}.t USING hash (v);
CREATE UNIQUE INDEX t_w_partial ON {s}.t (w) WHERE w > 0;
CREATE INDEX t_lower_v ON {s}.t (lower(v), w);
COMMENT ON INDEX {s}.t_v_hash IS 'Hash index.';
CREATE TABLE {s}.child (id integer PRIMARY KEY,
                        t_id integer REFERENCES {s}.t (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);
)";

std::string inSchema(std::string sql, const std::string& schema) {
  for (auto at = sql.find("{s}"); at != std::string::npos; at = sql.find("{s}", at + schema.size()))
    sql.replace(at, 3, schema);
  return sql;
}

/// Runs the jobs in one Python process; what it printed, by job name.
std::map<std::string, std::string> runJobs(const fs::path& dir, const nlohmann::json& jobs) {
  const fs::path driver = dir / "driver.py";
  const fs::path list = dir / "jobs.json";
  std::ofstream(driver) << alembic_env::kBatchDriver;
  std::ofstream(list) << jobs.dump();
  CommandResult result = runCommand({alembic_env::kPython, driver.string(), list.string()});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  std::map<std::string, std::string> by_job;
  std::string current;
  std::istringstream lines(result.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("ok ") || line.starts_with("FAILED ")) current = line.substr(line.find(' ') + 1);
    by_job[current] += line + "\n";
  }
  return by_job;
}

void expectCatalogIs(ScratchDatabase& db, const CaseRun& run, bool new_side, const std::string& what) {
  if (run.absent && !new_side) {
    EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_namespace WHERE nspname = " +
                            model::postgresQuoteLiteral(run.schema())),
              "0")
        << run.name << ": " << what << " leaves the schema";
    return;
  }
  diffcheck::expectSameCatalog(db, new_side ? run.refNew() : run.refOld(), run.schema(),
                               run.name + ": " + what);
}

TEST(AlembicFixtures, EveryCaseUpgradesAndDowngradesOnlineAndOffline) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec("CREATE SCHEMA cdb"));
  std::vector<CaseRun> runs;
  auto add = [&](const std::string& name, const fs::path& case_dir) {
    CaseRun run;
    run.name = name;
    run.diff_case = loadDiffCaseAt(case_dir);
    ASSERT_TRUE(run.diff_case.ok) << name << ": " << run.diff_case.errors;
    run.absent = run.diff_case.diff_options.old_schema_absent;
    run.diff_case.plan_options.schema = run.schema();
    // A backfill written as a whole statement names the fixture's schema.
    const std::string fixture_schema = run.diff_case.new_schema.name + ".";
    for (auto& [column, sql] : run.diff_case.plan_options.backfills)
      for (auto at = sql.find(fixture_schema); at != std::string::npos; at = sql.find(fixture_schema, at + 1))
        sql.replace(at, fixture_schema.size(), run.schema() + ".");
    run.project = fs::path(dir.path()) / name;
    alembic_env::writeProject(run.project, "v_" + name);
    alembic::AlembicRevision revision = caseRevision(run.diff_case);
    std::ofstream(run.project / "versions" / revision.file_name) << revision.text;
    ASSERT_TRUE(db.exec(emit::createSchemaSql(run.diff_case.new_schema, {.schema_name = run.refNew()})));
    if (!run.absent) {
      ASSERT_TRUE(db.exec(emit::createSchemaSql(run.diff_case.old_schema, {.schema_name = run.refOld()})));
      ASSERT_TRUE(db.exec(emit::createSchemaSql(run.diff_case.old_schema, {.schema_name = run.schema()})));
      run.old_catalog = diffcheck::readCatalog(db, run.refOld());
    }
    run.new_catalog = diffcheck::readCatalog(db, run.refNew());
    runs.push_back(std::move(run));
  };
  for (const std::string& name : alembicCases()) add("alembic_" + name, alembicFixturesDir() / name);
  for (const std::string& name : diffCases()) add("diff_" + name, diffFixturesDir() / name);
  ASSERT_GE(runs.size(), 25u);
  {
    CaseRun run;
    run.name = "catalog";
    run.project = fs::path(dir.path()) / run.name;
    alembic_env::writeProject(run.project, "v_catalog");
    ASSERT_TRUE(db.exec(inSchema(kCatalogOld, run.refOld()) + inSchema(kCatalogOld, run.schema()) +
                        inSchema(kCatalogNew, run.refNew())));
    run.old_catalog = diffcheck::readCatalog(db, run.refOld());
    run.new_catalog = diffcheck::readCatalog(db, run.refNew());
    run.diff_case.old_schema = diffcheck::catalogAs(db, run.refOld(), run.schema());
    run.diff_case.new_schema = diffcheck::catalogAs(db, run.refNew(), run.schema());
    run.diff_case.ok = true;
    alembic::AlembicRevision revision = caseRevision(run.diff_case);
    EXPECT_NE(revision.text.find("postgresql_using=\"hash\""), std::string::npos) << revision.text;
    EXPECT_NE(revision.text.find("postgresql_where=sa.text("), std::string::npos) << revision.text;
    EXPECT_NE(revision.text.find("initially=\"DEFERRED\""), std::string::npos) << revision.text;
    std::ofstream(run.project / "versions" / revision.file_name) << revision.text;
    runs.push_back(std::move(run));
  }

  // Online upgrade; the offline scripts of both directions on the way.
  nlohmann::json jobs = nlohmann::json::array();
  for (const CaseRun& run : runs) {
    const std::string project = run.project.string();
    const std::string offline_table = "o_" + run.name;
    jobs.push_back({{"name", run.name + " --sql up"},
                    {"dir", project},
                    {"dsn", ""},
                    {"command", "upgrade"},
                    {"target", "head"},
                    {"sql_out", project + "/up.sql"},
                    {"version_table", offline_table}});
    jobs.push_back({{"name", run.name + " --sql down"},
                    {"dir", project},
                    {"dsn", ""},
                    {"command", "downgrade"},
                    {"target", "head:base"},
                    {"sql_out", project + "/down.sql"},
                    {"version_table", offline_table}});
    jobs.push_back({{"name", run.name + " upgrade"},
                    {"dir", project},
                    {"dsn", db.conninfo()},
                    {"command", "upgrade"},
                    {"target", "head"}});
  }
  std::map<std::string, std::string> output = runJobs(dir.path(), jobs);
  for (const CaseRun& run : runs) {
    for (const char* job : {" --sql up", " --sql down", " upgrade"})
      ASSERT_TRUE(output[run.name + job].starts_with("ok ")) << run.name << job << ":\n"
                                                             << output[run.name + job];
    expectCatalogIs(db, run, true, "alembic upgrade head");
  }

  jobs = nlohmann::json::array();
  for (const CaseRun& run : runs)
    jobs.push_back({{"name", run.name + " downgrade"},
                    {"dir", run.project.string()},
                    {"dsn", db.conninfo()},
                    {"command", "downgrade"},
                    {"target", "base"}});
  output = runJobs(dir.path(), jobs);
  for (const CaseRun& run : runs) {
    ASSERT_TRUE(output[run.name + " downgrade"].starts_with("ok ")) << output[run.name + " downgrade"];
    expectCatalogIs(db, run, false, "alembic downgrade base");
  }

  // The offline scripts, on the schemas the online round trip left as they were.
  for (const CaseRun& run : runs) {
    ASSERT_TRUE(db.exec(readFile(run.project / "up.sql"))) << run.name;
    expectCatalogIs(db, run, true, "alembic upgrade head --sql");
    ASSERT_TRUE(db.exec(readFile(run.project / "down.sql"))) << run.name;
    expectCatalogIs(db, run, false, "alembic downgrade head:base --sql");
  }
}

}  // namespace
}  // namespace felisc::testing
