// Facts of the README's compatibility table (tools/history-report.sh,
// fixtures/history/cdb_latiss.md) over the 32 consecutive pairs of the real
// history/cdb_latiss, through `felisc diff --format json` in-process: no pair
// fails, every pair has a class, a bump and a verdict, and the classes of pairs
// whose changes we know by hand are what the rules say.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/cli_runner.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

struct PairResult {
  int exit_code = -1;
  nlohmann::json plan;
};

/// The upgrade of every pair, keyed "01", "02", ... by the number of its old side.
const std::map<std::string, PairResult>& history() {
  static const std::map<std::string, PairResult> results = [] {
    std::map<std::string, PairResult> out;
    std::vector<std::filesystem::path> files = yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss");
    for (std::size_t i = 0; i + 1 < files.size(); ++i) {
      CliRun run = runFelisc(
          {"diff", "--format", "json", "--allow-data-loss", files[i].string(), files[i + 1].string()});
      PairResult result{run.exit_code, {}};
      if (run.exit_code == 0 || run.exit_code == 1)
        result.plan = nlohmann::json::parse(run.out, nullptr, false);
      out[files[i].filename().string().substr(0, 2)] = std::move(result);
    }
    return out;
  }();
  return results;
}

std::string classOf(const std::string& pair) { return history().at(pair).plan["compatibility"]["class"]; }
std::string neededOf(const std::string& pair) {
  return history().at(pair).plan["compatibility"]["bump_needed"];
}
std::string verdictOf(const std::string& pair) {
  return history().at(pair).plan["schema_version"]["verdict"];
}

TEST(HistoryCompatibility, EveryPairHasAClassABumpAndAVerdict) {
  ASSERT_EQ(history().size(), 32U);
  const std::set<std::string> classes{"none", "compatible", "backward", "forward", "breaking"};
  const std::set<std::string> bumps{"none", "patch", "minor", "major"};
  const std::set<std::string> verdicts{"ok", "too_small", "goes_down", "not_checked"};
  for (const auto& [pair, result] : history()) {
    ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 1) << pair << ": exit " << result.exit_code;
    ASSERT_FALSE(result.plan.is_discarded()) << pair;
    EXPECT_TRUE(classes.contains(result.plan["compatibility"]["class"])) << pair;
    EXPECT_TRUE(bumps.contains(result.plan["compatibility"]["bump_needed"])) << pair;
    EXPECT_TRUE(verdicts.contains(result.plan["schema_version"]["verdict"])) << pair;
    // Every file of the history has a numeric version.current, so every pair is checked.
    EXPECT_NE(result.plan["schema_version"]["verdict"], "not_checked") << pair;
    for (const auto& step : result.plan["steps"])
      EXPECT_TRUE(classes.contains(step["compatibility"]["class"]));
  }
}

TEST(HistoryCompatibility, KnownPairsHaveTheirClass) {
  // 04 -> 05 renames two columns: breaking, and 2.0.0 stays: too small.
  EXPECT_EQ(classOf("04"), "breaking");
  EXPECT_EQ(neededOf("04"), "major");
  EXPECT_EQ(verdictOf("04"), "too_small");
  // 02 -> 03 renames and drops tables, bumped 1.1.0 -> 2.0.0.
  EXPECT_EQ(classOf("02"), "breaking");
  EXPECT_EQ(verdictOf("02"), "ok");
  // 03 -> 04 and 24 -> 25 change descriptions only.
  EXPECT_EQ(classOf("03"), "none");
  EXPECT_EQ(classOf("24"), "none");
  EXPECT_EQ(neededOf("24"), "none");
  // 27 -> 28 adds a nullable column and bumps 3.4.1 -> 3.5.0: backward, minor, as made.
  EXPECT_EQ(classOf("27"), "backward");
  EXPECT_EQ(neededOf("27"), "minor");
  EXPECT_EQ(history().at("27").plan["schema_version"]["bump_made"], "minor");
  EXPECT_EQ(verdictOf("27"), "ok");
  // 18 -> 19 adds a nullable column without a bump.
  EXPECT_EQ(classOf("18"), "backward");
  EXPECT_EQ(verdictOf("18"), "too_small");
  // 09 -> 10 only renames constraints: compatible both ways, a patch.
  EXPECT_EQ(classOf("09"), "compatible");
  EXPECT_EQ(neededOf("09"), "patch");
  // 15 -> 16 adds a unique constraint and foreign keys to existing tables.
  EXPECT_EQ(classOf("15"), "forward");
  // 21 -> 22 moves columns from exposure to exposure_quicklook: breaking both ways.
  EXPECT_EQ(classOf("21"), "breaking");
  EXPECT_FALSE(history().at("21").plan["compatibility"]["breaks_old_code"].empty());
  EXPECT_FALSE(history().at("21").plan["compatibility"]["breaks_new_code"].empty());
}

TEST(HistoryCompatibility, HazardsOfKnownPairs) {
  auto count = [](const std::string& pair, const std::string& kind) {
    int n = 0;
    for (const auto& step : history().at(pair).plan["steps"])
      for (const auto& hazard : step["hazards"]) n += hazard["kind"] == kind ? 1 : 0;
    return n;
  };
  // 21 -> 22 drops seven columns: each deletes data, breaks readers and locks exposure.
  EXPECT_EQ(count("21", "DELETES_DATA"), 7);
  EXPECT_EQ(count("21", "BREAKS_READERS"), 7);
  EXPECT_EQ(count("21", "ACQUIRES_ACCESS_EXCLUSIVE_LOCK"), 14);
  // Descriptions only: no hazard at all.
  EXPECT_EQ(history().at("24").plan["steps"].size(), 12U);
  for (const auto& step : history().at("24").plan["steps"]) EXPECT_TRUE(step["hazards"].empty());
  // 15 -> 16 adds foreign keys between existing tables: SHARE ROW EXCLUSIVE on both ends.
  EXPECT_EQ(count("15", "ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK"), 2);
}

}  // namespace
}  // namespace felisc::testing
