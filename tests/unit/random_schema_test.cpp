// The random schema pairs that the PostgreSQL round-trip property runs on
// (tests/pg/diff_random_test.cpp, same seed and count) reach every kind of change
// a pair of Felis files can give, so that property covers all of them.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "diff_engine/change.h"
#include "diff_engine/differ.h"
#include "tests/support/random_schema.h"

namespace felisc::testing {
namespace {

TEST(RandomSchemas, TheRoundTripCasesReachEveryKindOfChange) {
  std::map<std::string, int> kinds;
  for (std::uint64_t i = 0; i < 200; ++i) {
    RandomSchemas generator(20260101 + i);
    model::Schema a = RandomSchemas::resolved(generator.schema());
    model::Schema b = RandomSchemas::resolved(generator.mutate(a));
    if (i % 2 == 1) std::swap(a, b);
    for (const auto& change : diff::diffSchemas(a, b).changes) ++kinds[std::string(diff::kindName(change))];
  }
  for (const char* kind :
       {"add_table", "drop_table", "rename_table", "add_column", "drop_column", "alter_column",
        "rename_column", "set_comment", "add_constraint", "drop_constraint", "rename_constraint",
        "add_primary_key", "drop_primary_key", "add_index", "drop_index", "rename_index", "rename_sequence"})
    EXPECT_GT(kinds[kind], 0) << kind;
}

TEST(RandomSchemas, TheSameSeedGivesTheSamePair) {
  RandomSchemas first(20260101);
  RandomSchemas second(20260101);
  const model::Schema a = first.schema();
  const model::Schema b = second.schema();
  EXPECT_EQ(diff::diffSchemas(RandomSchemas::resolved(a), RandomSchemas::resolved(b)).changes.size(), 0u);
}

}  // namespace
}  // namespace felisc::testing
