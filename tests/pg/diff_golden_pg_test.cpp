// Every diff golden case (fixtures/diff/<case>/) on a real PostgreSQL, with rows
// in every table: upgrade, compare with a fresh create of new.yaml, downgrade,
// compare with a fresh create of old.yaml, no row or value lost (see
// diff_roundtrip.h). Missing backfills are filled by the test, so that the
// guards do not stop the upgrade of tables with rows.
#include <gtest/gtest.h>

#include "tests/pg/diff_roundtrip.h"
#include "tests/unit/diff_golden.h"

namespace felisc::testing {
namespace {

class DiffGoldenPg : public ::testing::TestWithParam<std::string> {};

TEST_P(DiffGoldenPg, RoundTripWithRows) {
  DiffCase diff_case = loadDiffCase(GetParam());
  ASSERT_TRUE(diff_case.ok) << diff_case.errors;
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  diffcheck::checkRoundTrip(db, diff_case.old_schema, diff_case.new_schema, GetParam(), 3,
                            diff_case.diff_options);
}

TEST_P(DiffGoldenPg, RoundTripEmpty) {
  DiffCase diff_case = loadDiffCase(GetParam());
  ASSERT_TRUE(diff_case.ok) << diff_case.errors;
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  diffcheck::checkRoundTrip(db, diff_case.old_schema, diff_case.new_schema, GetParam(), 0,
                            diff_case.diff_options);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DiffGoldenPg, ::testing::ValuesIn(diffCases()),
                         [](const ::testing::TestParamInfo<std::string>& case_info) {
                           return case_info.param;
                         });

}  // namespace
}  // namespace felisc::testing
