/// \file
/// TAP_SCHEMA rows (issue 16): each derivation rule of docs/tap-schema.md §3 on
/// small fixtures (fixtures/tap), the row diff and its inverse, the SQL, and the
/// upgrade of every consecutive pair of history/cdb_latiss replayed in memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "compiler/felis/tap_facts.h"
#include "diff_engine/tap_schema.h"
#include "emitters/tap_sql.h"
#include "tests/support/cli_runner.h"
#include "tests/support/run_command.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

using model::TapRow;
using model::TapRows;
using model::TapValue;

TapRows rowsOfFile(const std::filesystem::path& path, const diff::TapOptions& options = {}) {
  felis::ReadResult result = felis::readFelisFile(path.string());
  EXPECT_TRUE(result.schema) << felis::renderDiagnostics(result);
  if (!result.schema) return {};
  return diff::tapRowsOf(*result.schema, felis::tapSourceFacts(result.source_text, path.string()), options);
}

std::filesystem::path tapFixture(const std::string& name) { return testing::fixturesDir() / "tap" / name; }

const TapRow& columnRow(const TapRows& rows, const std::string& table, const std::string& column) {
  for (const TapRow& row : rows.columns)
    if (row.get("table_name") == table && row.get("column_name") == column) return row;
  ADD_FAILURE() << "no columns row " << table << "." << column;
  static const TapRow kNone{model::TapTable::Columns, std::vector<TapValue>(14)};
  return kNone;
}

TapValue v(const char* text) { return std::string(text); }
const TapValue kNull;

class TapRules : public ::testing::Test {
 protected:
  void SetUp() override { rows = rowsOfFile(tapFixture("rules.yaml")); }
  [[nodiscard]] const TapRow& col(const std::string& column) const {
    return columnRow(rows, "rules.Types", column);
  }
  TapRows rows;
};

TEST_F(TapRules, SchemaRowTakesNameUtypeStrippedDescriptionAndNoIndex) {
  ASSERT_EQ(rows.schemas.size(), 1u);
  const TapRow& schema = rows.schemas[0];
  EXPECT_EQ(schema.get("schema_name"), v("rules"));
  EXPECT_EQ(schema.get("utype"), v("ivo://rules"));
  EXPECT_EQ(schema.get("description"), v("Rules of the TAP_SCHEMA derivation."));  // whitespace stripped
  EXPECT_EQ(schema.get("schema_index"), kNull);                                    // never from the file
  diff::TapOptions options;
  options.schema_index = 42;
  EXPECT_EQ(rowsOfFile(tapFixture("rules.yaml"), options).schemas[0].get("schema_index"), v("42"));
}

TEST_F(TapRules, TableRowsAreQualifiedTablesWithIndexZeroWhenAbsent) {
  ASSERT_EQ(rows.tables.size(), 3u);
  EXPECT_EQ(rows.tables[0].values,
            (std::vector<TapValue>{v("rules"), v("rules.Types"), v("table"), v("obscore:Types"),
                                   v("Folded description of two lines."), v("7")}));
  EXPECT_EQ(rows.tables[1].get("table_name"), v("rules.Indexed"));
  EXPECT_EQ(rows.tables[1].get("table_index"), v("0"));  // absent -> 0, never NULL
  EXPECT_EQ(rows.tables[1].get("description"), kNull);
  EXPECT_EQ(rows.tables[1].get("utype"), kNull);
}

TEST_F(TapRules, DatatypeMapsFelisTypesToVOTableNames) {
  const std::map<std::string, std::string> expected = {
      {"b", "boolean"}, {"y", "unsignedByte"},   {"s", "short"},  {"i", "int"},    {"id", "long"},
      {"f", "float"},   {"d", "double"},         {"c16", "char"}, {"s64", "char"}, {"u8", "unicodeChar"},
      {"t", "char"},    {"bin", "unsignedByte"}, {"ts", "char"}};
  for (const auto& [column, datatype] : expected)
    EXPECT_EQ(col(column).get("datatype"), v(datatype.c_str())) << column;
}

TEST_F(TapRules, ArraysizeDefaultsFollowDatatypeAndLength) {
  EXPECT_EQ(col("c16").get("arraysize"), v("16"));
  EXPECT_EQ(col("c1").get("arraysize"), kNull);  // length <= 1
  EXPECT_EQ(col("s64").get("arraysize"), v("64*"));
  EXPECT_EQ(col("u8").get("arraysize"), v("8*"));
  EXPECT_EQ(col("bin").get("arraysize"), v("32*"));
  EXPECT_EQ(col("t").get("arraysize"), v("*"));
  EXPECT_EQ(col("t9").get("arraysize"), kNull);  // a stray length > 1 disables the '*'
  EXPECT_EQ(col("ts").get("arraysize"), v("*"));
  EXPECT_EQ(col("i").get("arraysize"), kNull);
  EXPECT_EQ(col("b").get("arraysize"), kNull);
}

TEST_F(TapRules, ForceUnboundedArraysizeChangesOnlyDefaultedStringUnicodeBinary) {
  diff::TapOptions options;
  options.force_unbounded_arraysize = true;
  TapRows forced = rowsOfFile(tapFixture("rules.yaml"), options);
  auto get = [&](const char* column) { return columnRow(forced, "rules.Types", column).get("arraysize"); };
  EXPECT_EQ(get("s64"), v("*"));
  EXPECT_EQ(get("u8"), v("*"));
  EXPECT_EQ(get("bin"), v("*"));
  EXPECT_EQ(get("c16"), v("16"));
  EXPECT_EQ(get("a_star"), v("12*"));  // explicit values are kept
  EXPECT_EQ(get("a_empty"), kNull);
  EXPECT_EQ(columnRow(forced, "rules.Types", "s64").get("size"), kNull);
}

TEST_F(TapRules, ExplicitArraysizeAndSize) {
  EXPECT_EQ(col("a_empty").get("arraysize"), kNull);  // '' -> NULL
  EXPECT_EQ(col("a_empty").get("size"), kNull);
  EXPECT_EQ(col("a_2d").get("arraysize"), v("3x4"));
  EXPECT_EQ(col("a_2d").get("size"), kNull);  // multi-dimensional
  EXPECT_EQ(col("a_star").get("arraysize"), v("12*"));
  EXPECT_EQ(col("a_star").get("size"), v("12"));
  EXPECT_EQ(col("c16").get("size"), v("16"));
  EXPECT_EQ(col("s64").get("size"), v("64"));
  EXPECT_EQ(col("t").get("size"), kNull);  // '*'
  EXPECT_EQ(col("clob").get("arraysize"), v("*"));
  EXPECT_EQ(diff::tapSizeOf(v("007")), v("7"));
  EXPECT_EQ(diff::tapSizeOf(v("3x4*")), kNull);
  EXPECT_EQ(diff::tapSizeOf(v("**")), kNull);
}

TEST_F(TapRules, XtypeTimestampDefaultAndExplicitEmptyKept) {
  EXPECT_EQ(col("ts").get("xtype"), v("timestamp"));
  EXPECT_EQ(col("ts_x").get("xtype"), v(""));  // explicit '' suppresses the default
  EXPECT_EQ(col("clob").get("xtype"), v("clob"));
  EXPECT_EQ(col("t").get("xtype"), kNull);
}

TEST_F(TapRules, UnitIsFirstNonEmptyOfIvoaUnitAndFitsTunit) {
  EXPECT_EQ(col("f").get("unit"), v("mag"));
  EXPECT_EQ(col("d").get("unit"), v("deg"));
  EXPECT_EQ(col("unit_empty").get("unit"), kNull);  // '' -> NULL
  EXPECT_EQ(col("i").get("unit"), kNull);
  EXPECT_EQ(col("f").get("ucd"), v("phot.mag"));
  EXPECT_EQ(col("i").get("ucd"), kNull);
}

TEST_F(TapRules, DescriptionAndUtypeKeepEmptyStringsNullWhenAbsent) {
  EXPECT_EQ(col("desc_empty").get("description"), v(""));
  EXPECT_EQ(col("desc_empty").get("utype"), v(""));
  EXPECT_EQ(col("i").get("description"), kNull);
  EXPECT_EQ(col("i").get("utype"), kNull);
}

TEST_F(TapRules, PrincipalStdColumnIndexDefaults) {
  EXPECT_EQ(col("id").get("principal"), v("1"));
  EXPECT_EQ(col("id").get("std"), v("1"));
  EXPECT_EQ(col("id").get("column_index"), v("-3"));  // negative values pass through
  EXPECT_EQ(col("i").get("principal"), v("0"));
  EXPECT_EQ(col("i").get("std"), v("0"));
  EXPECT_EQ(col("i").get("column_index"), kNull);
}

TEST_F(TapRules, IndexedOnlyForSingleStringKeyAndOneColumnIndexes) {
  EXPECT_EQ(col("id").get("indexed"), v("1"));  // primaryKey: '#Types.id'
  EXPECT_EQ(col("i").get("indexed"), v("0"));
  auto indexed = [&](const char* column) { return columnRow(rows, "rules.Indexed", column).get("indexed"); };
  EXPECT_EQ(indexed("pk"), v("0"));  // primaryKey: ['#Indexed.pk'] does not count
  EXPECT_EQ(indexed("one"), v("1"));
  EXPECT_EQ(indexed("two_a"), v("0"));  // multi-column index
  EXPECT_EQ(indexed("two_b"), v("0"));
  EXPECT_EQ(indexed("uniq"), v("0"));  // unique constraints never count
}

TEST_F(TapRules, ColumnRowsComeTableByTableInColumnOrder) {
  ASSERT_EQ(rows.columns.size(), 22u + 5u + 4u);
  EXPECT_EQ(rows.columns.front().get("column_name"), v("id"));
  EXPECT_EQ(rows.columns[22].get("column_name"), v("pk"));
  EXPECT_EQ(rows.columns.back().get("column_name"), v("parent"));
}

TEST_F(TapRules, KeysAreForeignKeysWithTheirColumnPairs) {
  ASSERT_EQ(rows.keys.size(), 3u);
  EXPECT_EQ(rows.keys[0].key.values,
            (std::vector<TapValue>{v("fk_child_types"), v("rules.Child"), v("rules.Types"), v("key:utype"),
                                   v("Child rows point at Types.")}));
  ASSERT_EQ(rows.keys[0].columns.size(), 1u);
  EXPECT_EQ(rows.keys[0].columns[0].values,
            (std::vector<TapValue>{v("fk_child_types"), v("typesId"), v("id")}));
  // Composite: one row per position, in the key's order.
  ASSERT_EQ(rows.keys[1].columns.size(), 2u);
  EXPECT_EQ(rows.keys[1].columns[0].values, (std::vector<TapValue>{v("fk_child_pair"), v("b"), v("two_a")}));
  EXPECT_EQ(rows.keys[1].columns[1].values, (std::vector<TapValue>{v("fk_child_pair"), v("a"), v("two_b")}));
  EXPECT_EQ(rows.keys[1].key.get("description"), kNull);
  // Self-referencing.
  EXPECT_EQ(rows.keys[2].key.get("target_table"), v("rules.Child"));
  diff::TapOptions options;
  options.unique_keys = true;
  TapRows unique = rowsOfFile(tapFixture("rules.yaml"), options);
  EXPECT_EQ(unique.keys[0].key.get("key_id"), v("rules_fk_child_types"));
  EXPECT_EQ(unique.keys[0].columns[0].get("key_id"), v("rules_fk_child_types"));
}

TEST(TapColumnRefs, CopiesKeepBaseValuesAndResourceGivesNoRows) {
  TapRows rows = rowsOfFile(tapFixture("refs/main.yaml"));
  ASSERT_EQ(rows.tables.size(), 1u);  // none of the resource schema
  ASSERT_EQ(rows.columns.size(), 5u);
  EXPECT_EQ(rows.columns[1].get("column_name"), v("id"));
  EXPECT_EQ(rows.columns[1].get("indexed"), v("1"));       // the key refers to the copy
  EXPECT_EQ(rows.columns[1].get("column_index"), v("1"));  // the resource column's own
  EXPECT_EQ(rows.columns[2].get("column_name"), v("psfFlux"));
  EXPECT_EQ(rows.columns[2].get("column_index"), v("99"));
  EXPECT_EQ(rows.columns[3].get("arraysize"), v("32*"));
  EXPECT_EQ(rows.columns[4].get("xtype"), v("timestamp"));
}

TEST(TapColumnRefs, IncrementNumbersCopiesWithoutAnOverride) {
  diff::TapOptions options;
  options.column_ref_index_increment = 10;
  TapRows rows = rowsOfFile(tapFixture("refs/main.yaml"), options);
  ASSERT_EQ(rows.columns.size(), 5u);
  EXPECT_EQ(rows.columns[0].get("column_index"), v("50"));  // own column untouched
  EXPECT_EQ(rows.columns[1].get("column_index"), v("10"));
  EXPECT_EQ(rows.columns[2].get("column_index"), v("99"));  // overridden: kept, counter not advanced
  EXPECT_EQ(rows.columns[3].get("column_index"), v("20"));
  EXPECT_EQ(rows.columns[4].get("column_index"), v("30"));
}

// The numbers felis's own load of the 26 sdm_schemas files gave (docs/tap-schema.md:
// "Checked by running", §3.2, §3.3).
TEST(TapCorpus, RowCountsMatchFelisOwnLoadOfTheSdmFiles) {
  std::vector<std::filesystem::path> files = testing::yamlFilesIn(testing::sdmSchemasDir() / "yml");
  ASSERT_EQ(files.size(), 26u);
  std::size_t schemas = 0, tables = 0, columns = 0, keys = 0, key_columns = 0, zero_index = 0, indexed = 0;
  for (const std::filesystem::path& file : files) {
    TapRows rows = rowsOfFile(file);
    schemas += rows.schemas.size();
    tables += rows.tables.size();
    columns += rows.columns.size();
    keys += rows.keys.size();
    for (const model::TapKey& key : rows.keys) key_columns += key.columns.size();
    for (const TapRow& row : rows.tables) zero_index += row.get("table_index") == v("0");
    for (const TapRow& row : rows.columns) indexed += row.get("indexed") == v("1");
  }
  EXPECT_EQ(schemas, 26u);
  EXPECT_EQ(tables, 194u);
  EXPECT_EQ(columns, 17467u);
  EXPECT_EQ(keys, 172u);
  EXPECT_EQ(key_columns, 304u);
  EXPECT_EQ(zero_index, 52u);
  EXPECT_EQ(indexed, 97u);
}

// --- the row diff -----------------------------------------------------------------

/// Applies `changes` to `state` as the database would, checking each one's precondition.
TapRows applyChanges(TapRows state, const std::vector<diff::TapChange>& changes) {
  std::map<model::TapTable, std::vector<TapRow>> tables;
  for (TapRow& row : state.schemas) tables[row.table].push_back(row);
  for (TapRow& row : state.tables) tables[row.table].push_back(row);
  for (TapRow& row : state.columns) tables[row.table].push_back(row);
  for (model::TapKey& key : state.keys) {
    tables[key.key.table].push_back(key.key);
    for (TapRow& row : key.columns) tables[row.table].push_back(row);
  }
  for (const diff::TapChange& change : changes) {
    std::vector<TapRow>& rows = tables[change.table()];
    auto same = [&](const TapRow& row) {
      return row.identity() ==
             (change.kind == diff::TapChange::Kind::Insert ? change.after : change.before).identity();
    };
    auto found = std::find_if(rows.begin(), rows.end(), same);
    switch (change.kind) {
      case diff::TapChange::Kind::Insert:
        EXPECT_EQ(found, rows.end()) << "duplicate insert " << change.after.identity();
        rows.push_back(change.after);
        break;
      case diff::TapChange::Kind::Delete:
        EXPECT_TRUE(found != rows.end() && *found == change.before) << "delete of a missing row";
        if (found != rows.end()) rows.erase(found);
        break;
      case diff::TapChange::Kind::Update:
        EXPECT_TRUE(found != rows.end() && *found == change.before) << "update of a missing row";
        if (found != rows.end()) *found = change.after;
        break;
    }
  }
  TapRows out;
  out.schemas = tables[model::TapTable::Schemas];
  out.tables = tables[model::TapTable::Tables];
  out.columns = tables[model::TapTable::Columns];
  for (TapRow& key : tables[model::TapTable::Keys]) {
    model::TapKey group{key, {}};
    for (TapRow& row : tables[model::TapTable::KeyColumns])
      if (row.get("key_id") == key.get("key_id")) group.columns.push_back(row);
    out.keys.push_back(std::move(group));
  }
  return model::sortedTapRows(std::move(out));
}

TEST(TapDiff, IdenticalStatesGiveNoChange) {
  TapRows rows = rowsOfFile(tapFixture("rules.yaml"));
  EXPECT_TRUE(diff::diffTapRows(rows, rows).empty());
}

TEST(TapDiff, ChangesAreUpdatesOfChangedColumnsOnly) {
  TapRows from = rowsOfFile(tapFixture("rules.yaml"));
  TapRows to = from;
  to.columns[3].values[5] = v("new description");
  to.keys[0].key.values[4] = v("new key description");
  std::vector<diff::TapChange> changes = diff::diffTapRows(from, to);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].kind, diff::TapChange::Kind::Update);
  EXPECT_EQ(diff::changedTapColumns(changes[0]), std::vector<std::string>{"description"});
  EXPECT_EQ(emit::tapChangeStatements(changes, {}),
            "UPDATE \"TAP_SCHEMA\".columns SET description = 'new description' WHERE table_name = "
            "'rules.Types' AND column_name = 's';\n"
            "UPDATE \"TAP_SCHEMA\".keys SET description = 'new key description' WHERE key_id = "
            "'fk_child_types';\n");
}

TEST(TapDiff, KeyMovedToAnotherTableIsReplacedWithItsColumns) {
  TapRows from = rowsOfFile(tapFixture("rules.yaml"));
  TapRows to = from;
  to.keys[0].key.values[2] = v("rules.Indexed");
  to.keys[0].columns[0].values[2] = v("pk");
  std::vector<diff::TapChange> up = diff::diffTapRows(from, to);
  ASSERT_EQ(up.size(), 4u);
  EXPECT_EQ(up[0].kind, diff::TapChange::Kind::Delete);
  EXPECT_EQ(up[0].table(), model::TapTable::KeyColumns);
  EXPECT_EQ(up[1].table(), model::TapTable::Keys);
  EXPECT_EQ(up[2].kind, diff::TapChange::Kind::Insert);
  EXPECT_EQ(up[2].table(), model::TapTable::Keys);
  EXPECT_EQ(applyChanges(from, up), model::sortedTapRows(to));
  EXPECT_EQ(applyChanges(to, diff::inverseTapChanges(up)), model::sortedTapRows(from));
}

TEST(TapDiff, RenamedSchemaReplacesEveryRowInForeignKeyOrder) {
  TapRows from = rowsOfFile(tapFixture("rules.yaml"));
  TapRows to = rowsOfFile(tapFixture("refs/main.yaml"));
  std::vector<diff::TapChange> up = diff::diffTapRows(from, to);
  EXPECT_EQ(up.size(), from.rowCount() + to.rowCount());
  EXPECT_EQ(up.front().table(), model::TapTable::KeyColumns);
  EXPECT_EQ(up.front().kind, diff::TapChange::Kind::Delete);
  EXPECT_EQ(applyChanges(from, up), model::sortedTapRows(to));
  EXPECT_EQ(applyChanges(to, diff::inverseTapChanges(up)), model::sortedTapRows(from));
}

// Issue 16: TAP_SCHEMA for A plus the upgrade equals a fresh fill for B, and the
// downgrade gives A back, for every consecutive pair of the cdb_latiss history
// (replayed in memory here; on PostgreSQL in tests/pg/tap_pg_test.cpp).
TEST(TapDiff, CdbLatissHistoryUpgradesAndDowngradesExactly) {
  std::vector<std::filesystem::path> files =
      testing::yamlFilesIn(testing::sdmSchemasDir() / "history" / "cdb_latiss");
  ASSERT_EQ(files.size(), 33u);
  // Older files reuse constraint names across tables: read as create/diff do.
  auto read = [](const std::filesystem::path& path) {
    felis::ReadOptions options;
    options.strict_felis = false;
    felis::ReadResult result = felis::readFelisFile(path.string(), options);
    EXPECT_TRUE(result.schema) << felis::renderDiagnostics(result);
    return result.schema ? diff::tapRowsOf(*result.schema, felis::tapSourceFacts(result.source_text, ""))
                         : TapRows{};
  };
  std::size_t changed = 0;
  std::size_t refused = 0;
  for (std::size_t i = 0; i + 1 < files.size(); ++i) {
    SCOPED_TRACE(files[i].filename().string() + " -> " + files[i + 1].filename().string());
    TapRows a = read(files[i]);
    TapRows b = read(files[i + 1]);
    if (!diff::duplicateTapKeyIds(a).empty() || !diff::duplicateTapKeyIds(b).empty()) {
      ++refused;  // 02-09 reuse foreign key names across tables: no TAP_SCHEMA holds them
      continue;
    }
    std::vector<diff::TapChange> up = diff::diffTapRows(a, b);
    changed += !up.empty();
    EXPECT_EQ(applyChanges(a, up), model::sortedTapRows(b));
    EXPECT_EQ(applyChanges(b, diff::inverseTapChanges(up)), model::sortedTapRows(a));
  }
  EXPECT_EQ(refused, 9u);  // 01->02 ... 09->10
  EXPECT_GT(changed, 15u);
  EXPECT_EQ(diff::duplicateTapKeyIds(read(files[1])), (std::vector<std::string>{"fk_key", "fk_obs_id"}));
}

// --- SQL --------------------------------------------------------------------------

TEST(TapSql, InsertsNameEveryColumnWithExactLiterals) {
  TapRows rows;
  rows.schemas.push_back(TapRow{model::TapTable::Schemas, {v("s"), kNull, v("it's 100% \\ fine"), v("3")}});
  emit::TapSqlOptions options;
  options.names.postfix = "11";
  EXPECT_EQ(
      emit::tapInsertSql(rows, options),
      "BEGIN;\n"
      "INSERT INTO \"TAP_SCHEMA\".schemas11 (schema_name, utype, description, schema_index) VALUES ('s', "
      "NULL, 'it''s 100% \\ fine', 3);\n"
      "COMMIT;\n");
}

TEST(TapSql, InitCreatesFelisTablesAndKeys) {
  std::string sql = emit::tapInitSql({"tap_schema", ""}, false);
  EXPECT_NE(sql.find("CREATE SCHEMA IF NOT EXISTS tap_schema;"), std::string::npos);
  EXPECT_NE(sql.find("CONSTRAINT k5 FOREIGN KEY (key_id) REFERENCES tap_schema.keys (key_id)"),
            std::string::npos);
  EXPECT_NE(sql.find("size INTEGER,"), std::string::npos);
  EXPECT_EQ(sql.find("owner_id"), std::string::npos);
  EXPECT_NE(emit::tapInitSql({}, true).find("view_target CHAR(128)"), std::string::npos);
}

// --- the command ------------------------------------------------------------------

TEST(TapCli, CreateIsDeterministicAndMatchesTheGoldens) {
  for (const char* name : {"ap_extra", "ivoa_obscore", "cdb_startrackerfast"}) {
    SCOPED_TRACE(name);
    const std::string file = (testing::sdmSchemasDir() / "yml" / (std::string(name) + ".yaml")).string();
    testing::CliRun first = testing::runFelisc({"tap", "create", file});
    testing::CliRun second = testing::runFelisc({"tap", "create", file});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(first.out, second.out);
    const std::filesystem::path golden = tapFixture("golden") / (std::string(name) + ".sql");
    if (std::getenv("FELISC_UPDATE_GOLDEN") != nullptr) {
      std::filesystem::create_directories(golden.parent_path());
      std::ofstream(golden, std::ios::binary) << first.out;
    }
    EXPECT_EQ(first.out, testing::readFile(golden))
        << "golden " << golden << " differs; FELISC_UPDATE_GOLDEN=1 rewrites it (then check it by hand)";
  }
}

std::string history(const char* file) {
  return (testing::sdmSchemasDir() / "history" / "cdb_latiss" / file).string();
}

TEST(TapCli, DiffTapWritesOnlyTheRowChangesAndItsInverse) {
  const std::string a = history("10_2024-08-12_953c650.yaml");
  const std::string b = history("11_2024-08-21_fd5d1df.yaml");
  testing::CliRun up = testing::runFelisc({"diff", "--tap", a, b});
  ASSERT_EQ(up.exit_code, 0) << up.err;  // written: success
  EXPECT_EQ(up.out.rfind("-- TAP_SCHEMA upgrade of schema cdb_latiss: ", 0), 0u) << up.out;
  EXPECT_NE(up.out.find("\nBEGIN;\n"), std::string::npos);
  EXPECT_EQ(up.out.substr(up.out.size() - 8), "COMMIT;\n");
  EXPECT_EQ(up.out.find("CREATE"), std::string::npos);
  testing::CliRun same = testing::runFelisc({"diff", "--tap", b, b});
  EXPECT_EQ(same.exit_code, 0) << same.err;
  testing::CliRun json = testing::runFelisc({"diff", "--tap", "--format", "json", a, b});
  EXPECT_EQ(json.exit_code, 2);
  // 02 reuses foreign key names across tables: no TAP_SCHEMA can hold it.
  testing::CliRun reused = testing::runFelisc({"diff", "--tap", history("02_2024-05-19_30d8cd1.yaml"), a});
  EXPECT_EQ(reused.exit_code, 2);  // input no TAP_SCHEMA can hold
  EXPECT_NE(reused.err.find("foreign key name 'fk_key' is used in several tables"), std::string::npos)
      << reused.err;
}

TEST(TapCli, WithTapPutsTheRowChangesInsideTheMigration) {
  const std::string a = history("10_2024-08-12_953c650.yaml");
  const std::string b = history("11_2024-08-21_fd5d1df.yaml");
  testing::CliRun tap = testing::runFelisc({"diff", "--tap", a, b});
  testing::CliRun with = testing::runFelisc({"diff", "--with-tap", "--exit-code", "--allow-data-loss", a, b});
  ASSERT_EQ(with.exit_code, 1) << with.err;  // --exit-code: there are changes
  const std::size_t rows = with.out.find("-- TAP_SCHEMA rows (felisc diff --with-tap)\n");
  ASSERT_NE(rows, std::string::npos) << with.out;
  EXPECT_EQ(with.out.find("COMMIT;"), with.out.rfind("COMMIT;"));  // one transaction
  EXPECT_GT(with.out.find("COMMIT;"), rows);
  // The same statements as the script of its own.
  const std::string statements = tap.out.substr(tap.out.find("BEGIN;\n") + 7);
  EXPECT_NE(with.out.find(statements.substr(0, statements.size() - 8)), std::string::npos);
}

// migrate --tap-dir: a TAP_SCHEMA script pair for every schema whose rows change,
// also cdb_gamma, whose change (tap:table_index, tap:principal) needs no revision.
TEST(TapCli, MigrateWritesTapScriptsBesideTheRevisions) {
  testing::TempDir repo;
  const std::filesystem::path yml = std::filesystem::path(repo.path()) / "yml";
  std::filesystem::create_directories(yml);
  auto place = [&](const std::string& fixture, const std::string& as) {
    std::filesystem::copy_file(testing::fixturesDir() / "migrate" / (fixture + ".yaml"), yml / (as + ".yaml"),
                               std::filesystem::copy_options::overwrite_existing);
  };
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", repo.path()});
    testing::CommandResult result = testing::runCommand(args);
    ASSERT_EQ(result.exit_code, 0) << result.output;
  };
  for (const char* name : {"cdb_alpha", "cdb_gamma"}) place(name, name);
  git({"init", "-q"});
  git({"add", "yml"});
  git({"-c", "user.name=felisc", "-c", "user.email=felisc@example.org", "commit", "-q", "-m", "base"});
  place("cdb_alpha_v2", "cdb_alpha");
  place("cdb_gamma_v2", "cdb_gamma");
  const std::filesystem::path tap = std::filesystem::path(repo.path()) / "tap";
  std::filesystem::create_directories(std::filesystem::path(repo.path()) / "alembic");
  testing::CliRun run = testing::runFelisc(
      {"migrate", "--sdm-schemas", repo.path(), "--base", "HEAD", "--alembic-dir",
       (std::filesystem::path(repo.path()) / "alembic").string(), "--new-history", "alpha", "--new-history",
       "gamma", "--no-profile", "--create-date", "2026-01-01 00:00:00", "--tap-dir", tap.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("  TAP_SCHEMA " + (tap / "cdb_gamma.tap.up.sql").string() + "\n"), std::string::npos)
      << run.out;
  const std::string gamma_up = testing::readFile(tap / "cdb_gamma.tap.up.sql");
  EXPECT_NE(gamma_up.find("UPDATE \"TAP_SCHEMA\".tables SET table_index = 2 WHERE"), std::string::npos)
      << gamma_up;
  EXPECT_NE(gamma_up.find("UPDATE \"TAP_SCHEMA\".columns SET principal = 1 WHERE"), std::string::npos)
      << gamma_up;
  const std::string gamma_down = testing::readFile(tap / "cdb_gamma.tap.down.sql");
  EXPECT_NE(gamma_down.find("SET table_index = 1 WHERE"), std::string::npos) << gamma_down;
  const std::string alpha_up = testing::readFile(tap / "cdb_alpha.tap.up.sql");
  EXPECT_NE(alpha_up.find("INSERT INTO \"TAP_SCHEMA\".columns"), std::string::npos) << alpha_up;
  EXPECT_NE(alpha_up.find("'can_see_sky'"), std::string::npos) << alpha_up;
  EXPECT_NE(testing::readFile(tap / "cdb_alpha.tap.down.sql").find("DELETE FROM \"TAP_SCHEMA\".columns"),
            std::string::npos);
}

TEST(TapCli, InvalidFileGetsDiagnosticsAndNoSql) {
  testing::CliRun run = testing::runFelisc({"tap", "create", (tapFixture("bad.yaml")).string()});
  EXPECT_EQ(run.exit_code, 2);  // invalid input
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("bad.yaml:"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("error:"), std::string::npos) << run.err;
  testing::CliRun missing = testing::runFelisc({"tap", "create", (tapFixture("no-such-file.yaml")).string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_EQ(missing.out, "");
  // A database that cannot be reached is an error of its own (exit 2), in Markdown too.
  testing::CliRun markdown = testing::runFelisc(
      {"drift", "--format", "markdown", "host=nowhere.invalid", tapFixture("rules.yaml").string()});
  EXPECT_EQ(markdown.exit_code, 2);
  EXPECT_NE(markdown.err.find("cannot connect to the database"), std::string::npos) << markdown.err;
}

}  // namespace
}  // namespace felisc
