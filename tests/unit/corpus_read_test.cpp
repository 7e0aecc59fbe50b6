/// \file
/// The real sdm_schemas corpus through the Felis reader: every current file
/// reads cleanly, the six files of felis-format.md §8 have the counts measured
/// with felis, and the 33 cdb_latiss versions validate as today's felis says.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "compiler/felis/reader.h"
#include "tests/support/test_paths.h"

namespace felisc::felis {
namespace {

std::set<std::string> diagnosticCodes(const ReadResult& result, model::Severity severity) {
  std::set<std::string> codes;
  for (const auto& d : result.diagnostics.all())
    if (d.severity == severity) codes.insert(std::string(d.code()));
  return codes;
}

TEST(CorpusRead, EveryCurrentFileReadsWithoutErrors) {
  // The only warnings allowed are those felis gives too: an integer
  // `votable:arraysize` is deprecated (oga_live_obscore, twice).
  const std::map<std::string, std::size_t> expected_warnings = {{"oga_live_obscore.yaml", 2}};
  std::size_t files = 0;
  for (const auto& path : testing::yamlFilesIn(testing::sdmSchemasDir() / "yml")) {
    ++files;
    ReadResult result = readFelisFile(path.string());
    const std::string name = path.filename().string();
    EXPECT_TRUE(result.schema != nullptr) << name << ":\n" << renderDiagnostics(result);
    EXPECT_EQ(result.diagnostics.errorCount(), 0u) << renderDiagnostics(result);
    auto expected = expected_warnings.find(name);
    EXPECT_EQ(result.diagnostics.warningCount(), expected == expected_warnings.end() ? 0u : expected->second)
        << renderDiagnostics(result);
    if (result.diagnostics.warningCount() != 0) {
      EXPECT_EQ(diagnosticCodes(result, model::Severity::Warning), (std::set<std::string>{"FEL113"})) << name;
    }
  }
  EXPECT_EQ(files, 26u);
}

struct Expected {
  std::string file;
  std::string schema_name;
  std::size_t tables, columns, unique, foreign_keys, indexes, primary_keys;
  std::map<std::string, std::size_t> datatypes;
};

/// felis-format.md §8, as measured with felis v30.0.11.
const std::vector<Expected>& sixFiles() {
  static const std::vector<Expected> files = {
      {"cdb_latiss.yaml",
       "cdb_latiss",
       13,
       236,
       13,
       28,
       0,
       13,
       {{"float", 113},
        {"string", 38},
        {"int", 37},
        {"double", 19},
        {"long", 13},
        {"timestamp", 6},
        {"boolean", 6},
        {"text", 4}}},
      {"cdb_lsstcam.yaml",
       "cdb_lsstcam",
       13,
       396,
       13,
       28,
       0,
       13,
       {{"float", 257},
        {"int", 50},
        {"string", 38},
        {"double", 22},
        {"long", 13},
        {"timestamp", 6},
        {"boolean", 6},
        {"text", 4}}},
      {"cdb_startrackerwide.yaml",
       "cdb_startrackerwide",
       4,
       65,
       1,
       3,
       0,
       4,
       {{"float", 36}, {"string", 9}, {"double", 8}, {"int", 4}, {"long", 3}, {"timestamp", 3}, {"text", 2}}},
      {"dp02_dc2.yaml",
       "dp02_dc2_catalogs",
       12,
       1534,
       0,
       9,
       0,
       9,
       {{"double", 778},
        {"boolean", 598},
        {"long", 54},
        {"float", 50},
        {"char", 18},
        {"int", 16},
        {"string", 15},
        {"timestamp", 4},
        {"text", 1}}},
      {"apdb.yaml",
       "ApdbSchema",
       12,
       462,
       10,
       4,
       10,
       10,
       {{"float", 212},
        {"double", 113},
        {"boolean", 47},
        {"int", 37},
        {"long", 18},
        {"char", 15},
        {"text", 8},
        {"timestamp", 7},
        {"short", 4},
        {"string", 1}}},
      {"efd_lsstcam.yaml",
       "efd_lsstcam",
       4,
       960,
       2,
       0,
       0,
       4,
       {{"float", 940}, {"int", 8}, {"long", 4}, {"timestamp", 4}, {"string", 4}}},
  };
  return files;
}

TEST(CorpusRead, SixFilesMatchTheCountsMeasuredWithFelis) {
  for (const Expected& expected : sixFiles()) {
    ReadResult result = readFelisFile((testing::sdmSchemasDir() / "yml" / expected.file).string());
    ASSERT_TRUE(result.schema) << renderDiagnostics(result);
    const model::Schema& schema = *result.schema;
    std::size_t columns = 0, unique = 0, foreign_keys = 0, checks = 0, indexes = 0, primary_keys = 0;
    std::map<std::string, std::size_t> datatypes;
    for (const model::Table& table : schema.tables) {
      columns += table.columns.size();
      indexes += table.indexes.size();
      primary_keys += table.primary_key.has_value();
      for (const model::Column& column : table.columns)
        ++datatypes[std::string(model::felisTypeName(column.datatype))];
      for (const model::Constraint& constraint : table.constraints) {
        unique += constraint.kind == model::ConstraintKind::Unique;
        foreign_keys += constraint.kind == model::ConstraintKind::ForeignKey;
        checks += constraint.kind == model::ConstraintKind::Check;
      }
    }
    SCOPED_TRACE(expected.file);
    EXPECT_EQ(schema.name, expected.schema_name);
    EXPECT_EQ(schema.tables.size(), expected.tables);
    EXPECT_EQ(columns, expected.columns);
    EXPECT_EQ(unique, expected.unique);
    EXPECT_EQ(foreign_keys, expected.foreign_keys);
    EXPECT_EQ(checks, 0u);
    EXPECT_EQ(indexes, expected.indexes);
    EXPECT_EQ(primary_keys, expected.primary_keys);
    EXPECT_EQ(datatypes, expected.datatypes);
  }
}

TEST(CorpusRead, ApdbDependsOnIdGenerationAndKeepsItsVersionString) {
  const auto path = testing::sdmSchemasDir() / "yml" / "apdb.yaml";
  ReadResult generated = readFelisFile(path.string());
  ASSERT_TRUE(generated.schema) << renderDiagnostics(generated);
  EXPECT_EQ(generated.schema->id, "#ApdbSchema");
  ASSERT_TRUE(generated.schema->version);
  EXPECT_FALSE(generated.schema->version->is_mapping);
  EXPECT_EQ(generated.schema->version->current, "10.0.0");

  ReadOptions no_ids;
  no_ids.id_generation = false;
  ReadResult without = readFelisFile(path.string(), no_ids);
  EXPECT_FALSE(without.schema);
  EXPECT_GT(without.diagnostics.errorCount(), 400u);  // most of its 462 columns have no @id
}

TEST(CorpusRead, ColumnRefsFilesCopyTheirResourceColumns) {
  // lsstcam copies Object columns from drp_base.yaml, ppdb DiaObject columns
  // from apdb.yaml: the copy keeps the resource column's facts under the
  // referencing table's @id.
  struct Case {
    const char* file;
    const char* resource;
    const char* table;
    const char* column;
  };
  for (const Case& c : {Case{"lsstcam.yaml", "drp_base.yaml", "Object", "z_ra"},
                        Case{"ppdb.yaml", "apdb.yaml", "DiaObject", "ra"}}) {
    SCOPED_TRACE(c.file);
    ReadResult result = readFelisFile((testing::sdmSchemasDir() / "yml" / c.file).string());
    ReadResult resource = readFelisFile((testing::sdmSchemasDir() / "yml" / c.resource).string());
    ASSERT_TRUE(result.schema && resource.schema) << renderDiagnostics(result) << renderDiagnostics(resource);
    const model::Table* table = result.schema->findTable(c.table);
    const model::Table* source_table = resource.schema->findTable(c.table);
    ASSERT_TRUE(table && source_table);
    const model::Column* copy = table->findColumn(c.column);
    const model::Column* source = source_table->findColumn(c.column);
    ASSERT_TRUE(copy && source);
    EXPECT_EQ(copy->id, table->id + "." + c.column);
    EXPECT_EQ(copy->datatype, source->datatype);
    EXPECT_EQ(copy->description, source->description);
    EXPECT_EQ(copy->annotations, source->annotations);
    EXPECT_EQ(copy->sql_type, source->sql_type);
  }
  for (const char* file : {"dp2.yaml", "ap_extra.yaml", "hsc.yaml", "imsim.yaml"}) {
    ReadResult result = readFelisFile((testing::sdmSchemasDir() / "yml" / file).string());
    EXPECT_TRUE(result.schema) << renderDiagnostics(result);
  }
}

/// history/cdb_latiss/NN_*.yaml, by version number.
std::map<int, std::filesystem::path> historyFiles() {
  std::map<int, std::filesystem::path> files;
  for (const auto& path : testing::yamlFilesIn(testing::sdmSchemasDir() / "history" / "cdb_latiss"))
    files[std::stoi(path.filename().string().substr(0, 2))] = path;
  return files;
}

TEST(CorpusRead, HistoryValidatesAsTodaysFelis) {
  // 02-09 reuse foreign key names across tables (fk_obs_id, fk_key), which
  // today's felis rejects; every other version is valid.
  const auto files = historyFiles();
  ASSERT_EQ(files.size(), 33u);
  for (const auto& [version, path] : files) {
    ReadResult result = readFelisFile(path.string());
    const bool reuses_names = version >= 2 && version <= 9;
    SCOPED_TRACE(path.filename().string());
    EXPECT_EQ(result.schema == nullptr, reuses_names) << renderDiagnostics(result);
    EXPECT_EQ(result.diagnostics.warningCount(), 0u);
    if (reuses_names) {
      EXPECT_EQ(diagnosticCodes(result, model::Severity::Error), (std::set<std::string>{"FEL216"}));
      std::set<std::string> names;
      for (const auto& d : result.diagnostics.all())
        if (d.id == model::DiagId::err_duplicate_constraint_name)
          names.insert(d.message.substr(17, d.message.find('\'', 17) - 17));
      EXPECT_EQ(names, (std::set<std::string>{"fk_key", "fk_obs_id"}));
    } else {
      EXPECT_EQ(result.diagnostics.errorCount(), 0u);
    }
  }
}

TEST(CorpusRead, EveryHistoryVersionLoadsForCreateAndDiff) {
  ReadOptions loose;
  loose.strict_felis = false;
  for (const auto& [version, path] : historyFiles()) {
    ReadResult result = readFelisFile(path.string(), loose);
    SCOPED_TRACE(path.filename().string());
    ASSERT_TRUE(result.schema) << renderDiagnostics(result);
    EXPECT_EQ(result.diagnostics.errorCount(), 0u);
    if (version >= 2 && version <= 9) {
      EXPECT_GT(result.diagnostics.warningCount(), 0u);
      EXPECT_EQ(diagnosticCodes(result, model::Severity::Warning), (std::set<std::string>{"FEL217"}));
    } else {
      EXPECT_EQ(result.diagnostics.warningCount(), 0u);
    }
  }
}

}  // namespace
}  // namespace felisc::felis
