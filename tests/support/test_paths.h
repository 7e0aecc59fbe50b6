/// \file
/// Where tests find their inputs: the project's fixtures and the real sdm_schemas corpus.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace felisc::testing {

/// fixtures/ of this project.
std::filesystem::path fixturesDir();
/// $SDM_SCHEMAS_DIR, else ../shared/sdm_schemas beside the project. Fails the
/// calling test (never skips) when neither exists.
std::filesystem::path sdmSchemasDir();
/// The *.yaml files of a directory, sorted by name.
std::vector<std::filesystem::path> yamlFilesIn(const std::filesystem::path& directory);
/// Reads a whole file; fails the calling test when it cannot.
std::string readFile(const std::filesystem::path& path);
/// How many *.py files a directory holds (Alembic revisions); 0 when it is not there.
std::size_t pyFileCount(const std::filesystem::path& directory);
/// The non-empty lines of a command's output.
std::vector<std::string> nonEmptyLines(const std::string& text);

}  // namespace felisc::testing
