// Deployment profiles on a real PostgreSQL 15 with pgsphere and the roles usdf
// and oods (the test cluster has them):
//
//  - every version of history/cdb_latiss: `felisc create --profile consdb` applies
//    to a database without pgsphere (the script installs it); the catalog read back
//    equals the realized model (compareSchemas, grants included): tables with
//    pgs_region beside s_region, visit1 and ccdvisit1 as views with their columns,
//    types, comments, grants and dependencies, and a definition that is the
//    profile's SELECT as pg_get_viewdef() renders it; checkDeployment() finds
//    nothing; `inspect --profile` gives a Felis file that reads and passes
//    `validate --profile`'s view checks, with no warning;
//  - the role guard stops the script, naming the missing role, and leaves nothing;
//  - checkDeployment() reports drift made by hand in a deployed database.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/catalog/reader.h"
#include "compiler/catalog/roles.h"
#include "compiler/felis/profile_reader.h"
#include "compiler/felis/reader.h"
#include "schema_model/compare.h"
#include "schema_model/profile.h"
#include "tests/support/cli_runner.h"
#include "tests/support/corpus.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

std::string consdbProfilePath() { return (fixturesDir() / "profiles" / "consdb.yaml").string(); }

model::Profile consdbProfile() {
  felis::ProfileReadResult result = felis::readProfileFile(consdbProfilePath());
  EXPECT_TRUE(result.profile) << felis::renderProfileDiagnostics(result);
  return result.profile.value_or(model::Profile{});
}

felis::ReadOptions readOptionsFor(const fs::path& file) { return historyReadOptions(file); }

std::string renderAll(const model::Diagnostics& diagnostics) {
  std::string text;
  for (const auto& diagnostic : diagnostics.all()) text += "  " + model::renderDiagnostic(diagnostic);
  return text;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += "  " + line + "\n";
  return text;
}

model::Schema readCatalog(ScratchDatabase& db, const std::string& schema) {
  catalog::CatalogResult result = catalog::readSchemas(db.conninfo(), {schema});
  EXPECT_TRUE(result.diagnostics.empty()) << renderAll(result.diagnostics);
  if (result.schemas.size() != 1) return {};
  return std::move(result.schemas.front());
}

model::ServerObjects serverObjects(ScratchDatabase& db, const model::Profile& profile) {
  catalog::ServerObjectsResult result =
      catalog::readServerObjects(db.conninfo(), catalog::requiredRoles(profile));
  EXPECT_TRUE(result.diagnostics.empty()) << renderAll(result.diagnostics);
  return result.objects;
}

/// The realized model as the catalog must hold it: grants compared (no source
/// file), and each view's definition in the server's rendering, once that
/// rendering has been checked to be the profile's SELECT (checkDeployment).
model::Schema expectedCatalog(model::Schema realized, const model::Schema& catalog) {
  realized.source_file.clear();
  for (model::View& view : realized.views)
    if (const model::View* deployed = catalog.findView(view.name)) view.definition = deployed->definition;
  return realized;
}

class ProfileHistory : public ::testing::TestWithParam<fs::path> {};

TEST_P(ProfileHistory, CreateApplyReadBackInspect) {
  const fs::path file = GetParam();
  const felis::ReadOptions options = readOptionsFor(file);
  felis::ReadResult read = felis::readFelisFile(file.string(), options);
  ASSERT_TRUE(read.schema) << felis::renderDiagnostics(read);
  const model::Profile profile = consdbProfile();
  model::Diagnostics realize_diagnostics;
  const model::Schema realized = model::realize(*read.schema, profile, realize_diagnostics);
  ASSERT_FALSE(realize_diagnostics.hasErrors()) << renderAll(realize_diagnostics);

  CliRun create = runFelisc({"create", "--profile", consdbProfilePath(), file.string()});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  ScratchDatabase db;  // no pgsphere: the script installs it
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(create.out));
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_extension WHERE extname = 'pg_sphere'"), PgValue("1"));

  // The catalog holds the realized model: views, grants, extra columns and all.
  const model::Schema catalog = readCatalog(db, realized.name);
  const model::Diagnostics deployment =
      model::checkDeployment(catalog, realized, profile, serverObjects(db, profile));
  EXPECT_TRUE(deployment.empty()) << renderAll(deployment);
  const std::vector<std::string> differences =
      model::compareSchemas(expectedCatalog(realized, catalog), catalog);
  EXPECT_TRUE(differences.empty()) << file.filename() << ": realized vs catalog:\n" << joinLines(differences);
  EXPECT_EQ(catalog.views.size(), realized.views.size());
  for (const model::Table& table : catalog.tables) {
    const model::Column* s_region = table.findColumn("s_region");
    if (s_region == nullptr) continue;
    const model::Column* pgs_region = s_region + 1;
    ASSERT_LT(pgs_region - table.columns.data(), static_cast<std::ptrdiff_t>(table.columns.size()))
        << table.name;
    EXPECT_EQ(pgs_region->name, "pgs_region") << table.name;
    EXPECT_EQ(pgs_region->sql_type, "spoly") << table.name;
  }
  for (const model::View& view : catalog.views) {
    EXPECT_EQ(view.grants,
              (std::vector<model::Grant>{{"oods", "SELECT", "", false}, {"usdf", "SELECT", "", false}}))
        << view.name;
  }

  // inspect --profile: the Felis file the profile deployed, with no warning.
  CliRun inspect =
      runFelisc({"inspect", db.conninfo(), "--schema", realized.name, "--profile", consdbProfilePath()});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  std::istringstream warning_lines(inspect.err);
  for (std::string line; std::getline(warning_lines, line);)
    if (options.strict_felis || line.find("the name is used on") == std::string::npos)
      ADD_FAILURE() << file.filename() << ": " << line;
  felis::ReadResult reread = felis::readFelisText(inspect.out, "inspect.yaml", options);
  ASSERT_TRUE(reread.schema) << felis::renderDiagnostics(reread);
  EXPECT_EQ(reread.diagnostics.errorCount(), 0u) << felis::renderDiagnostics(reread);
  const model::Diagnostics checks = model::checkViewTables(*reread.schema, profile);
  EXPECT_FALSE(checks.hasErrors()) << renderAll(checks);
  for (const model::View& view : realized.views)
    EXPECT_NE(reread.schema->findTable(view.name), nullptr) << view.name;
  EXPECT_TRUE(reread.schema->views.empty());
}

std::string testName(const ::testing::TestParamInfo<fs::path>& param_info) {
  std::string name = param_info.param.stem().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(CdbLatiss, ProfileHistory,
                         ::testing::ValuesIn(yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss")),
                         testName);

TEST(ProfileHistoryCorpus, CoversEveryVersion) {
  EXPECT_GE(yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss").size(), 33u);
}

/// A copy of the ConsDB profile that also requires `role`, in a temporary file.
class ProfileWithRole {
 public:
  explicit ProfileWithRole(const std::string& role) {
    path_ = fs::temp_directory_path() / ("felisc-profile-" + uniqueDatabaseName() + ".yaml");
    std::string text = readFile(consdbProfilePath());
    const std::string roles = "roles: [usdf, oods]";
    text.replace(text.find(roles), roles.size(), "roles: [usdf, " + role + ", oods]");
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~ProfileWithRole() { fs::remove(path_); }
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

TEST(ProfileOnPostgres, TheRoleGuardStopsTheScript) {
  ProfileWithRole profile("felisc_no_such_role");
  const std::string schema = (fixturesDir() / "create" / "profile" / "cdb_demo.yaml").string();
  CliRun create = runFelisc({"create", "--profile", profile.path(), schema});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  PgOutcome outcome = db.tryExec(create.out);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.sqlstate, "P0001");
  EXPECT_EQ(outcome.message, "profile consdb needs roles that do not exist: felisc_no_such_role");
  EXPECT_NE(outcome.report.find("CREATE ROLE"), std::string::npos) << outcome.report;  // the hint
  ASSERT_TRUE(db.exec("ROLLBACK"));
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_namespace WHERE nspname = 'cdb_demo'"), PgValue("0"));
}

TEST(ProfileOnPostgres, CheckDeploymentReportsDrift) {
  const std::string schema_file = (fixturesDir() / "create" / "profile" / "cdb_demo.yaml").string();
  CliRun create = runFelisc({"create", "--profile", consdbProfilePath(), schema_file});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(create.out));

  felis::ReadResult read = felis::readFelisFile(schema_file);
  ASSERT_TRUE(read.schema);
  model::Profile profile = consdbProfile();
  model::Diagnostics ignored;
  const model::Schema realized = model::realize(*read.schema, profile, ignored);
  model::Schema catalog = readCatalog(db, "cdb_demo");
  EXPECT_TRUE(model::checkDeployment(catalog, realized, profile, serverObjects(db, profile)).empty());
  EXPECT_TRUE(model::compareSchemas(expectedCatalog(realized, catalog), catalog).empty())
      << joinLines(model::compareSchemas(expectedCatalog(realized, catalog), catalog));

  // Drift, as hands make it: a grant revoked, a view filtered (ConsDB's can_see_sky
  // kind of change), a view replaced by a table, an extra column retyped, and a
  // role the profile requires that the server lacks.
  ASSERT_TRUE(db.exec(R"sql(
    REVOKE SELECT ON cdb_demo.visit1 FROM oods;
    CREATE OR REPLACE VIEW cdb_demo.visit1 AS
      SELECT exposure.exposure_id AS visit_id, exposure.day_obs, exposure.band, exposure.s_region,
             exposure.pgs_region, exposure.airmass
      FROM cdb_demo.exposure WHERE exposure.airmass < 2;
    DROP VIEW cdb_demo.ccdvisit1;
    CREATE TABLE cdb_demo.ccdvisit1 (ccdvisit_id bigint);
    ALTER TABLE cdb_demo.ccdexposure ALTER COLUMN pgs_region TYPE text;
  )sql"));
  profile.roles.push_back({"felisc_no_such_role", {}});
  catalog = readCatalog(db, "cdb_demo");
  model::Diagnostics drift = model::checkDeployment(catalog, realized, profile, serverObjects(db, profile));
  std::vector<std::string> codes;
  for (const model::Diagnostic& diagnostic : drift.all()) codes.emplace_back(diagnostic.code());
  EXPECT_EQ(codes, (std::vector<std::string>{"FEL536", "FEL538", "FEL533", "FEL531", "FEL535"}))
      << renderAll(drift);
  EXPECT_FALSE(drift.hasErrors());
  ASSERT_EQ(drift.all().size(), 5u);
  EXPECT_NE(drift.all()[1].message.find("WHERE (exposure.airmass < (2)::double precision);'"),
            std::string::npos)
      << drift.all()[1].message;
  EXPECT_EQ(drift.all()[2].message,
            "view 'visit1' has other grants than the profile gives: missing SELECT to oods");
}

}  // namespace
}  // namespace felisc::testing
