// `felisc create` output against a live PostgreSQL: every golden script
// (fixtures/create/<case>.sql) and the script of every real sdm_schemas file loads,
// and the catalog then holds exactly the SQL facts resolution predicted for the
// model: column types, defaults, NOT NULL, serial sequences, key names, which
// constraints exist, and descriptions. This is what lets `diff` compare a Felis
// file with a database.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "emitters/postgres_ddl.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

using testing::PgValue;
using testing::ScratchDatabase;

std::filesystem::path createFixturesDir() { return testing::fixturesDir() / "create"; }

std::vector<std::string> goldenCases() {
  std::vector<std::string> cases;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(createFixturesDir(), error))
    if (entry.path().extension() == ".sql") cases.push_back(entry.path().stem().string());
  std::sort(cases.begin(), cases.end());
  return cases;
}

/// The diagnostics of a read, for failure messages.
std::string diagnosticsOf(const felis::ReadResult& result) {
  std::string text;
  for (const auto& diagnostic : result.diagnostics.all())
    text += model::renderDiagnostic(diagnostic, result.source_text);
  return text;
}

std::string lit(std::string_view text) { return model::postgresQuoteLiteral(text); }

PgValue described(const std::optional<std::string>& description) {
  // COMMENT ... IS '' removes a comment, so an empty description reads back as none.
  return description && !description->empty() ? PgValue(*description) : PgValue();
}

/// Compares one table's columns with the catalog, one query for the whole table.
void expectColumns(ScratchDatabase& db, const model::Table& table, const std::string& schema_name,
                   const std::string& relation) {
  const model::Dialect& pg = model::postgresDialect();
  const auto rows = db.query(
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid), "
      "a.attnotnull::text, pg_get_serial_sequence(" +
      lit(schema_name + "." + pg.quoteIdentifier(table.name)) +
      ", a.attname), col_description(a.attrelid, a.attnum) FROM pg_attribute a LEFT JOIN pg_attrdef d ON "
      "d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attnum > 0 AND NOT a.attisdropped AND "
      "a.attrelid = " +
      relation + " ORDER BY a.attnum");
  ASSERT_EQ(rows.size(), table.columns.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const model::Column& column = table.columns[i];
    const auto& row = rows[i];
    SCOPED_TRACE("column " + column.name);
    EXPECT_EQ(row[0], column.name);
    EXPECT_EQ(row[1], column.sql_type);
    const bool in_key = table.primary_key && std::count(table.primary_key->columns.begin(),
                                                        table.primary_key->columns.end(), column.name) > 0;
    EXPECT_EQ(row[3], !column.nullable || in_key ? "true" : "false");
    if (column.generation == model::Generation::Serial) {
      const std::string sequence = schema_name + "." + pg.quoteIdentifier(column.sequence);
      EXPECT_EQ(row[4], sequence);
      EXPECT_EQ(row[2], "nextval(" + lit(sequence) + "::regclass)");
    } else {
      EXPECT_EQ(row[4], PgValue());
      EXPECT_EQ(row[2], column.sql_default);
    }
    EXPECT_EQ(row[5], described(column.description));
  }
}

/// Compares the key, the constraints and the indexes of one table with the catalog.
void expectConstraintsAndIndexes(ScratchDatabase& db, const model::Table& table,
                                 const std::string& schema_name, const std::string& relation) {
  const model::Dialect& pg = model::postgresDialect();
  if (table.primary_key) {
    EXPECT_EQ(
        db.queryValue("SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = " + relation),
        table.primary_key->name);
  }
  std::size_t standing = table.primary_key ? 1 : 0;
  for (const model::Constraint& constraint : table.constraints) {
    SCOPED_TRACE("constraint " + constraint.name);
    // A unique constraint folded into the key (or a twin) has no row of its own,
    // unless the key took its name.
    const auto merged = model::mergedIntoConstraint(table, constraint);
    const bool exists = !merged || *merged == constraint.name;
    if (!merged) ++standing;
    const auto rows = db.query(
        "SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint WHERE conrelid = " + relation +
        " AND conname = " + lit(constraint.name));
    ASSERT_EQ(rows.size(), exists ? 1u : 0u);
    if (exists) {
      EXPECT_EQ(rows[0][0], described(constraint.description));
    }
  }
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_constraint WHERE conrelid = " + relation),
            std::to_string(standing));
  for (const model::Index& index : table.indexes) {
    EXPECT_EQ(
        db.queryValue("SELECT obj_description(" + lit(schema_name + "." + pg.quoteIdentifier(index.name)) +
                      "::regclass, 'pg_class')"),
        described(index.description));
  }
}

/// Everything resolution predicts for `schema`, loaded as `schema_name` (quoted).
void expectCatalogHoldsModel(ScratchDatabase& db, const model::Schema& schema,
                             const std::string& schema_name) {
  const model::Dialect& pg = model::postgresDialect();
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = " +
                          lit(schema_name) + "::regnamespace"),
            std::to_string(schema.tables.size()));
  for (const model::Table& table : schema.tables) {
    SCOPED_TRACE("table " + table.name);
    const std::string relation = lit(schema_name + "." + pg.quoteIdentifier(table.name)) + "::regclass";
    EXPECT_EQ(db.queryValue("SELECT obj_description(" + relation + ", 'pg_class')"),
              described(table.description));
    expectColumns(db, table, schema_name, relation);
    expectConstraintsAndIndexes(db, table, schema_name, relation);
  }
}

class CreateGoldenPg : public ::testing::TestWithParam<std::string> {};

TEST_P(CreateGoldenPg, LoadsAndTheCatalogHoldsTheResolvedModel) {
  const std::string sql = testing::readFile(createFixturesDir() / (GetParam() + ".sql"));
  felis::ReadResult result = felis::readFelisFile((createFixturesDir() / (GetParam() + ".yaml")).string());
  ASSERT_NE(result.schema, nullptr) << diagnosticsOf(result);
  const model::Schema& schema = *result.schema;
  ScratchDatabase db({.pg_sphere = sql.find("spoly") != std::string::npos});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(sql));
  const std::string schema_name = model::postgresQuoteIdentifier(schema.name);
  EXPECT_EQ(db.queryValue("SELECT obj_description(" + lit(schema_name) + "::regnamespace, 'pg_namespace')"),
            described(schema.description));
  expectCatalogHoldsModel(db, schema, schema_name);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CreateGoldenPg, ::testing::ValuesIn(goldenCases()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

/// The same script with --schema: the whole schema moves, foreign keys included.
TEST(CreateGoldenPgOptions, SchemaNameOverrideLoads) {
  felis::ReadResult result = felis::readFelisFile((createFixturesDir() / "constraints.yaml").string());
  ASSERT_NE(result.schema, nullptr) << diagnosticsOf(result);
  emit::CreateOptions options;
  options.schema_name = "Moved Here";
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(emit::createSchemaSql(*result.schema, options)));
  EXPECT_EQ(
      db.queryValue("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = "
                    "'\"Moved Here\"'::regnamespace AND confrelid::regclass::text LIKE '\"Moved Here\".%'"),
      "3");
  EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_namespace WHERE nspname = 'constraints'"), "0");
  expectCatalogHoldsModel(db, *result.schema, "\"Moved Here\"");
}

/// Every real file: sdm_schemas/yml/*.yaml and the 33 cdb_latiss versions, each
/// loaded into a schema of its own in one database (--schema, as the history
/// versions share one name). Read leniently, as `create` does: old versions reuse
/// constraint names across tables, which PostgreSQL accepts.
TEST(CreateCorpusPg, EveryRealFileLoadsAndTheCatalogHoldsTheResolvedModel) {
  std::vector<std::filesystem::path> files = testing::yamlFilesIn(testing::sdmSchemasDir() / "yml");
  for (const auto& file : testing::yamlFilesIn(testing::sdmSchemasDir() / "history" / "cdb_latiss"))
    files.push_back(file);
  ASSERT_GE(files.size(), 59u);
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  int n = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    felis::ReadOptions read_options;
    read_options.strict_felis = false;
    felis::ReadResult result = felis::readFelisFile(file.string(), read_options);
    ASSERT_NE(result.schema, nullptr) << diagnosticsOf(result);
    emit::CreateOptions options;
    options.schema_name = "corpus_" + std::to_string(++n) + "_" + file.stem().string().substr(0, 40);
    ASSERT_TRUE(db.exec(emit::createSchemaSql(*result.schema, options)));
    expectCatalogHoldsModel(db, *result.schema, model::postgresQuoteIdentifier(*options.schema_name));
  }
}

}  // namespace
}  // namespace felisc
