/// \file
/// The deployment profile reader: the shipped ConsDB profile reads into the
/// expected model, and every fixtures/profiles/errors/<case>.yaml gives exactly
/// the diagnostics of <case>.stderr (with source lines and carets).
/// FELISC_UPDATE_GOLDEN=1 rewrites the .stderr files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "compiler/felis/profile_reader.h"
#include "tests/support/golden.h"
#include "tests/support/test_paths.h"

namespace felisc::felis {
namespace {

std::filesystem::path errorsDir() { return testing::fixturesDir() / "profiles" / "errors"; }

std::vector<std::string> errorCases() {
  std::vector<std::string> names;
  for (const auto& path : testing::yamlFilesIn(errorsDir())) names.push_back(path.stem().string());
  return names;
}

std::vector<std::string> codes(const model::Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const model::Diagnostic& diagnostic : diagnostics.all()) out.emplace_back(diagnostic.code());
  return out;
}

TEST(ProfileReader, ReadsTheConsdbProfile) {
  const std::string path = (testing::fixturesDir() / "profiles" / "consdb.yaml").string();
  ProfileReadResult result = readProfileFile(path);
  ASSERT_TRUE(result.profile) << renderProfileDiagnostics(result);
  EXPECT_TRUE(result.diagnostics.empty()) << renderProfileDiagnostics(result);
  const model::Profile& profile = *result.profile;
  EXPECT_EQ(profile.name, "consdb");
  EXPECT_EQ(profile.source_file, path);
  EXPECT_EQ(profile.schemas, std::vector<std::string>{"cdb_*"});
  ASSERT_EQ(profile.roles.size(), 2u);
  EXPECT_EQ(profile.roles[0].name, "usdf");
  EXPECT_EQ(profile.roles[1].name, "oods");
  ASSERT_EQ(profile.extensions.size(), 1u);
  EXPECT_EQ(profile.extensions[0].name, "pg_sphere");

  ASSERT_EQ(profile.views.size(), 2u);
  const model::ViewRule& visit = profile.views[0];
  EXPECT_EQ(visit.name, "visit1");
  EXPECT_EQ(visit.base, "exposure");
  EXPECT_FALSE(visit.required);
  ASSERT_EQ(visit.renames.size(), 1u);
  EXPECT_EQ(visit.renames[0].from, "exposure_id");
  EXPECT_EQ(visit.renames[0].to, "visit_id");
  ASSERT_EQ(visit.grants.size(), 1u);
  EXPECT_EQ(visit.grants[0].privileges, std::vector<std::string>{"SELECT"});
  EXPECT_EQ(visit.grants[0].grantees, (std::vector<std::string>{"usdf", "oods"}));
  const model::ViewRule& ccdvisit = profile.views[1];
  EXPECT_EQ(ccdvisit.base, "ccdexposure");
  ASSERT_EQ(ccdvisit.renames.size(), 2u);
  EXPECT_EQ(ccdvisit.renames[1].from, "exposure_id");
  EXPECT_EQ(ccdvisit.renames[1].to, "visit_id");

  ASSERT_EQ(profile.extra_columns.size(), 1u);
  const model::ExtraColumnRule& extra = profile.extra_columns[0];
  EXPECT_EQ(extra.when_column, "s_region");
  EXPECT_EQ(extra.position, model::ExtraColumnPosition::AfterTrigger);
  EXPECT_EQ(extra.column.name, "pgs_region");
  EXPECT_EQ(extra.column.datatype, model::FelisType::Text);
  EXPECT_EQ(extra.column.postgresql_datatype, "spoly");
  EXPECT_TRUE(extra.column.nullable);
  EXPECT_EQ(extra.column.description, "Spherical region type spoly corresponding to s_region.");
  EXPECT_TRUE(profile.table_grants.empty());
}

TEST(ProfileReader, ReadsEveryKey) {
  ProfileReadResult result = readProfileText(R"(name: all
description: every key
schemas: [cdb_*, "other"]
roles: [reader]
extensions: []
views:
- name: v
  base: t
  required: true
  grants:
  - privileges: [select, Update]
    to: [reader, PUBLIC]
extraColumns:
- whenColumn: a
  position: end
  column:
    name: stamp
    datatype: timestamp
    precision: 3
    nullable: false
    description: When.
- whenColumn: a
  column: {name: code, datatype: char, length: 4}
grants:
- tables: all
  privileges: [SELECT]
  to: [reader]
- tables: [t, u]
  privileges: [INSERT, insert]
  to: [PUBLIC]
)",
                                             "all.yaml");
  ASSERT_TRUE(result.profile) << renderProfileDiagnostics(result);
  EXPECT_TRUE(result.diagnostics.empty()) << renderProfileDiagnostics(result);
  const model::Profile& profile = *result.profile;
  EXPECT_EQ(profile.description, "every key");
  EXPECT_EQ(profile.schemas, (std::vector<std::string>{"cdb_*", "other"}));
  EXPECT_TRUE(profile.extensions.empty());
  ASSERT_EQ(profile.views.size(), 1u);
  EXPECT_TRUE(profile.views[0].required);
  EXPECT_EQ(profile.views[0].grants[0].privileges, (std::vector<std::string>{"SELECT", "UPDATE"}));
  EXPECT_EQ(profile.views[0].grants[0].grantees, (std::vector<std::string>{"reader", "PUBLIC"}));
  EXPECT_EQ(profile.views[0].pos.line, 7u);
  ASSERT_EQ(profile.extra_columns.size(), 2u);
  EXPECT_EQ(profile.extra_columns[0].position, model::ExtraColumnPosition::End);
  EXPECT_EQ(profile.extra_columns[0].column.precision, 3);
  EXPECT_FALSE(profile.extra_columns[0].column.nullable);
  EXPECT_EQ(profile.extra_columns[1].column.datatype, model::FelisType::Char);
  EXPECT_EQ(profile.extra_columns[1].column.length, 4);
  ASSERT_EQ(profile.table_grants.size(), 2u);
  EXPECT_TRUE(profile.table_grants[0].all_tables);
  EXPECT_FALSE(profile.table_grants[1].all_tables);
  EXPECT_EQ(profile.table_grants[1].tables, (std::vector<std::string>{"t", "u"}));
  EXPECT_EQ(profile.table_grants[1].grant.privileges, std::vector<std::string>{"INSERT"});  // once
}

TEST(ProfileReader, AMissingFileIsAnIoError) {
  ProfileReadResult result = readProfileFile((errorsDir() / "no_such_profile.yaml").string());
  EXPECT_FALSE(result.profile);
  EXPECT_EQ(codes(result.diagnostics), std::vector<std::string>{"FEL001"});
}

TEST(ProfileReader, ADuplicateKeyWarnsAndTheLastWins) {
  ProfileReadResult result = readProfileText("name: a\nname: b\nschemas: [x]\n", "dup.yaml");
  ASSERT_TRUE(result.profile);
  EXPECT_EQ(result.profile->name, "b");
  EXPECT_EQ(codes(result.diagnostics), std::vector<std::string>{"FEL007"});
}

class ProfileReaderGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ProfileReaderGolden, DiagnosticsMatchGoldenFile) {
  const std::string& name = GetParam();
  const std::string text = testing::readFile(errorsDir() / (name + ".yaml"));
  ProfileReadResult result = readProfileText(text, name + ".yaml");
  EXPECT_FALSE(result.profile) << name << ".yaml should not read as a profile";
  EXPECT_TRUE(result.diagnostics.hasErrors());
  const std::string actual = renderProfileDiagnostics(result);
  const std::filesystem::path golden = errorsDir() / (name + ".stderr");
  testing::expectGolden(golden, actual, "diagnostics of " + name + ".yaml");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ProfileReaderGolden, ::testing::ValuesIn(errorCases()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

TEST(ProfileReaderGolden, ThereAreCases) { EXPECT_GE(errorCases().size(), 9u); }

}  // namespace
}  // namespace felisc::felis
