// Every JSON output has a JSON Schema in docs/json-schemas/ and carries the
// same "format" and "version" keys. The JSON the test suite produces and keeps
// (the plan goldens of fixtures/diff and fixtures/diff-online) and the JSON of
// every command on real material (validate and inspect's model of every
// sdm_schemas file, diff of every history/cdb_latiss pair both ways, online,
// verify and drift reports) is checked with python3-jsonschema
// (tools/check-json-schemas.py); a document with a missing key must fail.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "compiler/verify/migration_verify.h"
#include "emitters/model_json.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

class JsonSchemas : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("felisc-json-schemas-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Keeps `json` as the next document to check.
  void keep(const std::string& name, const std::string& json) {
    fs::path path = dir_ / (std::to_string(files_.size()) + "-" + name + ".json");
    std::ofstream(path, std::ios::binary) << json;
    files_.push_back(path.string());
  }

  /// Runs the checker on `files`; its exit status (0: all valid).
  int check(const std::vector<std::string>& files) {
    std::string command = "python3 '" +
                          (fs::path(FELISC_SOURCE_DIR) / "tools" / "check-json-schemas.py").string() + "' '" +
                          (fs::path(FELISC_SOURCE_DIR) / "docs" / "json-schemas").string() + "'";
    for (const auto& file : files) command += " '" + file + "'";
    command += " > '" + (dir_ / "check.log").string() + "' 2>&1";
    int status = std::system(command.c_str());
    log_ = readFile(dir_ / "check.log");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  fs::path dir_;
  std::vector<std::string> files_;
  std::string log_;
};

verify::Report verifyReport(bool failed) {
  verify::Report report;
  report.schema = "demo";
  report.database = "dbname=x";
  report.target_label = "new.yaml";
  report.start_present = true;
  report.start_tables = 2;
  report.upgrade.file = "up.sql";
  report.upgrade.statements = 4;
  report.upgrade.run = 4;
  report.upgrade.compared = !failed;
  report.upgrade.differences.push_back({{"table exposure", "column band"}, "type", "bigint", "integer"});
  if (failed) {
    verify::StatementFailure failure;
    failure.step = "upgrade";
    failure.file = "up.sql";
    failure.index = 2;
    failure.pos = {3, 5};
    failure.first_line = "ALTER TABLE demo.exposure ...";
    failure.error.message = "column does not exist";
    failure.error.sqlstate = "42703";
    report.failure = failure;
  } else {
    report.downgrade.file = "down.sql";
    report.downgrade.compared = true;
  }
  report.rolled_back = true;
  return report;
}

TEST_F(JsonSchemas, EveryJsonOutputValidatesAgainstItsSchema) {
  // The goldens the suite compares plans with.
  for (const char* golden_dir : {"diff", "diff-online"})
    for (const auto& entry : fs::recursive_directory_iterator(fixturesDir() / golden_dir))
      if (entry.path().extension() == ".json") files_.push_back(entry.path().string());
  ASSERT_GE(files_.size(), 30u);

  // validate: every real schema file in one run, and an invalid file.
  std::vector<std::string> yml;
  for (const auto& path : yamlFilesIn(sdmSchemasDir() / "yml")) yml.push_back(path.string());
  ASSERT_FALSE(yml.empty());
  std::vector<std::string> validate = {"validate", "--format", "json"};
  validate.insert(validate.end(), yml.begin(), yml.end());
  keep("validate-yml", runFelisc(validate).out);
  keep("validate-invalid",
       runFelisc({"validate", "--format", "json", (fixturesDir() / "cli" / "invalid.yaml").string()}).out);

  // inspect's model JSON, one schema and several.
  std::vector<model::Schema> schemas;
  for (const auto& file : yml) {
    felis::ReadResult result = felis::readFelisFile(file, {});
    if (!result.schema) continue;
    keep("model-" + fs::path(file).stem().string(), emit::modelToJson(*result.schema));
    schemas.push_back(*result.schema);
  }
  keep("models", emit::modelsToJson(schemas));

  // diff: every consecutive history pair, both directions; one online plan.
  std::vector<fs::path> history = yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss");
  for (std::size_t i = 0; i + 1 < history.size(); ++i)
    for (const char* direction : {"up", "down"})
      keep("plan-" + std::to_string(i) + direction,
           runFelisc({"diff", "--format", "json", "--allow-data-loss", "--direction", direction,
                      history[i].string(), history[i + 1].string()})
               .out);
  keep("plan-online", runFelisc({"diff", "--format", "json", "--online", "--allow-data-loss",
                                 history[history.size() - 3].string(), history[history.size() - 2].string()})
                          .out);

  // verify and drift reports (their database runs are in tests/pg).
  keep("verify-exact", verify::reportJson(verifyReport(false)));
  keep("verify-failed", verify::reportJson(verifyReport(true)));
  verify::DriftReport drift;
  drift.schema = "demo";
  drift.file = "demo.yaml";
  drift.differences.push_back({{"table exposure"}, "missing", "present", "absent"});
  drift.notes.push_back({{"table exposure"}, "column order", "a, b", "b, a"});
  keep("drift", verify::driftJson(drift));
  keep("drift-equal", verify::driftJson(verify::DriftReport{}));

  EXPECT_EQ(check(files_), 0) << log_;
}

TEST_F(JsonSchemas, EveryOutputCarriesFormatAndVersion) {
  std::string demo = (fixturesDir() / "demo").string();
  std::vector<std::string> outputs = {
      runFelisc({"validate", "--format", "json", demo + "/old.yaml"}).out,
      runFelisc({"diff", "--format", "json", demo + "/old.yaml", demo + "/new.yaml"}).out,
      verify::reportJson(verifyReport(false)), verify::driftJson(verify::DriftReport{})};
  felis::ReadResult model = felis::readFelisFile(demo + "/old.yaml", {});
  ASSERT_TRUE(model.schema);
  outputs.push_back(emit::modelToJson(*model.schema));
  for (const auto& output : outputs) {
    nlohmann::json json = nlohmann::json::parse(output);
    EXPECT_TRUE(json["format"].is_string() && json["format"].get<std::string>().starts_with("felisc-"))
        << output;
    EXPECT_TRUE(json["version"].is_number_integer()) << output;
  }
}

TEST_F(JsonSchemas, ADocumentWithAMissingKeyFails) {
  std::string demo = (fixturesDir() / "demo").string();
  felis::ReadResult model = felis::readFelisFile(demo + "/old.yaml", {});
  ASSERT_TRUE(model.schema);
  std::vector<std::pair<std::string, std::string>> documents = {
      {"validate", runFelisc({"validate", "--format", "json", demo + "/old.yaml"}).out},
      {"plan", runFelisc({"diff", "--format", "json", demo + "/old.yaml", demo + "/new.yaml"}).out},
      {"model", emit::modelToJson(*model.schema)},
      {"verify", verify::reportJson(verifyReport(false))},
      {"drift", verify::driftJson(verify::DriftReport{})}};
  for (const auto& [name, text] : documents) {
    files_.clear();
    keep(name, text);
    ASSERT_EQ(check(files_), 0) << name << ": " << log_;
    for (const char* key : {"version", "schema"}) {
      nlohmann::ordered_json json = nlohmann::ordered_json::parse(text);
      if (!json.contains(key)) continue;
      json.erase(key);
      files_.clear();
      keep(name + "-without-" + key, json.dump(2));
      EXPECT_EQ(check(files_), 1) << name << " without " << key << " passed:\n" << log_;
    }
  }
}

}  // namespace
}  // namespace felisc::testing
