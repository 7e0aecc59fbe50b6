#include "tests/support/corpus.h"

#include <gtest/gtest.h>

#include "tests/support/test_paths.h"

namespace felisc::testing {

namespace fs = std::filesystem;

std::vector<fs::path> historyFiles() {
  std::vector<fs::path> files = yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss");
  EXPECT_EQ(files.size(), 33u) << "history/cdb_latiss should hold 33 versions";
  return files;
}

fs::path historyVersion(const std::string& prefix) {
  for (const fs::path& file : historyFiles())
    if (file.filename().string().starts_with(prefix + "_")) return file;
  ADD_FAILURE() << "no history version " << prefix;
  return {};
}

felis::ReadOptions historyReadOptions(const fs::path& file) {
  felis::ReadOptions options;
  const std::string name = file.filename().string();
  const bool history = file.parent_path().filename() == "cdb_latiss";
  if (history && name >= "02" && name < "10") options.strict_felis = false;
  return options;
}

model::Schema readCorpusSchema(const fs::path& file) {
  felis::ReadResult result = felis::readFelisFile(file.string(), historyReadOptions(file));
  EXPECT_TRUE(result.schema) << felis::renderDiagnostics(result);
  return result.schema ? *result.schema : model::Schema{};
}

}  // namespace felisc::testing
