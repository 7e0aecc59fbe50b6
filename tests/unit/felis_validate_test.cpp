/// \file
/// Golden diagnostics of the Felis reader and validator: each
/// fixtures/validate/<case>.yaml is read and its rendered diagnostics (with
/// source lines and carets) must equal <case>.stderr byte for byte.
///
/// A first line `# felisc: <option> ...` sets read options: `loose`
/// (strict_felis off), `no-id-generation`, `check-description`,
/// `check-redundant-datatypes`, `check-tap-table-indexes`, `check-tap-principal`.
/// FELISC_UPDATE_GOLDEN=1 rewrites the .stderr files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "tests/support/golden.h"
#include "tests/support/test_paths.h"

namespace felisc::felis {
namespace {

std::filesystem::path validateDir() { return testing::fixturesDir() / "validate"; }

std::vector<std::string> caseNames() {
  std::vector<std::string> names;
  for (const auto& path : testing::yamlFilesIn(validateDir())) names.push_back(path.stem().string());
  return names;
}

/// Options from the fixture's `# felisc:` first line.
ReadOptions optionsFor(const std::string& text) {
  ReadOptions options;
  options.base_directory = validateDir().string();
  if (text.rfind("# felisc:", 0) != 0) return options;
  std::istringstream words(text.substr(9, text.find('\n') - 9));
  std::string word;
  while (words >> word) {
    if (word == "loose")
      options.strict_felis = false;
    else if (word == "no-id-generation")
      options.id_generation = false;
    else if (word == "check-description")
      options.checks.description = true;
    else if (word == "check-redundant-datatypes")
      options.checks.redundant_datatypes = true;
    else if (word == "check-tap-table-indexes")
      options.checks.tap_table_indexes = true;
    else if (word == "check-tap-principal")
      options.checks.tap_principal = true;
    else
      ADD_FAILURE() << "unknown fixture option '" << word << "'";
  }
  return options;
}

/// The rendered diagnostics, with the fixtures directory taken out of resource
/// paths so that the golden files do not depend on where the checkout is.
std::string renderedDiagnostics(const std::string& name) {
  const std::string text = testing::readFile(validateDir() / (name + ".yaml"));
  ReadResult result = readFelisText(text, name + ".yaml", optionsFor(text));
  std::string rendered = renderDiagnostics(result);
  const std::string prefix = validateDir().string() + "/";
  for (std::size_t at = rendered.find(prefix); at != std::string::npos; at = rendered.find(prefix, at))
    rendered.erase(at, prefix.size());
  // A file with errors yields no model; one without yields one.
  EXPECT_EQ(result.schema == nullptr, result.diagnostics.hasErrors()) << name;
  return rendered;
}

class ValidateGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ValidateGolden, DiagnosticsMatchGoldenFile) {
  const std::string& name = GetParam();
  const std::string actual = renderedDiagnostics(name);
  const std::filesystem::path golden = validateDir() / (name + ".stderr");
  testing::expectGolden(golden, actual, "diagnostics of " + name + ".yaml");
}

std::string testName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ValidateGolden, ::testing::ValuesIn(caseNames()), testName);

TEST(ValidateGolden, EveryFixtureHasAGoldenFileAndEveryGoldenFileAFixture) {
  for (const auto& entry : std::filesystem::directory_iterator(validateDir())) {
    if (entry.path().extension() != ".stderr") continue;
    std::filesystem::path yaml = entry.path();
    yaml.replace_extension(".yaml");
    EXPECT_TRUE(std::filesystem::exists(yaml)) << entry.path() << " has no fixture";
  }
}

}  // namespace
}  // namespace felisc::felis
