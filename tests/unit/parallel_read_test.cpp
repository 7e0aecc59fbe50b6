// readFelisFiles (issue 17: validate reads its files on all cores) gives the
// same results as reading the files one after another, in the order given:
// the real corpus, plus files with errors and a missing file between them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/felis/parallel_read.h"
#include "compiler/felis/reader.h"
#include "emitters/model_json.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

TEST(ParallelRead, SameResultsInTheSameOrderAsOneAfterAnother) {
  std::vector<std::string> paths;
  for (const auto& path : yamlFilesIn(sdmSchemasDir() / "yml")) paths.push_back(path.string());
  ASSERT_GE(paths.size(), 20u);
  // Invalid and unreadable files among them, so diagnostics are compared too.
  for (const auto& path : yamlFilesIn(fixturesDir() / "validate"))
    paths.insert(paths.begin() + 3, path.string());
  paths.insert(paths.begin() + 1, (fixturesDir() / "no-such-file.yaml").string());

  felis::ReadOptions options;
  options.strict_felis = true;
  for (unsigned threads : {2u, 3u, 0u}) {
    std::vector<felis::ReadResult> results = felis::readFelisFiles(paths, options, threads);
    ASSERT_EQ(results.size(), paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
      felis::ReadResult expected = felis::readFelisFile(paths[i], options);
      SCOPED_TRACE(paths[i] + " with " + std::to_string(threads) + " threads");
      EXPECT_EQ(felis::renderDiagnostics(results[i]), felis::renderDiagnostics(expected));
      ASSERT_EQ(results[i].schema != nullptr, expected.schema != nullptr);
      if (expected.schema) {
        EXPECT_EQ(emit::modelToJson(*results[i].schema), emit::modelToJson(*expected.schema));
      }
    }
  }
}

TEST(ParallelRead, NoFilesNoThreads) { EXPECT_TRUE(felis::readFelisFiles({}, {}).empty()); }

}  // namespace
}  // namespace felisc::testing
