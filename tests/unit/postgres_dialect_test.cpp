// The PostgreSQL dialect. Every expected string below was measured on PostgreSQL
// 15.18: format_type(atttypid, atttypmod), pg_get_expr(adbin, adrelid) and
// quote_ident() of columns created with the DDL felisc writes. The same cases run
// against a live server in tests/pg/postgres_dialect_pg_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schema_model/pg_keywords.h"
#include "schema_model/type_mapping.h"

namespace felisc::model {
namespace {

const Dialect& pg() { return postgresDialect(); }

Column column(FelisType type, std::optional<std::int64_t> length = std::nullopt) {
  Column result;
  result.name = "c";
  result.datatype = type;
  result.length = length;
  return result;
}

Scalar str(std::string text) { return {Scalar::Kind::String, std::move(text)}; }
Scalar integer(std::string text) { return {Scalar::Kind::Integer, std::move(text)}; }
Scalar real(std::string text) { return {Scalar::Kind::Float, std::move(text)}; }
Scalar boolean(bool value) { return {Scalar::Kind::Boolean, value ? "true" : "false"}; }

TEST(PostgresDialect, Identity) {
  EXPECT_EQ(pg().kind(), DialectKind::PostgreSQL);
  EXPECT_EQ(pg().name(), "postgresql");
  EXPECT_EQ(pg().maxIdentifierBytes(), 63u);
}

// ---------------------------------------------------------------------------
// Types.

TEST(PostgresDialectType, EveryFelisTypeAsFormatTypePrintsIt) {
  EXPECT_EQ(pg().canonicalType(column(FelisType::Boolean)), "boolean");
  EXPECT_EQ(pg().canonicalType(column(FelisType::Byte)), "smallint");
  EXPECT_EQ(pg().canonicalType(column(FelisType::Short)), "smallint");
  EXPECT_EQ(pg().canonicalType(column(FelisType::Int)), "integer");
  EXPECT_EQ(pg().canonicalType(column(FelisType::Long)), "bigint");
  EXPECT_EQ(pg().canonicalType(column(FelisType::Float)), "double precision");  // felis writes FLOAT = float8
  EXPECT_EQ(pg().canonicalType(column(FelisType::Double)), "double precision");
  EXPECT_EQ(pg().canonicalType(column(FelisType::Char, 8)), "character(8)");
  EXPECT_EQ(pg().canonicalType(column(FelisType::String, 64)), "character varying(64)");
  EXPECT_EQ(pg().canonicalType(column(FelisType::Unicode, 10)), "character varying(10)");
  EXPECT_EQ(pg().canonicalType(column(FelisType::Text)), "text");
  EXPECT_EQ(pg().canonicalType(column(FelisType::Binary, 32)), "bytea");  // length dropped
  EXPECT_EQ(pg().canonicalType(column(FelisType::Timestamp)), "timestamp without time zone");
}

TEST(PostgresDialectType, LengthIsIgnoredWhereTheTypeHasNone) {
  EXPECT_EQ(pg().canonicalType(column(FelisType::Int, 10)), "integer");
  EXPECT_EQ(pg().canonicalType(column(FelisType::Text, 10)), "text");
}

TEST(PostgresDialectType, TimestampPrecision) {
  Column ts = column(FelisType::Timestamp);
  ts.precision = 6;
  EXPECT_EQ(pg().canonicalType(ts), "timestamp(6) without time zone");
  ts.precision = 0;
  EXPECT_EQ(pg().canonicalType(ts), "timestamp(0) without time zone");
  ts.precision = 9;  // PostgreSQL reduces it to 6 with a warning
  EXPECT_EQ(pg().canonicalType(ts), "timestamp(6) without time zone");
}

TEST(PostgresDialectType, PrecisionReplacesTheOverride) {
  Column ts = column(FelisType::Timestamp);
  ts.precision = 3;
  ts.postgresql_datatype = "TIMESTAMPTZ";
  EXPECT_EQ(pg().canonicalType(ts), "timestamp(3) without time zone");
}

TEST(PostgresDialectType, OverridesAreReadAsPostgresTypes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      // felis turns TIMESTAMP(6) into timestamptz; felisc reads it as PostgreSQL does.
      {"TIMESTAMP(6)", "timestamp(6) without time zone"},
      {"TIMESTAMP", "timestamp without time zone"},
      {"timestamp(3) with time zone", "timestamp(3) with time zone"},
      {"TIMESTAMP(6) WITHOUT TIME ZONE", "timestamp(6) without time zone"},
      {"TIMESTAMPTZ", "timestamp with time zone"},
      {"timestamptz(2)", "timestamp(2) with time zone"},
      {"spoly", "spoly"},
      {"spoint", "spoint"},
      {"BIGINT", "bigint"},
      {"int8", "bigint"},
      {"INTEGER", "integer"},
      {"INT", "integer"},
      {"int4", "integer"},
      {"SMALLINT", "smallint"},
      {"int2", "smallint"},
      {"DOUBLE_PRECISION", "double precision"},
      {"DOUBLE PRECISION", "double precision"},
      {"double  precision", "double precision"},
      {"float8", "double precision"},
      {"FLOAT", "double precision"},
      {"FLOAT(53)", "double precision"},
      {"FLOAT(24)", "real"},
      {"REAL", "real"},
      {"float4", "real"},
      {"VARCHAR(64)", "character varying(64)"},
      {"varchar", "character varying"},
      {"VARCHAR ( 64 )", "character varying(64)"},
      {"CHARACTER VARYING(10)", "character varying(10)"},
      {"CHAR(3)", "character(3)"},
      {"CHAR", "character(1)"},
      {"TEXT", "text"},
      {"BYTEA", "bytea"},
      {"NUMERIC(10,2)", "numeric(10,2)"},
      {"NUMERIC(10, 2)", "numeric(10,2)"},
      {"NUMERIC(10)", "numeric(10,0)"},
      {"DECIMAL(10,2)", "numeric(10,2)"},
      {"NUMERIC", "numeric"},
      {"BOOLEAN", "boolean"},
      {"BOOL", "boolean"},
      {"JSONB", "jsonb"},
      {"JSON", "json"},
      {"UUID", "uuid"},
      {"DATE", "date"},
      {"TIME", "time without time zone"},
      {"TIME(3)", "time(3) without time zone"},
      {"BIT(1)", "bit(1)"},
      {"BIT", "bit(1)"},
      {"VARBIT(8)", "bit varying(8)"},
      {"INTERVAL", "interval"},
      {"INTEGER[]", "integer[]"},
      {"integer[3][4]", "integer[]"},
      {"VARCHAR(10)[]", "character varying(10)[]"},
      {"double precision array", "double precision[]"},
      {"  BIGINT  ", "bigint"},
      {"SomeType", "sometype"},          // unknown: lower-cased, kept
      {"MyType(1, 2)", "mytype(1,2)"},   // unknown with arguments
      {"public.spoly", "public.spoly"},  // qualified unknown
  };
  for (const auto& [written, expected] : cases) {
    Column col = column(FelisType::String, 10);
    col.postgresql_datatype = written;
    EXPECT_EQ(pg().canonicalType(col), expected) << "postgresql:datatype: " << written;
    EXPECT_EQ(canonicalPostgresType(written), expected) << written;
  }
}

TEST(PostgresDialectType, MysqlOverrideIsIgnored) {
  Column col = column(FelisType::String, 10);
  col.mysql_datatype = "LONGTEXT";
  EXPECT_EQ(pg().canonicalType(col), "character varying(10)");
}

TEST(PostgresDialectType, CanonicalSpellingsAreFixedPoints) {
  for (const char* type : {"character varying(64)", "double precision", "timestamp(6) without time zone",
                           "timestamp with time zone", "numeric(10,2)", "character(1)", "bit varying(8)",
                           "integer[]", "time(3) with time zone", "spoly"})
    EXPECT_EQ(canonicalPostgresType(type), type);
}

TEST(PostgresDialectType, DdlTypeOfSerialColumns) {
  Column col = column(FelisType::Long);
  col.sql_type = "bigint";
  EXPECT_EQ(pg().ddlType(col), "bigint");
  col.generation = Generation::Serial;
  EXPECT_EQ(pg().ddlType(col), "bigserial");
  col.sql_type = "integer";
  EXPECT_EQ(pg().ddlType(col), "serial");
  col.sql_type = "smallint";
  EXPECT_EQ(pg().ddlType(col), "smallserial");
  col.sql_type = "double precision";  // never made serial by resolution; the type stays
  EXPECT_EQ(pg().ddlType(col), "double precision");
}

TEST(PostgresDialectType, DdlTypeFollowsTheOverride) {
  Column col = column(FelisType::Int);
  col.postgresql_datatype = "BIGINT";
  col.generation = Generation::Serial;
  EXPECT_EQ(pg().ddlType(col), "bigserial");  // as felis: the override decides
}

TEST(PostgresDialectType, DdlTypeWithoutResolutionUsesCanonicalType) {
  EXPECT_EQ(pg().ddlType(column(FelisType::String, 12)), "character varying(12)");
}

// ---------------------------------------------------------------------------
// Defaults.

struct DefaultCase {
  FelisType type;
  std::optional<std::int64_t> length;
  std::optional<std::string> override_type;
  Scalar value;
  std::optional<std::string> ddl;        ///< what felisc writes after DEFAULT
  std::optional<std::string> canonical;  ///< pg_get_expr() of the stored default
};

// Measured on PostgreSQL 15.18 by creating each column with DEFAULT <ddl>.
const std::vector<DefaultCase>& defaultCases() {
  static const std::vector<DefaultCase> cases = {
      // Integers: the literal is int4, else int8, else numeric, whatever the column.
      {FelisType::Int, {}, {}, integer("0"), "0", "0"},
      {FelisType::Int, {}, {}, integer("5"), "5", "5"},
      {FelisType::Int, {}, {}, integer("-1"), "-1", "'-1'::integer"},
      {FelisType::Short, {}, {}, integer("5"), "5", "5"},
      {FelisType::Short, {}, {}, integer("-1"), "-1", "'-1'::integer"},
      {FelisType::Byte, {}, {}, integer("7"), "7", "7"},
      {FelisType::Long, {}, {}, integer("5"), "5", "5"},
      {FelisType::Long, {}, {}, integer("-1"), "-1", "'-1'::integer"},
      {FelisType::Long, {}, {}, integer("2147483647"), "2147483647", "2147483647"},
      {FelisType::Long, {}, {}, integer("2147483648"), "2147483648", "'2147483648'::bigint"},
      {FelisType::Long, {}, {}, integer("-2147483648"), "-2147483648", "'-2147483648'::integer"},
      {FelisType::Long,
       {},
       {},
       integer("9223372036854775807"),
       "9223372036854775807",
       "'9223372036854775807'::bigint"},
      {FelisType::Long,
       {},
       {},
       integer("-9223372036854775808"),
       "-9223372036854775808",
       "'-9223372036854775808'::bigint"},
      {FelisType::Double,
       {},
       {},
       integer("9223372036854775808"),
       "9223372036854775808",
       "'9223372036854775808'::numeric"},
      {FelisType::Double, {}, {}, integer("5"), "5", "5"},
      {FelisType::Double, {}, {}, integer("-1"), "-1", "'-1'::integer"},
      // Floats: the literal (Python's repr) is numeric.
      {FelisType::Double, {}, {}, real("1.5"), "1.5", "1.5"},
      {FelisType::Float, {}, {}, real("1.5"), "1.5", "1.5"},
      {FelisType::Double, {}, {}, real("-1.5"), "-1.5", "'-1.5'::numeric"},
      {FelisType::Double, {}, {}, real("1000.0"), "1000.0", "1000.0"},
      {FelisType::Double, {}, {}, real("0.0"), "0.0", "0.0"},
      {FelisType::Double, {}, {}, real("-0.0"), "-0.0", "0.0"},
      {FelisType::Double, {}, {}, real("0.1"), "0.1", "0.1"},
      {FelisType::Double, {}, {}, real("123.456"), "123.456", "123.456"},
      {FelisType::Double, {}, {}, real("1e-07"), "1e-07", "0.0000001"},
      {FelisType::Double, {}, {}, real("1.5e-07"), "1.5e-07", "0.00000015"},
      {FelisType::Double, {}, {}, real("1e+16"), "1e+16", "'10000000000000000'::numeric"},
      {FelisType::Double, {}, {}, real("1.0e+3"), "1.0e+3", "'1000'::numeric"},
      {FelisType::Double,
       {},
       {},
       real("1.2345678901234568e+17"),
       "1.2345678901234568e+17",
       "'123456789012345680'::numeric"},
      {FelisType::Float, {}, {}, real("inf"), "'Infinity'", "'Infinity'::double precision"},
      {FelisType::Double, {}, {}, real("-inf"), "'-Infinity'", "'-Infinity'::double precision"},
      {FelisType::Double, {}, {}, real("nan"), "'NaN'", "'NaN'::double precision"},
      {FelisType::Float, {}, "REAL", real("inf"), "'Infinity'", "'Infinity'::real"},
      // Booleans; on a number column a YAML bool is Python's 1/0.
      {FelisType::Boolean, {}, {}, boolean(true), "true", "true"},
      {FelisType::Boolean, {}, {}, boolean(false), "false", "false"},
      {FelisType::Int, {}, {}, boolean(true), "1", "1"},
      {FelisType::Double, {}, {}, boolean(false), "0", "0"},
      {FelisType::Text, {}, {}, boolean(true), "true", "true"},
      // Strings: read by the column type, printed with the type minus its modifier.
      {FelisType::String, 10, {}, str("abc"), "'abc'", "'abc'::character varying"},
      {FelisType::Unicode, 10, {}, str("abc"), "'abc'", "'abc'::character varying"},
      {FelisType::Text, {}, {}, str("abc"), "'abc'", "'abc'::text"},
      {FelisType::Char, 5, {}, str("abc"), "'abc'", "'abc'::bpchar"},
      {FelisType::Text, {}, {}, str("it's"), "'it''s'", "'it''s'::text"},
      {FelisType::Text, {}, {}, str("a\\b"), "'a\\b'", "'a\\b'::text"},
      {FelisType::Text, {}, {}, str("100%"), "'100%'", "'100%'::text"},
      {FelisType::String, 10, {}, str("now()"), "'now()'", "'now()'::character varying"},
      {FelisType::String, 3, {}, str("abcdef"), "'abcdef'", "'abcdef'::character varying"},
      {FelisType::Text, {}, {}, str("2020-01-01"), "'2020-01-01'", "'2020-01-01'::text"},
      {FelisType::Text, {}, "VARCHAR", str("x"), "'x'", "'x'::character varying"},
      {FelisType::Int, {}, {}, str("1"), "'1'", "1"},
      {FelisType::Int, {}, {}, str("  -5 "), "'  -5 '", "'-5'::integer"},
      {FelisType::Short, {}, {}, str("1"), "'1'", "'1'::smallint"},
      {FelisType::Long, {}, {}, str("1"), "'1'", "'1'::bigint"},
      {FelisType::Double, {}, {}, str("1"), "'1'", "'1'::double precision"},
      {FelisType::Double, {}, {}, str("1e-07"), "'1e-07'", "'1e-07'::double precision"},
      {FelisType::Double, {}, {}, str("0.1"), "'0.1'", "'0.1'::double precision"},
      {FelisType::Double, {}, "REAL", str("0.1"), "'0.1'", "'0.1'::real"},
      {FelisType::Boolean, {}, {}, str("t"), "'t'", "true"},
      {FelisType::Boolean, {}, {}, str("yes"), "'yes'", "true"},
      {FelisType::Boolean, {}, {}, str("1"), "'1'", "true"},
      {FelisType::Boolean, {}, {}, str("off"), "'off'", "false"},
      {FelisType::Binary, 8, {}, str("abc"), "'abc'", "'\\x616263'::bytea"},
      {FelisType::Binary, 8, {}, str("\\x0102"), "'\\x0102'", "'\\x0102'::bytea"},
      {FelisType::Binary, 8, {}, str("a\\\\b\\001"), "'a\\\\b\\001'", "'\\x615c6201'::bytea"},
      {FelisType::Timestamp,
       {},
       {},
       str("2020-01-01"),
       "'2020-01-01'",
       "'2020-01-01 00:00:00'::timestamp without time zone"},
      {FelisType::Timestamp,
       {},
       {},
       str("2020-01-01 12:30:00.5"),
       "'2020-01-01 12:30:00.5'",
       "'2020-01-01 12:30:00.5'::timestamp without time zone"},
      {FelisType::Timestamp,
       {},
       {},
       str("2020-01-01T10:00:00.1234567"),
       "'2020-01-01T10:00:00.1234567'",
       "'2020-01-01 10:00:00.123457'::timestamp without time zone"},
      {FelisType::Timestamp,
       {},
       {},
       str("2020-01-01 10:00:00+02"),
       "'2020-01-01 10:00:00+02'",
       "'2020-01-01 10:00:00'::timestamp without time zone"},
      {FelisType::Timestamp,
       {},
       {},
       str("  2020-1-2 3:04  "),
       "'  2020-1-2 3:04  '",
       "'2020-01-02 03:04:00'::timestamp without time zone"},
      {FelisType::Timestamp,
       {},
       {},
       str("epoch"),
       "'epoch'",
       "'1970-01-01 00:00:00'::timestamp without time zone"},
      {FelisType::Timestamp,
       {},
       {},
       str("Infinity"),
       "'Infinity'",
       "'infinity'::timestamp without time zone"},
      {FelisType::Timestamp,
       {},
       {},
       str("-Infinity"),
       "'-Infinity'",
       "'-infinity'::timestamp without time zone"},
      {FelisType::Timestamp, {}, "DATE", str("2020-01-01"), "'2020-01-01'", "'2020-01-01'::date"},
      {FelisType::Timestamp,
       {},
       "DATE",
       str("2020-01-01 12:30:00.5"),
       "'2020-01-01 12:30:00.5'",
       "'2020-01-01'::date"},
      {FelisType::Text, {}, "NUMERIC(10,2)", str("1"), "'1'", "'1'::numeric"},
      {FelisType::Text, {}, "JSONB", str("{\"a\": 1}"), "'{\"a\": 1}'", "'{\"a\": 1}'::jsonb"},
      {FelisType::Double, {}, "NUMERIC(10,2)", real("1.5"), "1.5", "1.5"},
      {FelisType::Double, {}, "NUMERIC(10,2)", real("-1.5"), "-1.5", "'-1.5'::numeric"},
      // Raw SQL (felis's case-sensitive list) prints the same on every type.
      {FelisType::Timestamp, {}, {}, str("CURRENT_TIMESTAMP"), "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"},
      {FelisType::Timestamp, {}, {}, str("NOW()"), "NOW()", "now()"},
      {FelisType::Timestamp, {}, {}, str("LOCALTIMESTAMP"), "LOCALTIMESTAMP", "LOCALTIMESTAMP"},
      {FelisType::Text, {}, {}, str("CURRENT_TIMESTAMP"), "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"},
      {FelisType::String, 10, {}, str("NOW()"), "NOW()", "now()"},
      {FelisType::Timestamp, {}, "TIMESTAMPTZ", str("NOW()"), "NOW()", "now()"},
      // Only the exact spellings are raw; `now()` is a string, as in felis.
      {FelisType::Text, {}, {}, str("current_timestamp"), "'current_timestamp'", "'current_timestamp'::text"},
      // DEFAULT NULL is stored only when a type modifier coerces it.
      {FelisType::Int, {}, {}, str("NULL"), "NULL", std::nullopt},
      {FelisType::Text, {}, {}, str("NULL"), "NULL", std::nullopt},
      {FelisType::Timestamp, {}, {}, str("NULL"), "NULL", std::nullopt},
      {FelisType::Boolean, {}, {}, str("NULL"), "NULL", std::nullopt},
      {FelisType::Binary, 4, {}, str("NULL"), "NULL", std::nullopt},
      {FelisType::String, 10, {}, str("NULL"), "NULL", "NULL::character varying"},
      {FelisType::Char, 5, {}, str("NULL"), "NULL", "NULL::bpchar"},
      {FelisType::Timestamp, {}, "TIMESTAMP(6)", str("NULL"), "NULL", "NULL::timestamp without time zone"},
      {FelisType::Timestamp, {}, "TIMESTAMPTZ(3)", str("NULL"), "NULL", "NULL::timestamp with time zone"},
      {FelisType::Double, {}, "NUMERIC(10,2)", str("NULL"), "NULL", "NULL::numeric"},
      {FelisType::Double, {}, "NUMERIC", str("NULL"), "NULL", std::nullopt},
      // A YAML null is no default at all.
      {FelisType::Int, {}, {}, Scalar{}, std::nullopt, std::nullopt},
  };
  return cases;
}

std::string describe(const DefaultCase& test) {
  return std::string(felisTypeName(test.type)) +
         (test.length ? "(" + std::to_string(*test.length) + ")" : "") +
         (test.override_type ? " as " + *test.override_type : "") + " value '" + test.value.text + "'";
}

TEST(PostgresDialectDefault, DdlAndCatalogRenderingOfEveryKind) {
  for (const DefaultCase& test : defaultCases()) {
    Column col = column(test.type, test.length);
    col.postgresql_datatype = test.override_type;
    col.value = test.value;
    col.sql_type = pg().canonicalType(col);
    EXPECT_EQ(pg().ddlDefault(col), test.ddl) << describe(test);
    EXPECT_EQ(pg().canonicalDefault(col), test.canonical) << describe(test);
  }
}

TEST(PostgresDialectDefault, UnresolvedColumnUsesItsCanonicalType) {
  Column col = column(FelisType::String, 10);
  col.value = str("x");
  EXPECT_EQ(pg().canonicalDefault(col), "'x'::character varying");
}

TEST(PostgresDialectDefault, NoValueNoDefault) {
  Column col = column(FelisType::Int);
  EXPECT_EQ(pg().ddlDefault(col), std::nullopt);
  EXPECT_EQ(pg().canonicalDefault(col), std::nullopt);
}

TEST(PostgresDialectDefault, SerialColumnsHaveNoWrittenDefault) {
  Column col = column(FelisType::Long);
  col.sql_type = "bigint";
  col.value = integer("5");
  col.generation = Generation::Serial;
  EXPECT_EQ(pg().ddlDefault(col), std::nullopt);
  EXPECT_EQ(pg().canonicalDefault(col), std::nullopt);
}

TEST(PostgresDialectDefault, TimestampsThatCannotBePredictedAreKeptAsWritten) {
  Column col = column(FelisType::Timestamp);
  // 'now' is frozen at CREATE time, and other input styles are not parsed.
  for (const char* text : {"now", "Jan 1 2020", "2020-13-01", "2021-02-29", "2020-01-01 24:00:00"}) {
    col.value = str(text);
    EXPECT_EQ(pg().canonicalDefault(col), "'" + std::string(text) + "'::timestamp without time zone") << text;
  }
  col.value = str("2020-02-29");  // a leap day is valid
  EXPECT_EQ(pg().canonicalDefault(col), "'2020-02-29 00:00:00'::timestamp without time zone");
}

// ---------------------------------------------------------------------------
// Identifiers and literals.

TEST(PostgresDialectQuote, TrickyNamesAsQuoteIdentPrintsThem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"abc", "abc"},
      {"Abc", "\"Abc\""},
      {"ABC", "\"ABC\""},
      {"a b", "\"a b\""},
      {"a\"b", "\"a\"\"b\""},
      {"\"", "\"\"\"\""},
      {"", "\"\""},
      {"1abc", "\"1abc\""},
      {"_1", "_1"},
      {"a$b", "\"a$b\""},  // quote_ident quotes `$`, which the grammar accepts after the first letter
      {"$a", "\"$a\""},
      {"dec", "\"dec\""},  // col_name keyword
      {"key", "key"},      // unreserved
      {"user", "\"user\""},
      {"select", "\"select\""},
      {"between", "\"between\""},
      {"abs", "abs"},
      {"int", "\"int\""},
      {"integer", "\"integer\""},
      {"ApdbSchema", "\"ApdbSchema\""},
      {"diaObjectId", "\"diaObjectId\""},
      {"\xC3\xA9t\xC3\xA9", "\"\xC3\xA9t\xC3\xA9\""},  // été
      {"a-b", "\"a-b\""},
      {"a.b", "\"a.b\""},
      {"x1_y2", "x1_y2"},
      {"authorization", "\"authorization\""},  // type_func_name keyword
      {"left", "\"left\""},
      {"binary", "\"binary\""},
      {"time", "\"time\""},
      {"name", "name"},
      {"value", "value"},
      {"level", "level"},
      {"SELECT", "\"SELECT\""},
  };
  for (const auto& [name, expected] : cases) EXPECT_EQ(pg().quoteIdentifier(name), expected) << name;
}

TEST(PostgresDialectQuote, EveryKeywordQuotedUnlessUnreserved) {
  std::size_t quoted = 0;
  for (const Keyword& keyword : postgresKeywords()) {
    const std::string word(keyword.word);
    if (keyword.category == KeywordCategory::Unreserved) {
      EXPECT_EQ(pg().quoteIdentifier(word), word);
    } else {
      EXPECT_EQ(pg().quoteIdentifier(word), "\"" + word + "\"");
      ++quoted;
    }
  }
  EXPECT_EQ(postgresKeywords().size(), 460u);
  EXPECT_EQ(quoted, 151u);  // 77 reserved + 51 col_name + 23 type_func_name on PostgreSQL 15
}

TEST(PostgresDialectQuote, KeywordListIsSortedAndSearchable) {
  auto keywords = postgresKeywords();
  for (std::size_t i = 1; i < keywords.size(); ++i) EXPECT_LT(keywords[i - 1].word, keywords[i].word);
  EXPECT_EQ(postgresKeywordCategory("select"), KeywordCategory::Reserved);
  EXPECT_EQ(postgresKeywordCategory("between"), KeywordCategory::ColumnName);
  EXPECT_EQ(postgresKeywordCategory("left"), KeywordCategory::TypeFuncName);
  EXPECT_EQ(postgresKeywordCategory("abort"), KeywordCategory::Unreserved);
  EXPECT_EQ(postgresKeywordCategory("zone"), KeywordCategory::Unreserved);
  EXPECT_EQ(postgresKeywordCategory("SELECT"), std::nullopt);  // keywords are lower case
  EXPECT_EQ(postgresKeywordCategory("felisc"), std::nullopt);
}

TEST(PostgresDialectQuote, LiteralsDoubleOnlySingleQuotes) {
  EXPECT_EQ(pg().quoteLiteral("abc"), "'abc'");
  EXPECT_EQ(pg().quoteLiteral(""), "''");
  EXPECT_EQ(pg().quoteLiteral("it's"), "'it''s'");
  EXPECT_EQ(pg().quoteLiteral("''"), "''''''");
  EXPECT_EQ(pg().quoteLiteral("a\\b"), "'a\\b'");  // standard_conforming_strings: no E''
  EXPECT_EQ(pg().quoteLiteral("100% $$x$$"), "'100% $$x$$'");
  EXPECT_EQ(pg().quoteLiteral("two\nlines"), "'two\nlines'");
  EXPECT_EQ(pg().quoteLiteral("\xE2\x80\x93"), "'\xE2\x80\x93'");  // U+2013 kept as UTF-8
}

}  // namespace
}  // namespace felisc::model
