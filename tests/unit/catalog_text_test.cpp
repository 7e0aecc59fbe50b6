// The catalog reader's text handling without a server: password scrubbing,
// PostgreSQL array literals, and the Felis view of catalog types and defaults.
#include <gtest/gtest.h>

#include <cstdlib>

#include "compiler/catalog/connection.h"
#include "compiler/catalog/reader.h"

namespace felisc {
namespace {

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

TEST(PgSecrets, FoundInEveryConninfoForm) {
  ::unsetenv("PGPASSWORD");
  EXPECT_TRUE(contains(catalog::secretsOf("host=h password=abc123 user=u"), "abc123"));
  EXPECT_TRUE(contains(catalog::secretsOf("host=h password = 'a b\\'c' user=u"), "a b'c"));
  EXPECT_TRUE(contains(catalog::secretsOf("postgresql://u:p%40ss@h:5432/db"), "p%40ss"));
  EXPECT_TRUE(contains(catalog::secretsOf("postgresql://u:p%40ss@h:5432/db"), "p@ss"));
  EXPECT_TRUE(
      contains(catalog::secretsOf("postgres://u@h/db?sslmode=disable&password=qq%21x&x=1"), "qq%21x"));
  EXPECT_TRUE(contains(catalog::secretsOf("postgres://u@h/db?sslmode=disable&password=qq%21x&x=1"), "qq!x"));
  // Strings libpq rejects are scanned all the same.
  EXPECT_TRUE(contains(catalog::secretsOf("host=h password=zz9 port"), "zz9"));
  EXPECT_TRUE(contains(catalog::secretsOf("postgresql://u:bad%zz@h/db"), "bad%zz"));
  ::setenv("PGPASSWORD", "from-env", 1);
  EXPECT_TRUE(contains(catalog::secretsOf("host=h"), "from-env"));
  ::unsetenv("PGPASSWORD");
  EXPECT_TRUE(catalog::secretsOf("host=h user=u dbname=d").empty());
}

TEST(PgSecrets, ScrubReplacesEveryOccurrenceLongestFirst) {
  std::vector<std::string> secrets = {"ab", "abcd"};
  EXPECT_EQ(catalog::scrubSecrets("x abcd y ab z abcdab", secrets),
            "x ******** y ******** z ****************");
  EXPECT_EQ(catalog::scrubSecrets("nothing here", secrets), "nothing here");
  EXPECT_EQ(catalog::scrubSecrets("kept", {}), "kept");
}

TEST(PgArrays, LiteralAndParseRoundTrip) {
  std::vector<std::string> items = {"plain", "with space", "quo\"te", "back\\slash", "comma,", "NULL", ""};
  std::string literal = catalog::textArrayLiteral(items);
  EXPECT_EQ(literal, R"({"plain","with space","quo\"te","back\\slash","comma,","NULL",""})");
  auto parsed = catalog::parseTextArray(literal);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, items);
}

TEST(PgArrays, ParsesServerOutput) {
  EXPECT_EQ(catalog::parseTextArray("{}"), std::vector<std::string>{});
  EXPECT_EQ(catalog::parseTextArray("{a,b}"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(catalog::parseTextArray(R"({"Mixed Case",x,NULL})"),
            (std::vector<std::string>{"Mixed Case", "x", ""}));
  EXPECT_FALSE(catalog::parseTextArray("a,b"));
  EXPECT_FALSE(catalog::parseTextArray(R"({"open)"));
}

model::Column catalogColumn(const std::string& sql_type,
                            std::optional<std::string> sql_default = std::nullopt) {
  model::Column column;
  column.sql_type = sql_type;
  column.sql_default = std::move(sql_default);
  catalog::inferFelisType(column);
  catalog::inferFelisValue(column);
  return column;
}

TEST(CatalogTypes, FelisTypesThatMatchExactly) {
  using model::FelisType;
  struct Case {
    std::string sql_type;
    FelisType datatype;
    std::optional<std::int64_t> length;
    std::optional<std::int64_t> precision;
  };
  for (const Case& c : std::vector<Case>{
           {"boolean", FelisType::Boolean, {}, {}},
           {"smallint", FelisType::Short, {}, {}},
           {"integer", FelisType::Int, {}, {}},
           {"bigint", FelisType::Long, {}, {}},
           {"double precision", FelisType::Double, {}, {}},
           {"text", FelisType::Text, {}, {}},
           {"bytea", FelisType::Binary, {}, {}},
           {"character(8)", FelisType::Char, 8, {}},
           {"character varying(64)", FelisType::String, 64, {}},
           {"timestamp without time zone", FelisType::Timestamp, {}, {}},
           {"timestamp(6) without time zone", FelisType::Timestamp, {}, 6},
           {"timestamp(0) without time zone", FelisType::Timestamp, {}, 0},
       }) {
    model::Column column = catalogColumn(c.sql_type);
    EXPECT_EQ(column.datatype, c.datatype) << c.sql_type;
    EXPECT_EQ(column.length, c.length) << c.sql_type;
    EXPECT_EQ(column.precision, c.precision) << c.sql_type;
    EXPECT_FALSE(column.postgresql_datatype) << c.sql_type;
  }
}

TEST(CatalogTypes, OtherTypesKeepTheCatalogSpellingAsOverride) {
  using model::FelisType;
  for (const auto& [sql_type, datatype] : std::vector<std::pair<std::string, FelisType>>{
           {"real", FelisType::Float},
           {"numeric(10,2)", FelisType::Double},
           {"timestamp with time zone", FelisType::Timestamp},
           {"timestamp(3) with time zone", FelisType::Timestamp},
           {"date", FelisType::Timestamp},
           {"character varying", FelisType::Text},
           {"jsonb", FelisType::Text},
           {"spoly", FelisType::Text},
           {"integer[]", FelisType::Text},
       }) {
    model::Column column = catalogColumn(sql_type);
    EXPECT_EQ(column.datatype, datatype) << sql_type;
    EXPECT_EQ(column.postgresql_datatype, sql_type);
    EXPECT_FALSE(column.precision) << sql_type;  // a precision would replace the override
  }
}

TEST(CatalogDefaults, LiteralsBecomeFelisValues) {
  using Kind = model::Scalar::Kind;
  struct Case {
    std::string sql_type;
    std::string sql_default;
    std::optional<model::Scalar> value;
  };
  for (const Case& c : std::vector<Case>{
           {"integer", "0", model::Scalar{Kind::Integer, "0"}},
           {"integer", "'-1'::integer", model::Scalar{Kind::Integer, "-1"}},
           {"bigint", "'5000000000'::bigint", model::Scalar{Kind::Integer, "5000000000"}},
           {"double precision", "1.5", model::Scalar{Kind::Float, "1.5"}},
           {"double precision", "0.0000001", model::Scalar{Kind::Float, "1e-07"}},
           {"double precision", "'-1.5'::numeric", model::Scalar{Kind::Float, "-1.5"}},
           {"double precision", "1.0", model::Scalar{Kind::Float, "1.0"}},
           {"double precision", "'10000000000000000'::numeric", model::Scalar{Kind::Float, "1e+16"}},
           {"boolean", "false", model::Scalar{Kind::Boolean, "false"}},
           {"character varying(8)", "'it''s'::character varying", model::Scalar{Kind::String, "it's"}},
           {"text", "'a b'::text", model::Scalar{Kind::String, "a b"}},
           {"timestamp without time zone", "CURRENT_TIMESTAMP",
            model::Scalar{Kind::String, "CURRENT_TIMESTAMP"}},
           {"timestamp without time zone", "now()", model::Scalar{Kind::String, "NOW()"}},
           {"timestamp(6) without time zone", "LOCALTIMESTAMP",
            model::Scalar{Kind::String, "LOCALTIMESTAMP"}},
           {"timestamp without time zone", "'2020-01-01 00:00:00'::timestamp without time zone",
            model::Scalar{Kind::String, "2020-01-01 00:00:00"}},
           // What Felis cannot say: white space it would strip, an empty string,
           // a string it would write as raw SQL, an expression.
           {"text", "' padded '::text", std::nullopt},
           {"text", "''::text", std::nullopt},
           {"text", "'NULL'::text", std::nullopt},
           {"integer", "(1 + 2)", std::nullopt},
           {"text", "(gen_random_uuid())::text", std::nullopt},
       }) {
    model::Column column = catalogColumn(c.sql_type, c.sql_default);
    EXPECT_EQ(column.value, c.value) << c.sql_type << " DEFAULT " << c.sql_default;
  }
}

}  // namespace
}  // namespace felisc
