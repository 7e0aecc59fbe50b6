// The PostgreSQL dialect against a live server: what felisc predicts for types
// (format_type), defaults (pg_get_expr), quoting (quote_ident), keywords
// (pg_get_keywords) and generated names must be what the server does.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schema_model/pg_keywords.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"
#include "tests/support/pg_test_server.h"

namespace felisc::model {
namespace {

using testing::PgRows;
using testing::ScratchDatabase;

const Dialect& pg() { return postgresDialect(); }

std::string lit(std::string_view text) { return postgresQuoteLiteral(text); }

TEST(PostgresDialectPg, KeywordListIsTheServers) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  const PgRows rows =
      db.query("SELECT word, catcode::text FROM pg_get_keywords() ORDER BY word COLLATE \"C\"");
  const auto keywords = postgresKeywords();
  ASSERT_EQ(rows.size(), keywords.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], std::string(keywords[i].word));
    EXPECT_EQ(rows[i][1], std::string(1, static_cast<char>(keywords[i].category))) << keywords[i].word;
  }
}

TEST(PostgresDialectPg, QuoteIdentifierIsQuoteIdent) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  std::vector<std::string> names;
  for (const Keyword& keyword : postgresKeywords()) names.emplace_back(keyword.word);
  for (const char* name :
       {"abc",       "Abc",       "ABC",         "a b",         "a\"b",       "\"",     "",
        "1abc",      "_1",        "_",           "a$b",         "$a",         "a1",     "\xC3\xA9t\xC3\xA9",
        "a-b",       "a.b",       "x1_y2",       "diaObjectId", "ApdbSchema", "SELECT", "zz_top",
        "tab\tname", "new\nline", "\xE2\x80\x93"})
    names.emplace_back(name);
  for (const std::string& name : names)
    EXPECT_EQ(db.queryValue("SELECT quote_ident(" + lit(name) + ")"), pg().quoteIdentifier(name)) << name;
}

TEST(PostgresDialectPg, QuoteLiteralReadsBack) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  for (const char* text : {"", "abc", "it's", "''", "a\\b", "\\", "100%", "$$x$$", "two\nlines",
                           "\xE2\x80\x93", "E'x'", "\"quoted\""})
    EXPECT_EQ(db.queryValue("SELECT " + pg().quoteLiteral(text)), text) << text;
}

/// Creates `c <type>` and returns format_type of it; nullopt when the server refuses.
std::optional<std::string> serverType(ScratchDatabase& db, const std::string& type, int n) {
  const std::string table = "type_" + std::to_string(n);
  auto outcome = db.tryExec("CREATE TABLE " + table + " (c " + type + ")");
  if (!outcome.ok) return std::nullopt;
  return db.queryValue("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '" +
                       table + "'::regclass AND attname = 'c'");
}

TEST(PostgresDialectPg, CanonicalTypeIsFormatType) {
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  int n = 0;
  // Every Felis type, as felisc writes it in DDL and as it predicts the catalog.
  for (int t = 0; t <= static_cast<int>(FelisType::Timestamp); ++t) {
    Column column;
    column.datatype = static_cast<FelisType>(t);
    if (isSized(column.datatype)) column.length = 17;
    const std::string type = pg().canonicalType(column);
    EXPECT_EQ(serverType(db, pg().ddlType(column), ++n), type) << felisTypeName(column.datatype);
  }
  Column timestamp;
  timestamp.datatype = FelisType::Timestamp;
  for (int precision : {0, 3, 6, 7}) {
    timestamp.precision = precision;
    EXPECT_EQ(serverType(db, pg().ddlType(timestamp), ++n), pg().canonicalType(timestamp)) << precision;
  }
  // Overrides as a DBA writes them: the server's reading of the text is felisc's.
  for (const char* written : {"TIMESTAMP(6)",
                              "TIMESTAMP",
                              "timestamp(3) with time zone",
                              "TIMESTAMP(6) WITHOUT TIME ZONE",
                              "TIMESTAMPTZ",
                              "timestamptz(2)",
                              "BIGINT",
                              "int8",
                              "INTEGER",
                              "INT",
                              "int4",
                              "SMALLINT",
                              "int2",
                              "DOUBLE PRECISION",
                              "double  precision",
                              "float8",
                              "FLOAT",
                              "FLOAT(53)",
                              "FLOAT(24)",
                              "FLOAT(1)",
                              "REAL",
                              "float4",
                              "VARCHAR(64)",
                              "varchar",
                              "VARCHAR ( 64 )",
                              "CHARACTER VARYING(10)",
                              "CHAR VARYING(10)",
                              "CHAR(3)",
                              "CHAR",
                              "character",
                              "TEXT",
                              "BYTEA",
                              "NUMERIC(10,2)",
                              "NUMERIC(10, 2)",
                              "NUMERIC(10)",
                              "DECIMAL(10,2)",
                              "NUMERIC",
                              "DECIMAL",
                              "BOOLEAN",
                              "BOOL",
                              "JSONB",
                              "JSON",
                              "UUID",
                              "DATE",
                              "TIME",
                              "TIME(3)",
                              "TIMETZ",
                              "time(2) with time zone",
                              "BIT(1)",
                              "BIT",
                              "VARBIT(8)",
                              "BIT VARYING(8)",
                              "INTERVAL",
                              "INTEGER[]",
                              "integer[3][4]",
                              "VARCHAR(10)[]",
                              "double precision array",
                              "  BIGINT  ",
                              "spoly",
                              "SPOINT",
                              "scircle",
                              "inet",
                              "macaddr",
                              "xml",
                              "TIMESTAMP(9)"}) {
    EXPECT_EQ(serverType(db, written, ++n), canonicalPostgresType(written)) << written;
  }
  // DOUBLE_PRECISION is SQLAlchemy's spelling, not SQL: felisc accepts it as felis does.
  EXPECT_EQ(canonicalPostgresType("DOUBLE_PRECISION"), "double precision");
}

/// Every Felis type, with and without overrides, crossed with every kind of
/// `value`: wherever the server accepts the DDL felisc writes, pg_get_expr() must be
/// what canonicalDefault() predicts.
TEST(PostgresDialectPg, CanonicalDefaultIsPgGetExpr) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  struct TypeCase {
    FelisType type;
    std::optional<std::int64_t> length;
    std::optional<std::string> override_type;
    std::optional<std::int64_t> precision;
  };
  std::vector<TypeCase> types;
  for (int t = 0; t <= static_cast<int>(FelisType::Timestamp); ++t) {
    auto type = static_cast<FelisType>(t);
    types.push_back({type, isSized(type) ? std::optional<std::int64_t>(5) : std::nullopt, {}, {}});
  }
  types.push_back({FelisType::Timestamp, {}, {}, 6});
  // Overrides whose defaults felisc renders. Not here, because felisc keeps their
  // string defaults as written: timestamptz (the rendering depends on the server's
  // TimeZone), time, interval and json/jsonb (input syntaxes felisc does not parse).
  for (const char* override_type :
       {"REAL", "NUMERIC(10,2)", "NUMERIC", "VARCHAR", "DATE", "CHAR(5)", "BIT(3)"})
    types.push_back({FelisType::String, 5, override_type, {}});

  using Kind = Scalar::Kind;
  const std::vector<Scalar> values = {
      {Kind::Integer, "0"},
      {Kind::Integer, "5"},
      {Kind::Integer, "-1"},
      {Kind::Integer, "32767"},
      {Kind::Integer, "2147483648"},
      {Kind::Integer, "-2147483648"},
      {Kind::Integer, "-9223372036854775808"},
      {Kind::Integer, "9223372036854775808"},
      {Kind::Float, "1.5"},
      {Kind::Float, "-1.5"},
      {Kind::Float, "1000.0"},
      {Kind::Float, "0.0"},
      {Kind::Float, "-0.0"},
      {Kind::Float, "1e-07"},
      {Kind::Float, "1.5e-07"},
      {Kind::Float, "1e+16"},
      {Kind::Float, "1.2345678901234568e+17"},
      {Kind::Float, "3.141592653589793"},
      {Kind::Float, "inf"},
      {Kind::Float, "-inf"},
      {Kind::Float, "nan"},
      {Kind::Boolean, "true"},
      {Kind::Boolean, "false"},
      {Kind::String, "abc"},
      {Kind::String, "it's"},
      {Kind::String, "a\\b"},
      {Kind::String, ""},
      {Kind::String, "100%"},
      {Kind::String, "\xC3\xA9t\xC3\xA9"},
      {Kind::String, "1"},
      {Kind::String, " 42 "},
      {Kind::String, "-7"},
      {Kind::String, "0.1"},
      {Kind::String, "1e-07"},
      {Kind::String, "t"},
      {Kind::String, "off"},
      {Kind::String, "101"},
      {Kind::String, "\\x0102"},
      {Kind::String, "{\"a\": 1}"},
      {Kind::String, "2020-01-01"},
      {Kind::String, "2020-02-29 23:59:59.999999"},
      {Kind::String, "2020-01-01T10:00:00.1234567"},
      {Kind::String, "2020-01-01 10:00:00+02"},
      {Kind::String, "2020-1-2 3:04"},
      {Kind::String, "epoch"},
      {Kind::String, "infinity"},
      {Kind::String, "-Infinity"},
      {Kind::String, "10:00"},
      {Kind::String, "CURRENT_TIMESTAMP"},
      {Kind::String, "NOW()"},
      {Kind::String, "LOCALTIMESTAMP"},
      {Kind::String, "NULL"},
  };
  int accepted = 0;
  int n = 0;
  std::vector<std::string> unpredicted;
  for (const TypeCase& type_case : types) {
    for (const Scalar& value : values) {
      Column column;
      column.name = "c";
      column.datatype = type_case.type;
      column.length = type_case.length;
      column.precision = type_case.precision;
      column.postgresql_datatype = type_case.override_type;
      column.value = value;
      column.sql_type = pg().canonicalType(column);
      const std::string table = "default_" + std::to_string(++n);
      const std::string ddl = "CREATE TABLE " + table + " (c " + pg().ddlType(column) + " DEFAULT " +
                              pg().ddlDefault(column).value() + ")";
      if (!db.tryExec(ddl).ok) continue;  // e.g. a boolean default on an integer column
      ++accepted;
      const testing::PgValue rendered = db.queryValue(
          "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = "
          "a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = '" +
          table + "'::regclass AND a.attname = 'c'");
      const std::optional<std::string> predicted = pg().canonicalDefault(column);
      if (rendered != predicted)
        unpredicted.push_back(ddl + "\n    server: " + rendered.value_or("<none>") +
                              "\n    felisc: " + predicted.value_or("<none>"));
    }
  }
  std::string report;
  for (const std::string& line : unpredicted) report += line + "\n";
  EXPECT_TRUE(unpredicted.empty()) << unpredicted.size() << " of " << accepted << " defaults differ:\n"
                                   << report;
  EXPECT_GT(accepted, 500);  // the matrix really ran
}

TEST(PostgresDialectPg, ServerNamesKeysAndSequencesAsResolved) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  auto repeat = [](std::string_view text, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += text;
    return out;
  };
  const std::string e_acute = "\xC3\xA9";
  const std::vector<std::pair<std::string, std::string>> tables = {
      {"t" + repeat("x", 60), "id"},
      {repeat("t", 63), repeat("c", 63)},
      {"short", repeat("c", 63)},
      {repeat(e_acute, 31), "id"},
      {"tab", repeat(e_acute, 31)},
      {repeat(e_acute, 30) + "x", repeat("\xC3\xBC", 30) + "y"},
      {"ab" + repeat("\xE2\x82\xAC", 20), "cd" + repeat("\xE2\x82\xAC", 20)},
      {repeat("t", 58), "id"},
      {repeat("t", 57), "id"},
      {repeat("t", 56), "id"},
      {"a_b", "c"},
      {"a", "b_c"},
  };
  Schema schema;
  schema.name = "public";
  for (const auto& [table_name, column_name] : tables) {
    Table table;
    table.name = table_name;
    Column column;
    column.name = column_name;
    column.datatype = FelisType::Long;
    table.columns = {column};
    table.primary_key = PrimaryKey{"", {column_name}, {}};
    schema.tables.push_back(table);
  }
  resolveSchema(schema, pg());
  for (const Table& table : schema.tables) {
    // Unnamed key, as felis writes it: the server chooses the names.
    const std::string name = pg().quoteIdentifier(table.name);
    ASSERT_TRUE(db.exec("CREATE TABLE " + name + " (" + pg().quoteIdentifier(table.columns[0].name) +
                        " bigserial PRIMARY KEY)"));
    EXPECT_EQ(db.queryValue("SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = " +
                            lit(name) + "::regclass"),
              table.primary_key->name);
    EXPECT_EQ(
        db.queryValue("SELECT pg_get_serial_sequence(" + lit(name) + ", " + lit(table.columns[0].name) + ")"),
        "public." + pg().quoteIdentifier(table.columns[0].sequence));
  }
}

}  // namespace
}  // namespace felisc::model
