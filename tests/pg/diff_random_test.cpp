// The diff round-trip property (diff_roundtrip.h) on many random schema pairs
// (random_schema.h), on a real PostgreSQL, with rows in every table. Seeded and
// deterministic: FELISC_DIFF_SEED (default 20260101) and FELISC_DIFF_CASES
// (default 200) choose the run; a failure names the seed and case to replay.
// Even cases diff A -> B, odd cases B -> A. The cases are split into shards,
// each its own test, so ctest runs them beside the other suites instead of one
// long test at the end of the run. That the generator reaches every kind of
// change is a unit test (random_schema_test.cpp), which needs no server.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "tests/pg/diff_roundtrip.h"
#include "tests/support/random_schema.h"

namespace felisc::testing {
namespace {

constexpr std::uint64_t kShards = 4;

std::uint64_t fromEnvironment(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::strtoull(value, nullptr, 10);
}

class DiffRandom : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(DiffRandom, RoundTripOnRandomPairs) {
  const std::uint64_t seed = fromEnvironment("FELISC_DIFF_SEED", 20260101);
  const std::uint64_t cases = fromEnvironment("FELISC_DIFF_CASES", 200);
  const std::uint64_t first = cases * GetParam() / kShards;
  const std::uint64_t last = cases * (GetParam() + 1) / kShards;
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  std::size_t with_rows = 0;
  for (std::uint64_t i = first; i < last; ++i) {
    RandomSchemas generator(seed + i);
    model::Schema a = RandomSchemas::resolved(generator.schema());
    model::Schema b = RandomSchemas::resolved(generator.mutate(a));
    if (i % 2 == 1) std::swap(a, b);
    const std::string label = "seed " + std::to_string(seed + i) +
                              " (FELISC_DIFF_SEED=" + std::to_string(seed + i) + " FELISC_DIFF_CASES=1" +
                              (i % 2 == 1 ? ", reversed" : "") + ")";
    int rows = 0;
    diffcheck::checkRoundTripInto(rows, db, a, b, label);
    with_rows += rows > 0 ? 1 : 0;
    if (HasFailure()) {
      // The first failing case is the one to replay: say what it planned.
      const diff::ChangeSet changes = diff::diffSchemas(a, b);
      const diff::Plan plan = diff::plan(changes);
      std::cout << "[ DiffRandom ] " << label << ", its changes:\n";
      for (const auto& change : changes.changes) std::cout << "  " << diff::describe(change) << "\n";
      std::cout << "upgrade:\n"
                << emit::planSql(plan, diff::Direction::Up) << "downgrade:\n"
                << emit::planSql(plan, diff::Direction::Down);
      break;
    }
  }
  std::cout << "[ DiffRandom ] cases " << first << ".." << last << " from seed " << seed << ", " << with_rows
            << " with rows\n";
  if (last - first >= 20) {
    EXPECT_GT(with_rows, (last - first) / 2) << "most pairs run with rows in their tables";
  }
}

INSTANTIATE_TEST_SUITE_P(Shard, DiffRandom, ::testing::Range<std::uint64_t>(0, kShards));

}  // namespace
}  // namespace felisc::testing
