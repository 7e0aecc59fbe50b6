// Round trips through a real PostgreSQL, for every file of the sdm_schemas
// corpus (yml/*.yaml) and every version in history/cdb_latiss:
//
//   1. Felis file -> model -> `create` SQL -> database -> catalog -> model:
//      the catalog model equals the file's model on what a database holds.
//   2. `felisc inspect --format yaml` of that database -> Felis file, which the
//      Felis reader accepts with no error -> `create` into a fresh schema ->
//      catalog -> model: identical to the first catalog.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "compiler/catalog/reader.h"
#include "compiler/cli/cli.h"
#include "compiler/felis/reader.h"
#include "emitters/felis_yaml.h"
#include "emitters/postgres_ddl.h"
#include "schema_model/compare.h"
#include "schema_model/type_mapping.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpusFiles() {
  std::vector<fs::path> files = yamlFilesIn(sdmSchemasDir() / "yml");
  for (const fs::path& file : yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss")) files.push_back(file);
  return files;
}

/// history/cdb_latiss 02-09 reuse constraint names across tables, which only
/// today's felis rejects: they are read as `create` and `diff` read them.
felis::ReadOptions readOptionsFor(const fs::path& file) {
  felis::ReadOptions options;
  const std::string name = file.filename().string();
  if (file.parent_path().filename() == "cdb_latiss" && name >= "02" && name < "10")
    options.strict_felis = false;
  return options;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += "  " + line + "\n";
  return text;
}

std::string renderAll(const model::Diagnostics& diagnostics) {
  std::string text;
  for (const auto& diagnostic : diagnostics.all()) text += "  " + model::renderDiagnostic(diagnostic);
  return text;
}

/// The catalog of `schema` in `db`, or an empty model and a test failure.
model::Schema readCatalog(ScratchDatabase& db, const std::string& schema) {
  catalog::CatalogResult result = catalog::readSchemas(db.conninfo(), {schema});
  EXPECT_FALSE(result.diagnostics.hasErrors()) << renderAll(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << "the reader warned:\n" << renderAll(result.diagnostics);
  if (result.schemas.size() != 1) return {};
  return std::move(result.schemas.front());
}

/// `felisc inspect DB --schema NAME --format yaml`, run in-process.
std::string inspectYaml(const std::string& conninfo, const std::string& schema, std::string& err) {
  const char* argv[] = {"felisc",   "inspect", conninfo.c_str(), "--schema", schema.c_str(),
                        "--format", "yaml"};
  std::ostringstream out;
  std::ostringstream errors;
  int code = cli::run(7, argv, out, errors);
  err = errors.str();
  EXPECT_EQ(code, cli::kExitOk) << err;
  return out.str();
}

class CatalogRoundTrip : public ::testing::TestWithParam<fs::path> {};

TEST_P(CatalogRoundTrip, FileToDatabaseToFileToDatabase) {
  const fs::path file = GetParam();
  const felis::ReadOptions options = readOptionsFor(file);
  felis::ReadResult read = felis::readFelisFile(file.string(), options);
  ASSERT_TRUE(read.schema) << felis::renderDiagnostics(read);
  const model::Schema& from_file = *read.schema;

  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(emit::createSchemaSql(from_file)));

  // 1. The catalog equals the file on what a database holds.
  const model::Schema from_database = readCatalog(db, from_file.name);
  const std::vector<std::string> differences = model::compareSchemas(from_file, from_database);
  EXPECT_TRUE(differences.empty()) << file.filename() << ": file vs catalog:\n" << joinLines(differences);

  // 2. inspect --format yaml writes a file the reader accepts...
  std::string warnings;
  const std::string yaml = inspectYaml(db.conninfo(), from_file.name, warnings);
  // Nothing is lost on the way, except (history 02-09) constraint names reused
  // across tables, which the database holds and today's Felis rejects.
  std::istringstream warning_lines(warnings);
  for (std::string line; std::getline(warning_lines, line);)
    if (options.strict_felis || line.find("the name is used on") == std::string::npos)
      ADD_FAILURE() << file.filename() << ": " << line;
  felis::ReadResult reread = felis::readFelisText(yaml, "inspect.yaml", options);
  ASSERT_TRUE(reread.schema) << felis::renderDiagnostics(reread) << yaml.substr(0, 2000);
  EXPECT_EQ(reread.diagnostics.errorCount(), 0u) << felis::renderDiagnostics(reread);
  // ... that says what the database holds ...
  EXPECT_TRUE(model::compareSchemas(from_database, *reread.schema).empty())
      << joinLines(model::compareSchemas(from_database, *reread.schema));

  // ... and that, created afresh, gives back the same catalog.
  ASSERT_TRUE(db.exec("DROP SCHEMA " + model::postgresQuoteIdentifier(from_file.name) + " CASCADE"));
  ASSERT_TRUE(db.exec(emit::createSchemaSql(*reread.schema)));
  const model::Schema recreated = readCatalog(db, from_file.name);
  const std::vector<std::string> again = model::compareSchemas(from_database, recreated);
  EXPECT_TRUE(again.empty()) << file.filename() << ": catalog vs catalog of the inspected file:\n"
                             << joinLines(again);
}

std::string testName(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.parent_path().filename().string() + "_" + info.param.stem().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CatalogRoundTrip, ::testing::ValuesIn(corpusFiles()), testName);

TEST(CatalogRoundTripCorpus, CoversEveryFile) {
  // 26 current files and 33 history versions at the time of writing; never fewer than that.
  EXPECT_GE(yamlFilesIn(sdmSchemasDir() / "yml").size(), 26u);
  EXPECT_GE(yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss").size(), 33u);
}

}  // namespace
}  // namespace felisc::testing
