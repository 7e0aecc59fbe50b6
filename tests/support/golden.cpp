#include "tests/support/golden.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "tests/support/test_paths.h"

namespace felisc::testing {

bool updatingGoldens() {
  const char* update = std::getenv("FELISC_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

void expectGolden(const std::filesystem::path& golden, const std::string& actual, const std::string& what) {
  if (updatingGoldens()) {
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(golden))
      << golden << " is missing; run with FELISC_UPDATE_GOLDEN=1 to create it, then review it";
  EXPECT_EQ(actual, readFile(golden)) << what << " differs from " << golden
                                      << "; if the change is intended, run the test with "
                                         "FELISC_UPDATE_GOLDEN=1 and review the diff";
}

}  // namespace felisc::testing
