/// \file
/// Deployment profiles on models: realize(), unrealize(), checkViewTables() and
/// checkDeployment(), on the ConsDB-like fixture (fixtures/create/profile/cdb_demo.yaml)
/// and the shipped ConsDB profile, and on small profiles written inline.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "compiler/felis/profile_reader.h"
#include "compiler/felis/reader.h"
#include "schema_model/compare.h"
#include "schema_model/profile.h"
#include "tests/support/test_paths.h"

namespace felisc::model {
namespace {

std::vector<std::string> codes(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& diagnostic : diagnostics.all()) out.emplace_back(diagnostic.code());
  return out;
}

std::string messages(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& diagnostic : diagnostics.all()) out += renderDiagnostic(diagnostic);
  return out;
}

Profile profileFromText(const std::string& text) {
  felis::ProfileReadResult result = felis::readProfileText(text, "test-profile.yaml");
  EXPECT_TRUE(result.profile) << felis::renderProfileDiagnostics(result);
  return result.profile.value_or(Profile{});
}

Profile consdbProfile() {
  felis::ProfileReadResult result =
      felis::readProfileFile((testing::fixturesDir() / "profiles" / "consdb.yaml").string());
  EXPECT_TRUE(result.profile) << felis::renderProfileDiagnostics(result);
  return result.profile.value_or(Profile{});
}

Schema felisFromText(const std::string& text, const std::string& name = "test.yaml") {
  felis::ReadResult result = felis::readFelisText(text, name);
  EXPECT_NE(result.schema, nullptr) << felis::renderDiagnostics(result);
  return result.schema ? *result.schema : Schema{};
}

Schema demoSchema() {
  felis::ReadResult result =
      felis::readFelisFile((testing::fixturesDir() / "create" / "profile" / "cdb_demo.yaml").string());
  EXPECT_NE(result.schema, nullptr) << felis::renderDiagnostics(result);
  return result.schema ? *result.schema : Schema{};
}

std::vector<std::string> columnNames(const Table& table) {
  std::vector<std::string> names;
  for (const Column& column : table.columns) names.push_back(column.name);
  return names;
}

std::vector<std::string> columnNames(const View& view) {
  std::vector<std::string> names;
  for (const ViewColumn& column : view.columns) names.push_back(column.name);
  return names;
}

/// A minimal Felis file: `tables` is the YAML of the table list.
std::string felisFile(const std::string& schema, const std::string& tables) {
  return "name: " + schema + "\ntables:\n" + tables;
}

const std::string kExposureAndVisit = R"(- name: exposure
  columns:
  - {name: exposure_id, datatype: long, nullable: false}
  - {name: day_obs, datatype: int}
  - {name: s_region, datatype: string, length: 1024}
- name: visit1
  columns:
  - {name: visit_id, datatype: long, nullable: false, description: The visit.}
  - {name: day_obs, datatype: int}
  - {name: s_region, datatype: string, length: 1024}
)";

// --- glob -------------------------------------------------------------------------

TEST(ProfileGlob, MatchesShellPatterns) {
  EXPECT_TRUE(globMatch("cdb_*", "cdb_latiss"));
  EXPECT_TRUE(globMatch("cdb_*", "cdb_"));
  EXPECT_FALSE(globMatch("cdb_*", "xcdb_latiss"));
  EXPECT_TRUE(globMatch("cdb_latiss", "cdb_latiss"));
  EXPECT_FALSE(globMatch("cdb_latiss", "cdb_latiss2"));
  EXPECT_FALSE(globMatch("CDB_*", "cdb_latiss"));
  EXPECT_TRUE(globMatch("cdb_?sst*", "cdb_lsstcam"));
  EXPECT_TRUE(globMatch("*cam", "cdb_lsstcam"));
  EXPECT_TRUE(globMatch("*a*b*", "xxaxxbxx"));
  EXPECT_FALSE(globMatch("*a*b", "xxaxxbxx"));
  EXPECT_TRUE(globMatch("cdb_[lx]*", "cdb_latiss"));
  EXPECT_FALSE(globMatch("cdb_[!l]*", "cdb_latiss"));
  EXPECT_TRUE(globMatch("cdb_[a-m]*", "cdb_latiss"));
  EXPECT_FALSE(globMatch("cdb_[m-z]*", "cdb_latiss"));
  EXPECT_TRUE(globMatch("[]]", "]"));
  EXPECT_FALSE(validGlob(""));
  EXPECT_FALSE(validGlob("cdb_[ab"));
  EXPECT_FALSE(globMatch("cdb_[ab", "cdb_[ab"));
  EXPECT_TRUE(validGlob("cdb_[!]]"));
}

// --- realize ----------------------------------------------------------------------

TEST(ProfileRealize, TurnsTheConsdbViewTablesIntoViews) {
  Schema felis = demoSchema();
  Diagnostics diagnostics;
  Schema realized = realize(felis, consdbProfile(), diagnostics);
  // The foreign key of visit1_quicklook into visit1 cannot exist.
  ASSERT_EQ(codes(diagnostics), std::vector<std::string>{"FEL282"}) << messages(diagnostics);
  EXPECT_NE(diagnostics.all()[0].message.find("'fk_visit1_quicklook_visit_id'"), std::string::npos);
  EXPECT_EQ(diagnostics.all()[0].pos.line, 128u);

  std::vector<std::string> tables;
  for (const Table& table : realized.tables) tables.push_back(table.name);
  EXPECT_EQ(tables, (std::vector<std::string>{"exposure", "ccdexposure", "visit1_quicklook"}));
  EXPECT_TRUE(realized.findTable("visit1_quicklook")->constraints.empty());
  ASSERT_EQ(realized.views.size(), 2u);

  const View& visit = realized.views[0];
  EXPECT_EQ(visit.name, "visit1");
  EXPECT_TRUE(visit.generated);
  EXPECT_FALSE(visit.materialized);
  EXPECT_EQ(visit.description, felis.findTable("visit1")->description);
  EXPECT_EQ(columnNames(visit),
            (std::vector<std::string>{"visit_id", "day_obs", "band", "s_region", "pgs_region", "airmass"}));
  EXPECT_EQ(visit.columns[0].sql_type, "bigint");
  EXPECT_EQ(visit.columns[2].sql_type, "character varying(32)");
  EXPECT_EQ(visit.columns[4].sql_type, "spoly");
  // Descriptions: the Felis view table's where it has one, else the base column's.
  EXPECT_EQ(visit.columns[0].description, "Unique identifier of the visit.");
  EXPECT_EQ(visit.columns[2].description, "Name of the band.");
  EXPECT_EQ(visit.columns[3].description, "Sky region of the visit in STC-S format.");
  EXPECT_EQ(visit.columns[4].description, "Spherical region type spoly corresponding to s_region.");
  EXPECT_EQ(visit.definition,
            "SELECT exposure.exposure_id AS visit_id, exposure.day_obs, exposure.band, exposure.s_region, "
            "exposure.pgs_region, exposure.airmass FROM cdb_demo.exposure");
  ASSERT_EQ(visit.depends_on.size(), 6u);
  EXPECT_EQ(visit.depends_on[0], (ViewDependency{"cdb_demo", "exposure", "airmass"}));  // sorted
  EXPECT_EQ(visit.grants, (std::vector<Grant>{{"oods", "SELECT", "", false}, {"usdf", "SELECT", "", false}}));

  const View& ccdvisit = realized.views[1];
  EXPECT_EQ(columnNames(ccdvisit),
            (std::vector<std::string>{"ccdvisit_id", "visit_id", "detector", "s_region", "pgs_region"}));
  EXPECT_EQ(ccdvisit.columns[0].sql_type, "bigint");  // a bigserial base column is a bigint in the view
  EXPECT_EQ(ccdvisit.definition,
            "SELECT ccdexposure.ccdexposure_id AS ccdvisit_id, ccdexposure.exposure_id AS visit_id, "
            "ccdexposure.detector, ccdexposure.s_region, ccdexposure.pgs_region FROM cdb_demo.ccdexposure");
}

TEST(ProfileRealize, AddsExtraColumnsRightAfterTheTriggerColumn) {
  Schema realized;
  Diagnostics diagnostics;
  realized = realize(demoSchema(), consdbProfile(), diagnostics);
  const Table& exposure = *realized.findTable("exposure");
  EXPECT_EQ(columnNames(exposure), (std::vector<std::string>{"exposure_id", "day_obs", "band", "s_region",
                                                             "pgs_region", "airmass"}));
  const Column& pgs = *exposure.findColumn("pgs_region");
  EXPECT_EQ(pgs.sql_type, "spoly");
  EXPECT_TRUE(pgs.nullable);
  EXPECT_FALSE(pgs.sql_default);
  EXPECT_EQ(pgs.description, "Spherical region type spoly corresponding to s_region.");
  // A table without s_region gets nothing.
  EXPECT_EQ(columnNames(*realized.findTable("visit1_quicklook")),
            (std::vector<std::string>{"visit_id", "psf_sigma"}));
}

TEST(ProfileRealize, ExtraColumnsAtTheEndAndSeveralOnOneTrigger) {
  Profile profile = profileFromText(R"(name: p
schemas: [s]
extraColumns:
- whenColumn: a
  column: {name: x1, datatype: int}
- whenColumn: a
  column: {name: x2, datatype: timestamp, precision: 3, nullable: false}
- whenColumn: b
  position: end
  column: {name: y, datatype: string, length: 8}
)");
  Schema felis = felisFromText(felisFile("s", R"(- name: t
  columns:
  - {name: a, datatype: int}
  - {name: b, datatype: int}
  - {name: c, datatype: int}
- name: u
  columns:
  - {name: c, datatype: int}
  - {name: y, datatype: double}
  - {name: b, datatype: int}
)"));
  Diagnostics diagnostics;
  Schema realized = realize(felis, profile, diagnostics);
  EXPECT_EQ(columnNames(realized.tables[0]), (std::vector<std::string>{"a", "x1", "x2", "b", "c", "y"}));
  EXPECT_EQ(realized.tables[0].findColumn("x2")->sql_type, "timestamp(3) without time zone");
  EXPECT_FALSE(realized.tables[0].findColumn("x2")->nullable);
  EXPECT_EQ(realized.tables[0].findColumn("y")->sql_type, "character varying(8)");
  // u already has a `y` of another type: kept, with a warning.
  EXPECT_EQ(columnNames(realized.tables[1]), (std::vector<std::string>{"c", "y", "b"}));
  ASSERT_EQ(codes(diagnostics), std::vector<std::string>{"FEL283"});
  EXPECT_EQ(diagnostics.all()[0].message,
            "table 'u' already has a column 'y' (double precision); the profile's extra column (character "
            "varying(8)) is not added");
}

TEST(ProfileRealize, TableGrantsOnAllTablesAndListedOnes) {
  Profile profile = profileFromText(R"(name: p
schemas: [s]
roles: [reader, writer]
views:
- name: visit1
  base: exposure
  rename: {exposure_id: visit_id}
grants:
- tables: all
  privileges: [SELECT]
  to: [reader]
- tables: [exposure, visit1, nothere]
  privileges: [INSERT, SELECT]
  to: [writer]
)");
  Diagnostics diagnostics;
  Schema realized = realize(felisFromText(felisFile("s", kExposureAndVisit)), profile, diagnostics);
  ASSERT_EQ(codes(diagnostics), std::vector<std::string>{"FEL284"});
  EXPECT_EQ(diagnostics.all()[0].message,
            "the profile grants on table 'nothere', which schema 's' does not have");
  EXPECT_EQ(diagnostics.all()[0].file, "test-profile.yaml");
  EXPECT_EQ(realized.findTable("exposure")->grants, (std::vector<Grant>{{"reader", "SELECT", "", false},
                                                                        {"writer", "INSERT", "", false},
                                                                        {"writer", "SELECT", "", false}}));
  // `all` means the tables; a listed view-realized table gets its grants on the view.
  EXPECT_EQ(realized.findView("visit1")->grants,
            (std::vector<Grant>{{"writer", "INSERT", "", false}, {"writer", "SELECT", "", false}}));
}

TEST(ProfileRealize, AProfileForOtherSchemasChangesNothing) {
  Schema felis = demoSchema();
  Profile profile = consdbProfile();
  profile.schemas = {"other_*", "x"};
  Diagnostics diagnostics;
  Schema realized = realize(felis, profile, diagnostics);
  ASSERT_EQ(codes(diagnostics), std::vector<std::string>{"FEL274"});
  EXPECT_EQ(
      diagnostics.all()[0].message,
      "profile 'consdb' does not apply to schema 'cdb_demo' (it applies to other_*, x); nothing is changed");
  EXPECT_TRUE(compareSchemas(felis, realized).empty());
  EXPECT_EQ(realized.tables.size(), felis.tables.size());
  EXPECT_TRUE(realized.views.empty());
}

TEST(ProfileRealize, ASchemaWithoutTheViewTableHasNoView) {
  // history/cdb_latiss before 2024-06 has no visit1: an optional view rule skips it.
  Diagnostics diagnostics;
  Schema felis = felisFromText(felisFile("cdb_x", R"(- name: exposure
  columns:
  - {name: exposure_id, datatype: long}
)"));
  Schema realized = realize(felis, consdbProfile(), diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << messages(diagnostics);
  EXPECT_TRUE(realized.views.empty());
  ASSERT_EQ(realized.tables.size(), 1u);
}

TEST(ProfileRealize, ARequiredViewTableMustExist) {
  Profile profile = profileFromText(R"(name: p
schemas: [s]
views:
- name: visit2
  base: exposure
  required: true
)");
  Diagnostics diagnostics;
  realize(felisFromText(felisFile("s", kExposureAndVisit)), profile, diagnostics);
  ASSERT_EQ(codes(diagnostics), std::vector<std::string>{"FEL276"});
  EXPECT_EQ(
      diagnostics.all()[0].message,
      "the profile realizes 'visit2' as a view over 'exposure' in every schema, but schema 's' has no table "
      "'visit2'");
  EXPECT_EQ(diagnostics.all()[0].file, "test-profile.yaml");
  EXPECT_EQ(diagnostics.all()[0].pos.line, 4u);
}

TEST(ProfileRealize, ErrorsForAMissingBaseAndBadRenames) {
  Profile profile = profileFromText(R"(name: p
schemas: [s]
views:
- name: visit1
  base: exposure
  rename: {exposure_id: visit_id, nothing: x, day_obs: s_region}
- name: t2
  base: missing
)");
  Schema felis = felisFromText(felisFile("s", kExposureAndVisit + "- name: t2\n  columns: []\n"));
  Diagnostics diagnostics;
  realize(felis, profile, diagnostics);
  EXPECT_EQ(codes(diagnostics),
            (std::vector<std::string>{"FEL277", "FEL285", "FEL281", "FEL285", "FEL275", "FEL285"}));
  EXPECT_EQ(
      diagnostics.all()[0].message,
      "table 'visit1' is realized as a view over 'exposure', which has no column 'nothing' to rename to 'x'");
  EXPECT_EQ(diagnostics.all()[0].file, "test.yaml");
  EXPECT_EQ(diagnostics.all()[1].file, "test-profile.yaml");
  EXPECT_EQ(
      diagnostics.all()[2].message,
      "table 'visit1' is realized as a view over 'exposure', where renaming 'day_obs' to 's_region' gives "
      "two columns named 's_region'");
  EXPECT_EQ(diagnostics.all()[4].message,
            "table 't2' is realized as a view over table 'missing', which the schema does not have");
  // Same through checkViewTables, which validate runs.
  EXPECT_EQ(codes(checkViewTables(felis, profile)), codes(diagnostics));
}

TEST(ProfileRealize, AViewOverAnotherViewComesAfterIt) {
  Profile profile = profileFromText(R"(name: p
schemas: [s]
views:
- name: top
  base: visit1
  rename: {visit_id: top_id}
- name: visit1
  base: exposure
  rename: {exposure_id: visit_id}
)");
  Schema felis = felisFromText(felisFile("s", kExposureAndVisit + R"(- name: top
  columns:
  - {name: top_id, datatype: long}
  - {name: day_obs, datatype: int}
  - {name: s_region, datatype: string, length: 1024}
)"));
  Diagnostics diagnostics;
  Schema realized = realize(felis, profile, diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << messages(diagnostics);
  ASSERT_EQ(realized.views.size(), 2u);
  EXPECT_EQ(realized.views[0].name, "visit1");
  EXPECT_EQ(realized.views[1].name, "top");
  EXPECT_EQ(realized.views[1].definition,
            "SELECT visit1.visit_id AS top_id, visit1.day_obs, visit1.s_region FROM s.visit1");
  EXPECT_EQ(realized.views[1].columns[0].description, "The visit.");  // through visit1
  EXPECT_TRUE(checkViewTables(felis, profile).empty());
}

TEST(ProfileRealize, QuotesIdentifiersAsTheServerDoes) {
  Profile profile = profileFromText(R"(name: p
schemas: ["*"]
views:
- name: Select View
  base: Base
  rename: {"Mixed Case": order}
)");
  Schema felis = felisFromText(felisFile("My Schema", R"(- name: Base
  columns:
  - {name: "Mixed Case", datatype: int}
  - {name: plain, datatype: int}
- name: Select View
  columns:
  - {name: order, datatype: int}
  - {name: plain, datatype: int}
)"));
  Diagnostics diagnostics;
  Schema realized = realize(felis, profile, diagnostics);
  ASSERT_EQ(realized.views.size(), 1u);
  EXPECT_EQ(realized.views[0].definition,
            "SELECT \"Base\".\"Mixed Case\" AS \"order\", \"Base\".plain FROM \"My Schema\".\"Base\"");
}

TEST(ProfileRealize, IsDeterministic) {
  Schema felis = demoSchema();
  Profile profile = consdbProfile();
  Diagnostics first_diagnostics;
  Diagnostics second_diagnostics;
  Schema first = realize(felis, profile, first_diagnostics);
  Schema second = realize(felis, profile, second_diagnostics);
  first.source_file.clear();  // so that grants are compared too
  second.source_file.clear();
  EXPECT_TRUE(compareSchemas(first, second).empty());
  ASSERT_EQ(first.views.size(), second.views.size());
  for (std::size_t i = 0; i < first.views.size(); ++i)
    EXPECT_EQ(first.views[i].definition, second.views[i].definition);
  EXPECT_EQ(messages(first_diagnostics), messages(second_diagnostics));
}

// --- unrealize --------------------------------------------------------------------

TEST(ProfileUnrealize, GivesBackTheFelisTables) {
  Schema felis = demoSchema();
  Profile profile = consdbProfile();
  Diagnostics diagnostics;
  Schema deployed = realize(felis, profile, diagnostics);
  deployed.source_file.clear();
  Schema back = unrealize(deployed, profile);
  EXPECT_TRUE(back.views.empty());
  std::vector<std::string> tables;
  for (const Table& table : back.tables) tables.push_back(table.name);
  // Views come back in name order, as a catalog lists relations.
  EXPECT_EQ(tables,
            (std::vector<std::string>{"ccdvisit1", "exposure", "ccdexposure", "visit1", "visit1_quicklook"}));
  EXPECT_EQ(columnNames(*back.findTable("exposure")),
            (std::vector<std::string>{"exposure_id", "day_obs", "band", "s_region", "airmass"}));
  const Table& visit = *back.findTable("visit1");
  EXPECT_EQ(columnNames(visit),
            (std::vector<std::string>{"visit_id", "day_obs", "band", "s_region", "airmass"}));
  EXPECT_EQ(visit.description, felis.findTable("visit1")->description);
  EXPECT_EQ(visit.columns[3].description, "Sky region of the visit in STC-S format.");
  EXPECT_TRUE(visit.grants.empty());
  const Table& ccdvisit = *back.findTable("ccdvisit1");
  EXPECT_EQ(ccdvisit.columns[0].generation, Generation::None);  // bigserial in the base, not in the view
  EXPECT_EQ(ccdvisit.columns[0].sql_type, "bigint");
  // The Felis file the profile deployed passes the profile's checks.
  EXPECT_TRUE(checkViewTables(back, profile).empty()) << messages(checkViewTables(back, profile));
}

TEST(ProfileUnrealize, KeepsWhatTheProfileDoesNotExplain) {
  Schema felis = demoSchema();
  Profile profile = consdbProfile();
  Diagnostics diagnostics;
  Schema deployed = realize(felis, profile, diagnostics);
  deployed.views[0].grants.push_back(Grant{"other", "UPDATE", "", false});
  deployed.tables[0].columns[4].sql_type = "text";  // pgs_region of another type: not the profile's
  View extra_view;
  extra_view.name = "hand_made";
  deployed.views.push_back(extra_view);
  Schema back = unrealize(deployed, profile);
  EXPECT_EQ(back.findTable("visit1")->grants, (std::vector<Grant>{{"other", "UPDATE", "", false}}));
  EXPECT_NE(back.findTable("exposure")->findColumn("pgs_region"), nullptr);
  ASSERT_EQ(back.views.size(), 1u);
  EXPECT_EQ(back.views[0].name, "hand_made");
}

// --- checkViewTables --------------------------------------------------------------

TEST(ProfileCheckViewTables, TheFixtureAndTheProfileAgree) {
  EXPECT_TRUE(checkViewTables(demoSchema(), consdbProfile()).empty());
}

TEST(ProfileCheckViewTables, AColumnAddedToExposureButNotToVisit1IsAnError) {
  // The pull request adds `seeing` to exposure and forgets visit1.
  std::string tables = kExposureAndVisit;
  tables.insert(tables.find("- name: visit1"), "  - {name: seeing, datatype: float}\n");
  Schema felis = felisFromText(felisFile("cdb_x", tables), "cdb_x.yaml");
  Diagnostics diagnostics = checkViewTables(felis, consdbProfile());
  ASSERT_EQ(codes(diagnostics), std::vector<std::string>{"FEL278"});
  const Diagnostic& error = diagnostics.all()[0];
  EXPECT_EQ(error.severity, Severity::Error);
  EXPECT_EQ(
      error.message,
      "table 'visit1' is realized as a view over 'exposure' and lacks a column that the view has: 'seeing'");
  EXPECT_EQ(error.file, "cdb_x.yaml");
  EXPECT_EQ(error.pos.line, felis.findTable("visit1")->pos.line);
}

TEST(ProfileCheckViewTables, ExtraAndMistypedColumns) {
  std::string tables = kExposureAndVisit;
  tables += "  - {name: stray, datatype: int}\n  - {name: other, datatype: int}\n";
  tables.replace(tables.rfind("{name: day_obs, datatype: int}"), 30, "{name: day_obs, datatype: long}");
  Schema felis = felisFromText(felisFile("cdb_x", tables), "cdb_x.yaml");
  Diagnostics diagnostics = checkViewTables(felis, consdbProfile());
  ASSERT_EQ(codes(diagnostics), (std::vector<std::string>{"FEL279", "FEL280"}));
  EXPECT_EQ(
      diagnostics.all()[0].message,
      "table 'visit1' is realized as a view over 'exposure' and has columns that the view does not have: "
      "'stray', 'other'");
  EXPECT_EQ(
      diagnostics.all()[1].message,
      "column 'day_obs' of table 'visit1' is bigint, but the view over 'exposure' gives it integer (from "
      "column 'day_obs')");
  EXPECT_EQ(diagnostics.all()[1].pos, felis.findTable("visit1")->findColumn("day_obs")->pos);
}

TEST(ProfileCheckViewTables, ColumnOrderDoesNotMatter) {
  // cdb_latiss's ccdvisit1 lists day_obs and seq_num first; the view has the base's order.
  std::string tables = R"(- name: exposure
  columns:
  - {name: exposure_id, datatype: long}
  - {name: day_obs, datatype: int}
- name: visit1
  columns:
  - {name: day_obs, datatype: int}
  - {name: visit_id, datatype: long}
)";
  EXPECT_TRUE(checkViewTables(felisFromText(felisFile("cdb_x", tables)), consdbProfile()).empty());
}

TEST(ProfileCheckViewTables, BaseTableMissing) {
  Schema felis = felisFromText(felisFile("cdb_x", R"(- name: visit1
  columns:
  - {name: visit_id, datatype: long}
)"));
  Diagnostics diagnostics = checkViewTables(felis, consdbProfile());
  ASSERT_EQ(codes(diagnostics), (std::vector<std::string>{"FEL275", "FEL285"}));
  EXPECT_EQ(diagnostics.all()[1].message, "the profile's rule for 'visit1' is here");
  EXPECT_NE(diagnostics.all()[1].file.find("consdb.yaml"), std::string::npos);
}

TEST(ProfileCheckViewTables, NotApplicableIsAWarning) {
  Diagnostics diagnostics =
      checkViewTables(felisFromText(felisFile("dp02", kExposureAndVisit)), consdbProfile());
  ASSERT_EQ(codes(diagnostics), std::vector<std::string>{"FEL274"});
  EXPECT_FALSE(diagnostics.hasErrors());
}

// --- checkDeployment --------------------------------------------------------------

struct Deployment {
  Profile profile = consdbProfile();
  Schema realized;
  Schema catalog;
  ServerObjects server{{"oods", "usdf"}, {"pg_sphere", "plpgsql"}};

  Deployment() {
    Diagnostics diagnostics;
    realized = realize(demoSchema(), profile, diagnostics);
    catalog = realized;
    catalog.source_file.clear();
    for (View& view : catalog.views) {
      view.generated = false;
      // As pg_get_viewdef() renders it: one column a line, a final semicolon.
      view.definition = " " + view.definition + ";";
      std::size_t at = 0;
      while ((at = view.definition.find(", ", at)) != std::string::npos)
        view.definition.replace(at, 2, ",\n    ");
    }
  }
  Diagnostics check() const { return checkDeployment(catalog, realized, profile, server); }
};

TEST(ProfileCheckDeployment, AFaithfulDeploymentHasNoFindings) {
  Deployment deployment;
  EXPECT_TRUE(deployment.check().empty()) << messages(deployment.check());
}

TEST(ProfileCheckDeployment, ReportsEachMismatch) {
  Deployment deployment;
  Schema& catalog = deployment.catalog;
  // visit1 is a table in the database; ccdvisit1 lost a grant, gained one, and a column.
  Table visit_table;
  visit_table.name = "visit1";
  catalog.tables.push_back(visit_table);
  catalog.views.erase(catalog.views.begin());
  View& ccdvisit = catalog.views[0];
  ccdvisit.grants = {{"oods", "SELECT", "", false}, {"public_reader", "SELECT", "", false}};
  ccdvisit.columns.pop_back();
  ccdvisit.definition += " WHERE true";
  // exposure has no pgs_region, ccdexposure one of another type.
  Table& exposure = catalog.tables[0];
  exposure.columns.erase(exposure.columns.begin() + 4);
  for (Column& column : catalog.tables[1].columns)
    if (column.name == "pgs_region") column.sql_type = "text";
  deployment.server = {{"usdf"}, {"plpgsql"}};

  Diagnostics diagnostics = deployment.check();
  EXPECT_EQ(codes(diagnostics), (std::vector<std::string>{"FEL536", "FEL537", "FEL531", "FEL532", "FEL538",
                                                          "FEL533", "FEL534", "FEL535"}))
      << messages(diagnostics);
  EXPECT_FALSE(diagnostics.hasErrors());
  const auto& all = diagnostics.all();
  EXPECT_EQ(all[0].message, "role 'oods', which profile 'consdb' requires, does not exist");
  EXPECT_EQ(all[1].message, "extension 'pg_sphere', which profile 'consdb' requires, is not installed");
  EXPECT_EQ(all[2].message,
            "profile 'consdb' realizes 'visit1' as a view over 'exposure', but 'visit1' is a table in schema "
            "'cdb_demo'");
  EXPECT_NE(all[3].message.find("the database has ccdvisit_id bigint, visit_id bigint, detector integer, "
                                "s_region character varying(1024)"),
            std::string::npos)
      << all[3].message;
  EXPECT_NE(all[4].message.find("FROM cdb_demo.ccdexposure; WHERE true'"), std::string::npos)
      << all[4].message;
  EXPECT_EQ(all[5].message,
            "view 'ccdvisit1' has other grants than the profile gives: missing SELECT to usdf; unexpected "
            "SELECT to "
            "public_reader");
  EXPECT_EQ(
      all[6].message,
      "table 'exposure' has no column 'pgs_region' (spoly), which profile 'consdb' adds beside 's_region'");
  EXPECT_EQ(all[7].message,
            "column 'pgs_region' of table 'ccdexposure' is text, but profile 'consdb' makes it spoly");
  // Each one points at the profile's rule.
  for (const Diagnostic& diagnostic : all) EXPECT_NE(diagnostic.file.find("consdb.yaml"), std::string::npos);
}

TEST(ProfileCheckDeployment, ViewColumnComments) {
  Deployment deployment;
  deployment.catalog.views[0].columns[1].description.reset();
  deployment.catalog.views[0].columns[2].description = "";  // no comment either: equal
  deployment.realized.views[0].columns[2].description.reset();
  Diagnostics diagnostics = deployment.check();
  ASSERT_EQ(codes(diagnostics), std::vector<std::string>{"FEL532"});
  EXPECT_EQ(
      diagnostics.all()[0].message,
      "view 'visit1' has other columns than the profile's view over 'exposure': the comments of 'day_obs' "
      "differ");
}

TEST(ProfileCheckDeployment, AMissingViewAndMissingTableGrants) {
  Deployment deployment;
  deployment.profile.roles.push_back({"reader", {}});
  TableGrantRule rule;
  rule.all_tables = true;
  rule.grant.privileges = {"SELECT"};
  rule.grant.grantees = {"reader"};
  deployment.profile.table_grants.push_back(rule);
  Diagnostics diagnostics;
  deployment.realized = realize(demoSchema(), deployment.profile, diagnostics);
  deployment.server.roles.push_back("reader");
  deployment.catalog.views.pop_back();  // ccdvisit1
  Diagnostics findings = deployment.check();
  EXPECT_EQ(codes(findings), (std::vector<std::string>{"FEL530", "FEL533", "FEL533", "FEL533"}))
      << messages(findings);
  EXPECT_EQ(
      findings.all()[0].message,
      "profile 'consdb' realizes 'ccdvisit1' as a view over 'ccdexposure', but schema 'cdb_demo' has no "
      "relation 'ccdvisit1'");
  EXPECT_EQ(findings.all()[1].message,
            "table 'exposure' has other grants than the profile gives: missing SELECT to reader");
}

}  // namespace
}  // namespace felisc::model
