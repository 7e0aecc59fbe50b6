// Golden files for `felisc create`: every fixtures/create/<case>.yaml is read with
// the Felis reader and compiled; the script must equal <case>.sql byte for byte.
// FELISC_UPDATE_GOLDEN=1 rewrites the .sql files (review the diff before committing).
// tests/pg/create_golden_pg_test.cpp loads each golden into PostgreSQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "emitters/postgres_ddl.h"
#include "tests/support/golden.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

std::filesystem::path createFixturesDir() { return testing::fixturesDir() / "create"; }

/// The case names (file stems), sorted; listed when the test binary starts.
std::vector<std::string> goldenCases() {
  std::vector<std::string> cases;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(createFixturesDir(), error))
    if (entry.path().extension() == ".yaml") cases.push_back(entry.path().stem().string());
  std::sort(cases.begin(), cases.end());
  return cases;
}

class CreateGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(CreateGolden, MatchesSqlFile) {
  const std::filesystem::path yaml = createFixturesDir() / (GetParam() + ".yaml");
  const std::filesystem::path golden = createFixturesDir() / (GetParam() + ".sql");
  felis::ReadResult result = felis::readFelisFile(yaml.string());
  std::string diagnostics;
  for (const auto& diagnostic : result.diagnostics.all())
    diagnostics += model::renderDiagnostic(diagnostic, result.source_text);
  ASSERT_NE(result.schema, nullptr) << diagnostics;
  EXPECT_FALSE(result.diagnostics.hasErrors()) << diagnostics;
  const std::string sql = emit::createSchemaSql(*result.schema);
  testing::expectGolden(golden, sql);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CreateGolden, ::testing::ValuesIn(goldenCases()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

TEST(CreateGoldenFixtures, ThereAreCases) {
  const auto cases = goldenCases();
  EXPECT_GE(cases.size(), 8u) << "no fixtures found in " << createFixturesDir();
}

}  // namespace
}  // namespace felisc
