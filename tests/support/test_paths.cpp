#include "tests/support/test_paths.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace felisc::testing {

std::filesystem::path fixturesDir() { return FELISC_FIXTURES_DIR; }

std::filesystem::path sdmSchemasDir() {
  if (const char* configured = std::getenv("SDM_SCHEMAS_DIR"); configured && *configured) return configured;
  std::filesystem::path beside = std::filesystem::path(FELISC_SOURCE_DIR) / ".." / "shared" / "sdm_schemas";
  EXPECT_TRUE(std::filesystem::is_directory(beside))
      << "set SDM_SCHEMAS_DIR to an sdm_schemas checkout (looked for " << beside << ")";
  return beside;
}

std::vector<std::filesystem::path> yamlFilesIn(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  EXPECT_FALSE(files.empty()) << "no .yaml files in " << directory;
  return files;
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t pyFileCount(const std::filesystem::path& directory) {
  std::size_t count = 0;
  std::error_code error;
  for (std::filesystem::directory_iterator it(directory, error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error))
    if (it->path().extension() == ".py") ++count;
  return count;
}

std::vector<std::string> nonEmptyLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace felisc::testing
