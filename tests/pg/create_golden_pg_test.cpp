// Every golden `create` script (fixtures/create/<case>.sql) loads into PostgreSQL,
// and the catalog then holds exactly the SQL facts resolution predicted for the
// model: column types, defaults, NOT NULL, serial sequences, key names and
// descriptions. This is what lets `diff` compare a Felis file with a database.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "compiler/felis_reader.h"
#include "emitters/postgres_ddl.h"
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

std::string lit(std::string_view text) { return model::postgresQuoteLiteral(text); }

class CreateGoldenPg : public ::testing::TestWithParam<std::string> {};

TEST_P(CreateGoldenPg, LoadsAndTheCatalogHoldsTheResolvedModel) {
  const std::string sql = testing::readFile(createFixturesDir() / (GetParam() + ".sql"));
  compiler::ReadResult result =
      compiler::readFelisFile((createFixturesDir() / (GetParam() + ".yaml")).string());
  ASSERT_NE(result.schema, nullptr);
  const model::Schema& schema = *result.schema;
  const model::Dialect& pg = model::postgresDialect();

  ScratchDatabase db({.pg_sphere = sql.find("spoly") != std::string::npos});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec(sql));

  const std::string schema_name = pg.quoteIdentifier(schema.name);
  if (schema.description && !schema.description->empty()) {
    EXPECT_EQ(db.queryValue("SELECT obj_description(" + lit(schema_name) + "::regnamespace, 'pg_namespace')"),
              schema.description);
  }
  for (const model::Table& table : schema.tables) {
    const std::string relation = lit(schema_name + "." + pg.quoteIdentifier(table.name)) + "::regclass";
    SCOPED_TRACE("table " + table.name);
    EXPECT_EQ(db.queryValue("SELECT obj_description(" + relation + ", 'pg_class')"),
              table.description && !table.description->empty() ? PgValue(*table.description) : PgValue());
    EXPECT_EQ(db.queryValue("SELECT count(*) FROM pg_attribute WHERE attnum > 0 AND NOT attisdropped AND "
                            "attrelid = " +
                            relation),
              std::to_string(table.columns.size()));
    for (const model::Column& column : table.columns) {
      SCOPED_TRACE("column " + column.name);
      const auto rows = db.query(
          "SELECT format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid), a.attnotnull::text, "
          "pg_get_serial_sequence(" +
          lit(schema_name + "." + pg.quoteIdentifier(table.name)) +
          ", a.attname), col_description(a.attrelid, "
          "a.attnum) FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = "
          "a.attnum "
          "WHERE a.attrelid = " +
          relation + " AND a.attname = " + lit(column.name));
      ASSERT_EQ(rows.size(), 1u);
      const auto& row = rows[0];
      EXPECT_EQ(row[0], column.sql_type);
      const bool in_key = table.primary_key && std::count(table.primary_key->columns.begin(),
                                                          table.primary_key->columns.end(), column.name) > 0;
      EXPECT_EQ(row[2], !column.nullable || in_key ? "true" : "false");
      if (column.generation == model::Generation::Serial) {
        EXPECT_EQ(row[3], schema_name + "." + pg.quoteIdentifier(column.sequence));
        EXPECT_EQ(row[1],
                  "nextval(" + lit(schema_name + "." + pg.quoteIdentifier(column.sequence)) + "::regclass)");
      } else {
        EXPECT_EQ(row[3], PgValue());
        EXPECT_EQ(row[1], column.sql_default);
      }
      EXPECT_EQ(row[4], column.description && !column.description->empty() ? PgValue(*column.description)
                                                                           : PgValue());
    }
    if (table.primary_key) {
      EXPECT_EQ(
          db.queryValue("SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = " + relation),
          table.primary_key->name);
    }
    for (const model::Constraint& constraint : table.constraints)
      EXPECT_EQ(
          db.queryValue("SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint WHERE conrelid = " +
                        relation + " AND conname = " + lit(constraint.name)),
          constraint.description && !constraint.description->empty() ? PgValue(*constraint.description)
                                                                     : PgValue());
    for (const model::Index& index : table.indexes)
      EXPECT_EQ(
          db.queryValue("SELECT obj_description(" + lit(schema_name + "." + pg.quoteIdentifier(index.name)) +
                        "::regclass, 'pg_class')"),
          index.description && !index.description->empty() ? PgValue(*index.description) : PgValue());
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CreateGoldenPg, ::testing::ValuesIn(goldenCases()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

/// The same script with --schema: the whole schema moves, foreign keys included.
TEST(CreateGoldenPgOptions, SchemaNameOverrideLoads) {
  compiler::ReadResult result = compiler::readFelisFile((createFixturesDir() / "constraints.yaml").string());
  ASSERT_NE(result.schema, nullptr);
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
}

}  // namespace
}  // namespace felisc
