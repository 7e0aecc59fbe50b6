#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/felis/yaml_tree.h"

namespace felisc::felis {
namespace {

using Kind = ResolvedScalar::Kind;

/// Parses `v: <scalar>` and resolves the value, as felis would see `v`.
ResolvedScalar resolveValue(const std::string& scalar, std::string* error = nullptr) {
  model::Diagnostics diagnostics;
  auto document = parseYaml("v: " + scalar + "\n", "s.yaml", diagnostics);
  if (!document || !diagnostics.empty()) {
    if (error != nullptr) *error = diagnostics.empty() ? "no document" : diagnostics.all()[0].message;
    ADD_FAILURE() << "cannot parse 'v: " << scalar << "'";
    return {};
  }
  const YamlNode* value = document->get(document->root(), "v");
  EXPECT_NE(value, nullptr);
  if (value == nullptr) return {};
  EXPECT_EQ(isStringScalar(*value), resolveScalar(*value).kind == Kind::String) << scalar;
  return resolveScalar(*value);
}

struct ScalarCase {
  const char* input;
  Kind kind;
  const char* text;
  bool overflow;
};

// Expected values generated OFFLINE with PyYAML 6.0.3 (CSafeLoader, libyaml 0.2.5):
// for each input, yaml.load("v: " + input, Loader=yaml.CSafeLoader)["v"], then
// None -> Null "null", bool -> "true"/"false", int -> str() (overflow: outside
// int64), float -> repr(), date/datetime -> Timestamp with the input text.
// Inputs PyYAML cannot load are commented out with the exception it raises.
const ScalarCase kPlainScalars[] = {
    {"yes", Kind::Boolean, "true", false},
    {"Yes", Kind::Boolean, "true", false},
    {"YES", Kind::Boolean, "true", false},
    {"no", Kind::Boolean, "false", false},
    {"No", Kind::Boolean, "false", false},
    {"NO", Kind::Boolean, "false", false},
    {"true", Kind::Boolean, "true", false},
    {"True", Kind::Boolean, "true", false},
    {"TRUE", Kind::Boolean, "true", false},
    {"false", Kind::Boolean, "false", false},
    {"False", Kind::Boolean, "false", false},
    {"FALSE", Kind::Boolean, "false", false},
    {"on", Kind::Boolean, "true", false},
    {"On", Kind::Boolean, "true", false},
    {"ON", Kind::Boolean, "true", false},
    {"off", Kind::Boolean, "false", false},
    {"Off", Kind::Boolean, "false", false},
    {"OFF", Kind::Boolean, "false", false},
    {"y", Kind::String, "y", false},
    {"n", Kind::String, "n", false},
    {"Y", Kind::String, "Y", false},
    {"N", Kind::String, "N", false},
    {"yES", Kind::String, "yES", false},
    {"tRUE", Kind::String, "tRUE", false},
    {"oN", Kind::String, "oN", false},
    {"nO", Kind::String, "nO", false},
    {"fALSE", Kind::String, "fALSE", false},
    {"~", Kind::Null, "null", false},
    {"null", Kind::Null, "null", false},
    {"Null", Kind::Null, "null", false},
    {"NULL", Kind::Null, "null", false},
    {"nULL", Kind::String, "nULL", false},
    {"none", Kind::String, "none", false},
    {"None", Kind::String, "None", false},
    {"nul", Kind::String, "nul", false},
    {"~~", Kind::String, "~~", false},
    {"0", Kind::Integer, "0", false},
    {"-0", Kind::Integer, "0", false},
    {"+0", Kind::Integer, "0", false},
    {"1", Kind::Integer, "1", false},
    {"-1", Kind::Integer, "-1", false},
    {"+1", Kind::Integer, "1", false},
    {"123", Kind::Integer, "123", false},
    {"1_000", Kind::Integer, "1000", false},
    {"1__0", Kind::Integer, "10", false},
    {"0b101", Kind::Integer, "5", false},
    {"-0b101", Kind::Integer, "-5", false},
    {"+0b1_0", Kind::Integer, "2", false},
    {"017", Kind::Integer, "15", false},
    {"-017", Kind::Integer, "-15", false},
    {"0_17", Kind::Integer, "15", false},
    {"0_", Kind::Integer, "0", false},
    {"-0_7", Kind::Integer, "-7", false},
    {"08", Kind::String, "08", false},
    {"09", Kind::String, "09", false},
    {"0x1F", Kind::Integer, "31", false},
    {"0x1f", Kind::Integer, "31", false},
    {"-0x1F", Kind::Integer, "-31", false},
    {"0x_1F", Kind::Integer, "31", false},
    {"0X1F", Kind::String, "0X1F", false},
    {"0xg", Kind::String, "0xg", false},
    {"1:30", Kind::Integer, "90", false},
    {"-1:30", Kind::Integer, "-90", false},
    {"+1:30", Kind::Integer, "90", false},
    {"1:30:15", Kind::Integer, "5415", false},
    {"1:60", Kind::String, "1:60", false},
    {"1:5", Kind::Integer, "65", false},
    {"1:05", Kind::Integer, "65", false},
    {"190:20:30", Kind::Integer, "685230", false},
    {"0:30", Kind::String, "0:30", false},
    {"1_0:30", Kind::Integer, "630", false},
    {"12:30:00", Kind::Integer, "45000", false},
    {"1::30", Kind::String, "1::30", false},
    {"9223372036854775807", Kind::Integer, "9223372036854775807", false},
    {"9223372036854775808", Kind::Integer, "9223372036854775808", true},
    {"-9223372036854775808", Kind::Integer, "-9223372036854775808", false},
    {"-9223372036854775809", Kind::Integer, "-9223372036854775809", true},
    {"123456789012345678901234567890", Kind::Integer, "123456789012345678901234567890", true},
    {"0x8000000000000000", Kind::Integer, "9223372036854775808", true},
    {"-0x8000000000000000", Kind::Integer, "-9223372036854775808", false},
    {"0xFFFFFFFFFFFFFFFFFFFF", Kind::Integer, "1208925819614629174706175", true},
    {"0b11111111111111111111111111111111111111111111111111111111111111111111", Kind::Integer,
     "295147905179352825855", true},
    {"0777777777777777777777777", Kind::Integer, "4722366482869645213695", true},
    {"153722867280912930:8", Kind::Integer, "9223372036854775808", true},
    {"-153722867280912930:8", Kind::Integer, "-9223372036854775808", false},
    {"1.0", Kind::Float, "1.0", false},
    {"1.", Kind::Float, "1.0", false},
    {"-1.5", Kind::Float, "-1.5", false},
    {"+1.5", Kind::Float, "1.5", false},
    {".5", Kind::Float, "0.5", false},
    {"-.5", Kind::String, "-.5", false},
    {"+.5", Kind::String, "+.5", false},
    {"1.5e+3", Kind::Float, "1500.0", false},
    {"1.5e3", Kind::String, "1.5e3", false},
    {"1e3", Kind::String, "1e3", false},
    {"1.0e-3", Kind::Float, "0.001", false},
    {"1.0E+3", Kind::Float, "1000.0", false},
    {"1e+3", Kind::String, "1e+3", false},
    {"1_000.5", Kind::Float, "1000.5", false},
    {"1.0_5", Kind::Float, "1.05", false},
    {"1.e+3", Kind::Float, "1000.0", false},
    {"1.5e+03", Kind::Float, "1500.0", false},
    {"00.5", Kind::Float, "0.5", false},
    {"09.5", Kind::Float, "9.5", false},
    {".inf", Kind::Float, "inf", false},
    {"-.inf", Kind::Float, "-inf", false},
    {"+.inf", Kind::Float, "inf", false},
    {".Inf", Kind::Float, "inf", false},
    {".INF", Kind::Float, "inf", false},
    {".iNf", Kind::String, ".iNf", false},
    {".nan", Kind::Float, "nan", false},
    {".NaN", Kind::Float, "nan", false},
    {".NAN", Kind::Float, "nan", false},
    {"-.nan", Kind::String, "-.nan", false},
    {"+.nan", Kind::String, "+.nan", false},
    {"inf", Kind::String, "inf", false},
    {"nan", Kind::String, "nan", false},
    {"1:30.5", Kind::Float, "90.5", false},
    {"-1:30.5", Kind::Float, "-90.5", false},
    {"1:30.", Kind::Float, "90.0", false},
    {"0:0.5", Kind::Float, "0.5", false},
    {"1_0:30.25", Kind::Float, "630.25", false},
    {"0.1", Kind::Float, "0.1", false},
    {"0.0001", Kind::Float, "0.0001", false},
    {"0.00001", Kind::Float, "1e-05", false},
    {"1e-7", Kind::String, "1e-7", false},
    {"1.0e-7", Kind::Float, "1e-07", false},
    {"1.0e+16", Kind::Float, "1e+16", false},
    {"1.0e+15", Kind::Float, "1000000000000000.0", false},
    {"9999999999999998.0", Kind::Float, "9999999999999998.0", false},
    {"123456789.123456789", Kind::Float, "123456789.12345679", false},
    {"1.7976931348623157e+308", Kind::Float, "1.7976931348623157e+308", false},
    {"1.0e+309", Kind::Float, "inf", false},
    {"5.0e-324", Kind::Float, "5e-324", false},
    {"0.0", Kind::Float, "0.0", false},
    {"-0.0", Kind::Float, "-0.0", false},
    {"100.0", Kind::Float, "100.0", false},
    {"1.0e+22", Kind::Float, "1e+22", false},
    {"1.0e+23", Kind::Float, "1e+23", false},
    {"0.30000000000000004", Kind::Float, "0.30000000000000004", false},
    {"2020-01-01", Kind::Timestamp, "2020-01-01", false},
    {"2002-12-14", Kind::Timestamp, "2002-12-14", false},
    {"2020-1-1", Kind::String, "2020-1-1", false},
    {"2001-12-14t21:59:43.10-05:00", Kind::Timestamp, "2001-12-14t21:59:43.10-05:00", false},
    {"2001-12-14T21:59:43Z", Kind::Timestamp, "2001-12-14T21:59:43Z", false},
    {"2001-12-15T2:59:43.10", Kind::Timestamp, "2001-12-15T2:59:43.10", false},
    {"20200101", Kind::Integer, "20200101", false},
    {"2020-01-01x", Kind::String, "2020-01-01x", false},
    {"2020-01-1", Kind::String, "2020-01-1", false},
    {"202-01-01", Kind::String, "202-01-01", false},
    {"hello", Kind::String, "hello", false},
    {"0o17", Kind::String, "0o17", false},
    {"1,000", Kind::String, "1,000", false},
    {"+", Kind::String, "+", false},
    {"._x", Kind::String, "._x", false},
    {"._", Kind::String, "._", false},
    {"._4", Kind::String, "._4", false},
    {".__53", Kind::String, ".__53", false},
    {"._5e+3", Kind::String, "._5e+3", false},
    {".5_e+3", Kind::Float, "500.0", false},
    {".5e+3", Kind::Float, "500.0", false},
    {"1_", Kind::Integer, "1", false},
    {"a1", Kind::String, "a1", false},
    {"_1", Kind::String, "_1", false},
    {"1.2.3", Kind::String, "1.2.3", false},
    {"0x", Kind::String, "0x", false},
    {"0b", Kind::String, "0b", false},
    {"1e", Kind::String, "1e", false},
    {"1.0e", Kind::String, "1.0e", false},
    {"1.0e+", Kind::String, "1.0e+", false},
    {"--1", Kind::String, "--1", false},
    {".5.5", Kind::String, ".5.5", false},
    // "1:30:": PyYAML raises ScannerError
    {"2001-12-14 21:59:43.10 -5", Kind::Timestamp, "2001-12-14 21:59:43.10 -5", false},
    {"2001-12-15 2:59:43.10", Kind::Timestamp, "2001-12-15 2:59:43.10", false},
    {"2001-12-14 21:59:43.10 Z", Kind::Timestamp, "2001-12-14 21:59:43.10 Z", false},
    {"2001-12-14\t21:59:43", Kind::Timestamp, "2001-12-14\t21:59:43", false},
    {"2001-12-14  21:59:43 +05:30", Kind::Timestamp, "2001-12-14  21:59:43 +05:30", false},
    {"2001-12-14 21:59:43 +5:3", Kind::String, "2001-12-14 21:59:43 +5:3", false},
    {"yes please", Kind::String, "yes please", false},
    {"1 2", Kind::String, "1 2", false},
    {"1.5 e+3", Kind::String, "1.5 e+3", false},
};

TEST(YamlScalar, PlainScalarsResolveExactlyLikePyYamlSafeLoader) {
  for (const ScalarCase& c : kPlainScalars) {
    ResolvedScalar resolved = resolveValue(c.input);
    EXPECT_EQ(resolved.kind, c.kind) << "input '" << c.input << "'";
    EXPECT_EQ(resolved.text, c.text) << "input '" << c.input << "'";
    EXPECT_EQ(resolved.integer_overflow, c.overflow) << "input '" << c.input << "'";
  }
}

struct ReprCase {
  double value;
  const char* repr;
};

// Python 3 repr() of each value, generated OFFLINE (the literal is float.hex()).
const ReprCase kReprCases[] = {
    {0x1.999999999999ap-4, "0.1"},
    {0x1.5555555555555p-2, "0.3333333333333333"},
    {0x1.5555555555555p-1, "0.6666666666666666"},
    {0x1.1c37937e08000p+53, "1e+16"},
    {0x1.c6bf526340000p+49, "1000000000000000.0"},
    {0x1.b69b4ba630f35p+56, "1.2345678901234568e+17"},
    {0x1.4f8b588e368f1p-17, "1e-05"},
    {0x1.a36e2eb1c432dp-14, "0.0001"},
    {0x1.02c9dedbc309dp-13, "0.0001234"},
    {0x0.0000000000001p-1022, "5e-324"},
    {0x1.0000000000000p-1022, "2.2250738585072014e-308"},
    {0x1.fffffffffffffp+1023, "1.7976931348623157e+308"},
    {0x1.0000000000000p+53, "9007199254740992.0"},
    {0x1.0000000000001p+53, "9007199254740994.0"},
    {-0x1.8000000000000p+0, "-1.5"},
    {0x1.0f0cf064dd592p+73, "1e+22"},
    {0x1.52d02c7e14af6p+76, "1e+23"},
    {0x1.1c37937e07fffp+53, "9999999999999998.0"},
    {0x1.3333333333334p-2, "0.30000000000000004"},
    {0x1.9000000000000p+6, "100.0"},
    {0x1.249ad2594c37dp+332, "1e+100"},
    {0x1.edd2f1a9fbe77p+6, "123.456"},
    {-0x0.0p+0, "-0.0"},
    {0x0.0p+0, "0.0"},
    {0x1.0000000000000p+0, "1.0"},
    {-0x1.ad7f29abcaf48p-24, "-1e-07"},
    {0x1.aa535d3d0c000p+53, "1.5e+16"},
    {0x1.5ee2a2eb5a5c4p+53, "1.2345678901234568e+16"},
    {0x1.0624dd2f1a9fcp-10, "0.001"},
    {0x1.b7cdfd9d7bdbbp-34, "1e-10"},
    {0x1.921fb54442d18p+1, "3.141592653589793"},
};

TEST(YamlScalar, PythonFloatReprMatchesPython) {
  for (const ReprCase& c : kReprCases) EXPECT_EQ(pythonFloatRepr(c.value), c.repr) << c.repr;
  EXPECT_EQ(pythonFloatRepr(std::nan("")), "nan");
  EXPECT_EQ(pythonFloatRepr(HUGE_VAL), "inf");
  EXPECT_EQ(pythonFloatRepr(-HUGE_VAL), "-inf");
}

TEST(YamlScalar, ValuesBehindTheCanonicalText) {
  ResolvedScalar integer = resolveValue("-0x1F");
  EXPECT_EQ(integer.integer, -31);
  ResolvedScalar minimum = resolveValue("-9223372036854775808");
  EXPECT_EQ(minimum.integer, INT64_MIN);
  EXPECT_FALSE(minimum.integer_overflow);
  EXPECT_EQ(resolveValue("1:30.5").real, 90.5);
  EXPECT_EQ(resolveValue("1.5e+3").real, 1500.0);
  EXPECT_TRUE(std::signbit(resolveValue("-0.0").real));
  EXPECT_TRUE(std::isnan(resolveValue(".nan").real));
  // Python's float() overflows to inf and underflows to 0.0 (PyYAML 6.0.3, offline).
  EXPECT_EQ(resolveValue("1.0e-400").text, "0.0");
  EXPECT_EQ(resolveValue("-1.0e+400").text, "-inf");
  EXPECT_EQ(resolveValue("123456789012345678901234567890.5e+290").text, "inf");
  EXPECT_TRUE(resolveValue("Yes").boolean);
  EXPECT_FALSE(resolveValue("off").boolean);
}

TEST(YamlScalar, QuotedAndBlockScalarsAreStrings) {
  // PyYAML: '"123"' -> '123', "'yes'" -> 'yes', '"~"' -> '~', '|' block keeps its newline.
  for (const char* input : {"\"123\"", "'yes'", "\"~\"", "''", "\"1.5\"", "'2020-01-01'"}) {
    ResolvedScalar resolved = resolveValue(input);
    EXPECT_EQ(resolved.kind, Kind::String) << input;
  }
  EXPECT_EQ(resolveValue("\"123\"").text, "123");
  EXPECT_EQ(resolveValue("''").text, "");
  ResolvedScalar literal = resolveValue("|\n  123\n");
  EXPECT_EQ(literal.kind, Kind::String);
  EXPECT_EQ(literal.text, "123\n");
  ResolvedScalar folded = resolveValue(">\n  1.5\n");
  EXPECT_EQ(folded.kind, Kind::String);
  EXPECT_EQ(folded.text, "1.5\n");
}

TEST(YamlScalar, ExplicitStandardTagsWin) {
  struct TaggedCase {
    const char* input;
    Kind kind;
    const char* text;
  };
  // Expected values from PyYAML 6.0.3 CSafeLoader, generated offline.
  const TaggedCase cases[] = {
      {"!!str 123", Kind::String, "123"},
      {"!!str yes", Kind::String, "yes"},
      {"!!int \"0x1F\"", Kind::Integer, "31"},
      {"!!int 1_000", Kind::Integer, "1000"},
      {"!!int -0b11", Kind::Integer, "-3"},
      {"!<tag:yaml.org,2002:int> 42", Kind::Integer, "42"},
      {"!!float 1", Kind::Float, "1.0"},
      {"!!float 1e3", Kind::Float, "1000.0"},
      {"!!float \"-1:30\"", Kind::Float, "-90.0"},
      {"!!float .NaN", Kind::Float, "nan"},
      {"!!float 1_0.5", Kind::Float, "10.5"},
      {"!!bool Yes", Kind::Boolean, "true"},
      {"!!bool oN", Kind::Boolean, "true"},
      {"!!null foo", Kind::Null, "null"},
      {"!!timestamp 2020-01-01", Kind::Timestamp, "2020-01-01"},
  };
  for (const TaggedCase& c : cases) {
    ResolvedScalar resolved = resolveValue(c.input);
    EXPECT_EQ(resolved.kind, c.kind) << c.input;
    EXPECT_EQ(resolved.text, c.text) << c.input;
  }
}

TEST(YamlScalar, NonSpecificTagResolvesEvenAQuotedScalar) {
  // libyaml reports plain_implicit for '!', so PyYAML resolves: '! "true"' -> True.
  EXPECT_EQ(resolveValue("! 123").kind, Kind::Integer);
  ResolvedScalar quoted = resolveValue("! \"true\"");
  EXPECT_EQ(quoted.kind, Kind::Boolean);
  EXPECT_TRUE(quoted.boolean);
}

TEST(YamlScalar, WhatPyYamlCannotConstructIsLeftAsAString) {
  // PyYAML raises on each of these; felisc leaves the text for callers to judge.
  for (const char* input : {"!!int abc", "!!bool maybe", "!foo 12", "!!binary aGVsbG8=", "0b_", "0x_"}) {
    ResolvedScalar resolved = resolveValue(input);
    EXPECT_EQ(resolved.kind, Kind::String) << input;
  }
  // Merge `<<` and value `=` are tags PyYAML's SafeConstructor cannot build as values.
  EXPECT_EQ(resolveValue("<<").kind, Kind::String);
  EXPECT_EQ(resolveValue("=").text, "=");
  // The tag stays on the node, so a caller can tell `!foo 12` from `12`.
  model::Diagnostics diagnostics;
  auto document = parseYaml("v: !foo 12\n", "s.yaml", diagnostics);
  ASSERT_TRUE(document);
  EXPECT_EQ(document->get(document->root(), "v")->tag, "!foo");
}

TEST(YamlScalar, HugeIntegersOfOtherBasesBecomeDecimalUpToABound) {
  // 2^200 in hex is 0x1 followed by 50 zeros.
  ResolvedScalar power = resolveValue("0x1" + std::string(50, '0'));
  EXPECT_TRUE(power.integer_overflow);
  EXPECT_EQ(power.text, "1606938044258990275541962092341162602522202993782792835301376");
  // Beyond the bound the text is the scalar as written (no quadratic conversion).
  std::string huge = "0x" + std::string(5000, 'F');
  ResolvedScalar bounded = resolveValue(huge);
  EXPECT_EQ(bounded.kind, Kind::Integer);
  EXPECT_TRUE(bounded.integer_overflow);
  EXPECT_EQ(bounded.text, huge);
}

TEST(YamlScalar, CollectionsAreNotScalars) {
  model::Diagnostics diagnostics;
  auto document = parseYaml("v: [1, 2]\n", "s.yaml", diagnostics);
  ASSERT_TRUE(document);
  const YamlNode* sequence = document->get(document->root(), "v");
  ASSERT_NE(sequence, nullptr);
  EXPECT_EQ(resolveScalar(*sequence).kind, Kind::String);
  EXPECT_EQ(resolveScalar(*sequence).text, "");
  EXPECT_FALSE(isStringScalar(*sequence));
}

}  // namespace
}  // namespace felisc::felis
