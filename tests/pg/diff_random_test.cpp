// The diff round-trip property (diff_roundtrip.h) on many random schema pairs
// (random_schema.h), on a real PostgreSQL, with rows in every table. Seeded and
// deterministic: FELISC_DIFF_SEED (default 20260101) and FELISC_DIFF_CASES
// (default 200) choose the run; a failure names the seed and case to replay.
// Even cases diff A -> B, odd cases B -> A.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include "tests/pg/diff_roundtrip.h"
#include "tests/support/random_schema.h"

namespace felisc::testing {
namespace {

std::uint64_t fromEnvironment(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::strtoull(value, nullptr, 10);
}

TEST(DiffRandom, RoundTripOnRandomPairs) {
  const std::uint64_t seed = fromEnvironment("FELISC_DIFF_SEED", 20260101);
  const std::uint64_t cases = fromEnvironment("FELISC_DIFF_CASES", 200);
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  std::map<std::string, int> kinds;
  std::size_t changed = 0;
  std::size_t with_rows = 0;
  for (std::uint64_t i = 0; i < cases; ++i) {
    RandomSchemas generator(seed + i);
    model::Schema a = RandomSchemas::resolved(generator.schema());
    model::Schema b = RandomSchemas::resolved(generator.mutate(a));
    if (i % 2 == 1) std::swap(a, b);
    const std::string label = "seed " + std::to_string(seed + i) +
                              " (FELISC_DIFF_SEED=" + std::to_string(seed + i) + " FELISC_DIFF_CASES=1" +
                              (i % 2 == 1 ? ", reversed" : "") + ")";
    diff::ChangeSet changes = diff::diffSchemas(a, b);
    changed += changes.empty() ? 0 : 1;
    for (const auto& change : changes.changes) ++kinds[std::string(diff::kindName(change))];
    int rows = 0;
    diffcheck::checkRoundTripInto(rows, db, a, b, label);
    with_rows += rows > 0 ? 1 : 0;
    if (HasFailure()) {
      // The first failing case is the one to replay: say what it planned.
      const diff::Plan plan = diff::plan(changes);
      std::cout << "[ DiffRandom ] " << label << ", its changes:\n";
      for (const auto& change : changes.changes) std::cout << "  " << diff::describe(change) << "\n";
      std::cout << "upgrade:\n"
                << emit::planSql(plan, diff::Direction::Up) << "downgrade:\n"
                << emit::planSql(plan, diff::Direction::Down);
      break;
    }
  }
  std::string summary;
  for (const auto& [kind, count] : kinds) summary += " " + kind + "=" + std::to_string(count);
  RecordProperty("change_kinds", summary);
  std::cout << "[ DiffRandom ] " << cases << " cases from seed " << seed << ", " << changed
            << " with changes, " << with_rows << " with rows; change kinds:" << summary << "\n";
  // The generator reaches every kind of change a pair of Felis files can give.
  if (cases >= 200) {
    for (const char* kind : {"add_table", "drop_table", "rename_table", "add_column", "drop_column",
                             "alter_column", "rename_column", "set_comment", "add_constraint",
                             "drop_constraint", "rename_constraint", "add_primary_key", "drop_primary_key",
                             "add_index", "drop_index", "rename_index", "rename_sequence"})
      EXPECT_GT(kinds[kind], 0) << kind;
    EXPECT_GT(with_rows, cases / 2) << "most pairs run with rows in their tables";
  }
}

}  // namespace
}  // namespace felisc::testing
