/// \file
/// The PostgreSQL dialect: types, defaults and identifiers in the server's own
/// spelling (`format_type()`, `pg_get_expr()`, `quote_ident()`), so that a model
/// resolved from a Felis file compares equal to the catalog of a database built
/// from it. Every spelling here was checked against PostgreSQL 15.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "schema_model/pg_keywords.h"
#include "schema_model/type_mapping.h"

namespace felisc::model {

namespace {

bool isAsciiSpace(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}
bool isAsciiDigit(char ch) { return ch >= '0' && ch <= '9'; }

std::string lowerAscii(std::string_view text) {
  std::string lowered(text);
  for (char& ch : lowered)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return lowered;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && isAsciiSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isAsciiSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool isAllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), isAsciiDigit);
}

/// Lower-cases a type as written and collapses its white space: runs become one
/// space, and none is kept next to `(`, `)`, `,`, `[` or `]`. Type names are
/// case-insensitive in PostgreSQL, and so is this.
std::string normalizeTypeText(std::string_view text) {
  std::string out;
  bool pending_space = false;
  auto is_punct = [](char ch) { return ch == '(' || ch == ')' || ch == ',' || ch == '[' || ch == ']'; };
  for (char ch : lowerAscii(trim(text))) {
    if (isAsciiSpace(ch)) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty() && !is_punct(ch) && !is_punct(out.back())) out += ' ';
    // A word right after `)` keeps its separating space: `timestamp(6) with time zone`.
    if (pending_space && !out.empty() && out.back() == ')' && !is_punct(ch)) out += ' ';
    pending_space = false;
    out += ch;
  }
  return out;
}

/// A type as written, split into its parts: `timestamp(6) with time zone[]` is
/// name `timestamp`, args `{6}`, suffix `with time zone`, array.
struct TypeText {
  std::string name;
  std::vector<std::string> args;
  bool has_parens = false;
  std::string suffix;
  bool array = false;
};

std::optional<TypeText> splitTypeText(const std::string& normalized) {
  TypeText type;
  std::string_view rest = normalized;
  // Array brackets: PostgreSQL does not keep dimensions; format_type prints one `[]`.
  while (rest.size() >= 2 && rest.back() == ']') {
    auto open = rest.rfind('[');
    if (open == std::string_view::npos) return std::nullopt;
    std::string_view inside = rest.substr(open + 1, rest.size() - open - 2);
    if (!inside.empty() && !isAllDigits(inside)) return std::nullopt;
    type.array = true;
    rest = trim(rest.substr(0, open));
  }
  if (rest.size() > 6 && rest.substr(rest.size() - 6) == " array") {  // SQL standard `integer array`
    type.array = true;
    rest = trim(rest.substr(0, rest.size() - 6));
  }
  auto open = rest.find('(');
  if (open == std::string_view::npos) {
    type.name = std::string(rest);
    return type;
  }
  auto close = rest.find(')', open);
  if (close == std::string_view::npos) return std::nullopt;
  type.name = std::string(trim(rest.substr(0, open)));
  type.has_parens = true;
  std::string_view args = rest.substr(open + 1, close - open - 1);
  while (true) {
    auto comma = args.find(',');
    type.args.emplace_back(trim(args.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    args.remove_prefix(comma + 1);
  }
  type.suffix = std::string(trim(rest.substr(close + 1)));
  return type;
}

std::optional<long> parseSmallInt(std::string_view text) {
  long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// `(p)` for time types: PostgreSQL clamps a precision above 6 to 6 (with a warning).
std::string timePrecision(const TypeText& type) {
  if (!type.has_parens || type.args.size() != 1) return "";
  auto precision = parseSmallInt(type.args[0]);
  if (!precision || *precision < 0) return "(" + type.args[0] + ")";
  return "(" + std::to_string(std::min(*precision, 6L)) + ")";
}

std::string joinArgs(const std::vector<std::string>& args) {
  std::string joined;
  for (const auto& arg : args) joined += (joined.empty() ? "" : ",") + arg;
  return joined;
}

/// The format_type() spelling of a type known by name; nullopt for a type this
/// table does not know (kept as written by the caller).
std::optional<std::string> canonicalKnownType(const TypeText& type) {
  const std::string& name = type.name;
  const std::string full = type.suffix.empty() ? name : name + " " + type.suffix;
  const bool bare = !type.has_parens;
  auto is = [&](std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), bare ? full : name) != names.end();
  };
  // Types that take no modifier.
  if (bare) {
    if (is({"bool", "boolean"})) return "boolean";
    if (is({"int2", "smallint"})) return "smallint";
    if (is({"int", "int4", "integer"})) return "integer";
    if (is({"int8", "bigint"})) return "bigint";
    if (is({"float4", "real"})) return "real";
    // SQLAlchemy spells double precision DOUBLE_PRECISION; felis users write it so.
    if (is({"float8", "float", "double precision", "double_precision"})) return "double precision";
    if (is({"smallserial", "serial2"})) return "smallint";
    if (is({"serial", "serial4"})) return "integer";
    if (is({"bigserial", "serial8"})) return "bigint";
    if (is({"text",    "bytea",   "date",     "json",     "jsonb",   "uuid",          "xml",
            "inet",    "cidr",    "macaddr",  "macaddr8", "money",   "oid",           "point",
            "line",    "lseg",    "box",      "path",     "polygon", "circle",        "tsvector",
            "tsquery", "numeric", "interval", "bpchar",   "pg_lsn",  "txid_snapshot", "pg_snapshot"}))
      return full;
    if (is({"decimal"})) return "numeric";
    if (is({"char", "character"})) return "character(1)";
    if (is({"varchar", "character varying", "char varying"})) return "character varying";
    if (is({"bit"})) return "bit(1)";
    if (is({"varbit", "bit varying"})) return "bit varying";
    if (is({"timestamp", "timestamp without time zone"})) return "timestamp without time zone";
    if (is({"timestamptz", "timestamp with time zone"})) return "timestamp with time zone";
    if (is({"time", "time without time zone"})) return "time without time zone";
    if (is({"timetz", "time with time zone"})) return "time with time zone";
    return std::nullopt;
  }
  const std::string args = joinArgs(type.args);
  const bool one_int = type.args.size() == 1 && isAllDigits(type.args[0]);
  if ((name == "numeric" || name == "decimal") && type.suffix.empty()) {
    if (one_int) return "numeric(" + args + ",0)";
    return "numeric(" + args + ")";
  }
  if ((name == "float") && type.suffix.empty() && one_int) {
    // SQL FLOAT(p): binary digits of precision; 1..24 is real, 25..53 double.
    auto bits = parseSmallInt(type.args[0]);
    if (bits && *bits >= 1 && *bits <= 24) return "real";
    if (bits && *bits >= 25 && *bits <= 53) return "double precision";
    return std::nullopt;
  }
  if ((name == "char" || name == "character" || name == "bpchar") && type.suffix.empty())
    return "character(" + args + ")";
  if ((name == "varchar" || ((name == "character" || name == "char") && type.suffix == "varying")) ||
      (name == "character varying" || name == "char varying"))
    return "character varying(" + args + ")";
  if (name == "bit" && type.suffix.empty()) return "bit(" + args + ")";
  if ((name == "varbit" && type.suffix.empty()) || name == "bit varying" ||
      (name == "bit" && type.suffix == "varying"))
    return "bit varying(" + args + ")";
  if (name == "timestamp" && (type.suffix.empty() || type.suffix == "without time zone"))
    return "timestamp" + timePrecision(type) + " without time zone";
  if ((name == "timestamp" && type.suffix == "with time zone") ||
      (name == "timestamptz" && type.suffix.empty()))
    return "timestamp" + timePrecision(type) + " with time zone";
  if (name == "time" && (type.suffix.empty() || type.suffix == "without time zone"))
    return "time" + timePrecision(type) + " without time zone";
  if ((name == "time" && type.suffix == "with time zone") || (name == "timetz" && type.suffix.empty()))
    return "time" + timePrecision(type) + " with time zone";
  if (name == "interval" && type.suffix.empty()) return "interval" + timePrecision(type);
  return std::nullopt;
}

/// The type of a Felis datatype without override, as format_type() prints it.
std::string felisPostgresType(const Column& column) {
  auto sized = [&](std::string_view base) {
    if (!column.length) return std::string(base);
    return std::string(base) + "(" + std::to_string(*column.length) + ")";
  };
  switch (column.datatype) {
    case FelisType::Boolean: return "boolean";
    case FelisType::Byte:  // PostgreSQL has no one-byte integer; felis uses SMALLINT too
    case FelisType::Short: return "smallint";
    case FelisType::Int: return "integer";
    case FelisType::Long: return "bigint";
    case FelisType::Float:  // felis writes FLOAT, which PostgreSQL reads as float8
    case FelisType::Double: return "double precision";
    case FelisType::Char: return column.length ? sized("character") : "character(1)";
    case FelisType::String:
    case FelisType::Unicode: return sized("character varying");
    case FelisType::Text: return "text";
    case FelisType::Binary: return "bytea";  // felis drops the length: bytea has none
    case FelisType::Timestamp: return "timestamp without time zone";
  }
  return "text";
}

// ---------------------------------------------------------------------------
// Defaults.
//
// pg_get_expr() prints a stored default without its implicit coercion to the
// column type, so what it shows is the constant as the *parser* typed the literal
// felisc wrote (measured on PostgreSQL 15, see postgres_dialect_test.cpp):
//   - an integer literal is int4 (`5`; negative: `'-1'::integer`), else int8
//     (`'2147483648'::bigint`), else numeric, whatever the column type;
//   - a literal with `.` or `e` is numeric: `1.5`, `0.0000001` for 1e-07,
//     `'-1.5'::numeric`, `'10000000000000000'::numeric` for 1e+16;
//   - a boolean is `true`/`false`;
//   - a quoted string is read by the column type's input function and printed
//     back with the type minus its modifier: `'abc'::character varying`,
//     `'abc'::bpchar`, `'2020-01-01 00:00:00'::timestamp without time zone`,
//     `'\x616263'::bytea`, `1` for `'1'` on integer, `true` for `'t'` on boolean;
//   - CURRENT_TIMESTAMP, now() and LOCALTIMESTAMP print as such on every type;
//   - DEFAULT NULL is not stored at all, unless the type has a modifier
//     (`character(5)`, `timestamp(6) ...`): then it is `NULL::bpchar`, ...

/// The raw SQL strings felis passes through unquoted (§6.3, case-sensitive).
bool isRawSqlDefault(std::string_view text) {
  return text == "CURRENT_TIMESTAMP" || text == "NOW()" || text == "LOCALTIMESTAMP" || text == "NULL";
}

bool isIntegerType(std::string_view sql_type) {
  return sql_type == "smallint" || sql_type == "integer" || sql_type == "bigint";
}
bool isFloatType(std::string_view sql_type) { return sql_type == "double precision" || sql_type == "real"; }

/// The type of a constant of `sql_type` without its modifier, as format_type(oid, -1)
/// prints it: `character(5)` is `bpchar`, `timestamp(6) without time zone` is
/// `timestamp without time zone`, `numeric(10,2)` is `numeric`.
std::string unmodifiedType(std::string_view sql_type) {
  std::string type(sql_type);
  bool array = false;
  if (type.size() > 2 && type.substr(type.size() - 2) == "[]") {
    array = true;
    type.resize(type.size() - 2);
  }
  auto open = type.find('(');
  auto close = type.find(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    type.erase(open, close - open + 1);
    if (open < type.size() && type[open] == ' ' && open > 0 && type[open - 1] == ' ') type.erase(open, 1);
  }
  if (type == "character") type = "bpchar";
  if (type == "bit") type = "\"bit\"";  // format_type quotes the keyword without a modifier
  return type + (array ? "[]" : "");
}

bool hasTypeModifier(std::string_view sql_type) { return sql_type.find('(') != std::string_view::npos; }

/// float8out/float4out: the shortest digits that read back exactly, in fixed
/// notation for decimal exponents from -4 to `fixed_limit` - 1 (15 for double, 6
/// for real, as printf does), otherwise `1e+16` style with at least two exponent digits.
std::string shortestFloatText(std::string sci, int fixed_limit) {
  std::string sign;
  if (sci.front() == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  auto e = sci.find('e');
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int exponent = std::stoi(sci.substr(e + 1));
  if (exponent < -4 || exponent >= fixed_limit) {
    std::string mantissa = digits.substr(0, 1);
    if (digits.size() > 1) mantissa += "." + digits.substr(1);
    std::string exp_digits = std::to_string(std::abs(exponent));
    if (exp_digits.size() < 2) exp_digits.insert(0, "0");
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp_digits;
  }
  if (exponent < 0) return sign + "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  const auto int_digits = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= int_digits) return sign + digits + std::string(int_digits - digits.size(), '0');
  return sign + digits.substr(0, int_digits) + "." + digits.substr(int_digits);
}

template <typename Float>
std::string floatText(Float value, int fixed_limit) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  std::array<char, 64> buffer{};
  // Without a precision, to_chars gives the shortest round-trip digits, as ryu does.
  auto result =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::scientific);
  return shortestFloatText(std::string(buffer.data(), result.ptr), fixed_limit);
}

std::string float8Text(double value) { return floatText(value, 15); }
std::string float4Text(float value) { return floatText(value, 6); }

/// float8in/float4in: accepts what PostgreSQL accepts for the common cases
/// (decimal and exponent forms, Infinity, NaN; surrounding blanks).
std::optional<double> parseDouble(std::string_view text) {
  std::string lowered = lowerAscii(trim(text));
  if (lowered == "inf" || lowered == "infinity" || lowered == "+inf" || lowered == "+infinity")
    return HUGE_VAL;
  if (lowered == "-inf" || lowered == "-infinity") return -HUGE_VAL;
  if (lowered == "nan") return std::nan("");
  double value = 0;
  const char* begin = lowered.data();
  if (!lowered.empty() && lowered.front() == '+') ++begin;
  auto [end, error] = std::from_chars(begin, lowered.data() + lowered.size(), value);
  if (error != std::errc{} || end != lowered.data() + lowered.size()) return std::nullopt;
  return value;
}

/// numeric_in() then numeric_out() of a decimal literal (`-1.5`, `1e-07`,
/// `1.0e+3`): the exact value with max(0, fraction digits - exponent) decimals.
/// nullopt if `text` is not a decimal number.
std::optional<std::string> numericText(std::string_view text) {
  text = trim(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  std::string digits;
  long fraction_digits = 0;
  bool seen_point = false;
  std::size_t i = 0;
  for (; i < text.size() && (isAsciiDigit(text[i]) || (text[i] == '.' && !seen_point)); ++i) {
    if (text[i] == '.') {
      seen_point = true;
      continue;
    }
    digits += text[i];
    if (seen_point) ++fraction_digits;
  }
  if (digits.empty()) return std::nullopt;
  long exponent = 0;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return std::nullopt;
    auto exp_text = text.substr(i + 1);
    if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
    auto [end, error] = std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
    if (error != std::errc{} || end != exp_text.data() + exp_text.size() || exponent > 1000 ||
        exponent < -1000)
      return std::nullopt;
  }
  const long scale = std::max(0L, fraction_digits - exponent);
  // The value is digits * 10^(exponent - fraction_digits); lay it out with `scale` decimals.
  long shift = exponent - fraction_digits + scale;  // zeros to append so the last `scale` digits are decimals
  std::string all = digits;
  if (shift >= 0) {
    all += std::string(static_cast<std::size_t>(shift), '0');
  } else {
    all.resize(all.size() - static_cast<std::size_t>(std::min<long>(-shift, static_cast<long>(all.size()))));
  }
  // Leading zeros up to "0.<scale digits>". Written with a count and a char, and
  // `out` built by appending: `insert(0, "0")` and `"-" + string` inline to a
  // memcpy GCC 12 at -O3 wrongly reports as overlapping (-Wrestrict, GCC bug 105329).
  if (static_cast<long>(all.size()) <= scale)
    all.insert(0, static_cast<std::size_t>(scale + 1) - all.size(), '0');
  std::string integer_part = all.substr(0, all.size() - static_cast<std::size_t>(scale));
  std::string fraction_part = all.substr(all.size() - static_cast<std::size_t>(scale));
  integer_part.erase(0, std::min(integer_part.find_first_not_of('0'), integer_part.size() - 1));
  const bool zero = integer_part == "0" && fraction_part.find_first_not_of('0') == std::string::npos;
  std::string out;
  if (negative && !zero) out += '-';
  out += integer_part;
  if (scale > 0) {
    out += '.';
    out += fraction_part;
  }
  return out;
}

std::string quoted(std::string_view text) { return postgresQuoteLiteral(text); }

/// A numeric constant as ruleutils.c get_const_expr() prints it: bare only when it
/// starts with a digit and has a decimal point (so it re-parses as numeric).
std::string numericConstant(const std::string& numeric_text) {
  if (isAsciiDigit(numeric_text.front()) && numeric_text.find('.') != std::string::npos) return numeric_text;
  return quoted(numeric_text) + "::numeric";
}

/// pg_get_expr() of the number literal `literal` as the grammar types it (make_const).
std::string numberLiteralDefault(const std::string& literal) {
  const bool integral = literal.find_first_of(".eE") == std::string::npos;
  if (integral) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
    if (error == std::errc{} && end == literal.data() + literal.size()) {
      if (value >= INT32_MIN && value <= INT32_MAX)
        return value >= 0 ? literal : quoted(literal) + "::integer";
      return quoted(literal) + "::bigint";
    }
  }
  auto numeric = numericText(literal);
  if (!numeric) return literal;
  return numericConstant(*numeric);
}

/// int2in/int4in/int8in: an integer with optional blanks around it.
std::optional<std::int64_t> parseInteger(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// boolin: t, true, y, yes, on, 1 and their opposites, case-insensitive, with
/// unambiguous prefixes.
std::optional<bool> parseBoolean(std::string_view text) {
  const std::string word = lowerAscii(trim(text));
  if (word.empty()) return std::nullopt;
  auto prefix_of = [&](std::string_view full, std::size_t min_length) {
    return word.size() >= min_length && word.size() <= full.size() && full.substr(0, word.size()) == word;
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || word == "on" || word == "1") return true;
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || word == "0") return false;
  return std::nullopt;
}

/// byteain then byteaout (hex): `\x` hex input, else the escape format.
std::optional<std::string> byteaText(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string bytes;
  if (text.size() >= 2 && text[0] == '\\' && (text[1] == 'x' || text[1] == 'X')) {
    auto nibble = [](char ch) -> int {
      if (isAsciiDigit(ch)) return ch - '0';
      if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
      if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
      return -1;
    };
    for (std::size_t i = 2; i < text.size();) {
      if (isAsciiSpace(text[i])) {
        ++i;
        continue;
      }
      if (i + 1 >= text.size()) return std::nullopt;
      int high = nibble(text[i]);
      int low = nibble(text[i + 1]);
      if (high < 0 || low < 0) return std::nullopt;
      bytes += static_cast<char>(high * 16 + low);
      i += 2;
    }
  } else {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\\') {
        bytes += text[i];
      } else if (i + 1 < text.size() && text[i + 1] == '\\') {
        bytes += '\\';
        ++i;
      } else if (i + 3 < text.size() + 0 && text[i + 1] >= '0' && text[i + 1] <= '3' && text[i + 2] >= '0' &&
                 text[i + 2] <= '7' && text[i + 3] >= '0' && text[i + 3] <= '7') {
        bytes += static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0'));
        i += 3;
      } else {
        return std::nullopt;  // byteain rejects it: invalid input syntax for type bytea
      }
    }
  }
  std::string out = "\\x";
  for (char ch : bytes) {
    const auto byte = static_cast<unsigned char>(ch);
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out;
}

bool isLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

/// timestamp_in then timestamp_out (DateStyle ISO) for the ISO 8601 forms felis
/// files use: `YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][Z|±hh[:mm]]` (a zone is
/// ignored for timestamp without time zone), `epoch`, `infinity`, `-infinity`.
/// nullopt for anything else (other input styles, `now`, out-of-range fields).
std::optional<std::string> timestampText(std::string_view text, bool date_only) {
  const std::string input = lowerAscii(trim(text));
  if (input == "infinity" || input == "+infinity" || input == "-infinity")
    return input.front() == '+' ? input.substr(1) : input;
  if (input == "epoch") return date_only ? "1970-01-01" : "1970-01-01 00:00:00";
  std::string_view rest = input;
  auto number = [&](int min_digits, int max_digits) -> std::optional<int> {
    int value = 0;
    int count = 0;
    while (!rest.empty() && isAsciiDigit(rest.front()) && count < max_digits) {
      value = value * 10 + (rest.front() - '0');
      rest.remove_prefix(1);
      ++count;
    }
    if (count < min_digits) return std::nullopt;
    return value;
  };
  auto expect = [&](char ch) {
    if (rest.empty() || rest.front() != ch) return false;
    rest.remove_prefix(1);
    return true;
  };
  auto year = number(4, 4);
  if (!year || !expect('-')) return std::nullopt;
  auto month = number(1, 2);
  if (!month || !expect('-')) return std::nullopt;
  auto day = number(1, 2);
  if (!day || *month < 1 || *month > 12 || *day < 1 || *day > daysInMonth(*year, *month)) return std::nullopt;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::string fraction;
  if (!rest.empty() && (rest.front() == ' ' || rest.front() == 't')) {
    rest.remove_prefix(1);
    auto h = number(1, 2);
    if (!h || !expect(':')) return std::nullopt;
    auto m = number(2, 2);
    if (!m) return std::nullopt;
    hour = *h;
    minute = *m;
    if (expect(':')) {
      auto s = number(2, 2);
      if (!s) return std::nullopt;
      second = *s;
      if (expect('.')) {
        while (!rest.empty() && isAsciiDigit(rest.front())) {
          fraction += rest.front();
          rest.remove_prefix(1);
        }
        if (fraction.empty()) return std::nullopt;
      }
    }
    // 24:00:00 rolls over to the next day in PostgreSQL; not worth predicting.
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  }
  if (!rest.empty()) {
    // A zone: ignored for timestamp without time zone and for date.
    if (rest == "z" || rest == "utc") {
      rest = {};
    } else if (rest.front() == '+' || rest.front() == '-') {
      rest.remove_prefix(1);
      if (!number(1, 2)) return std::nullopt;
      if (expect(':') && !number(2, 2)) return std::nullopt;
      if (!rest.empty() && !number(2, 2)) return std::nullopt;
      if (!rest.empty()) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  // Microseconds as ParseFractionalSecond() computes them: rint(strtod(".fff") * 1e6).
  if (!fraction.empty()) {
    const std::string decimal = "0." + fraction;
    const double micros = std::rint(std::strtod(decimal.c_str(), nullptr) * 1000000.0);
    if (micros >= 1000000.0) return std::nullopt;  // carries into the seconds: not predicted
    std::array<char, 16> digits{};
    std::snprintf(digits.data(), digits.size(), "%06d", static_cast<int>(micros));
    fraction = digits.data();
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::array<char, 40> buffer{};
  const int written = date_only
                          ? std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02d", *year, *month, *day)
                          : std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02d %02d:%02d:%02d",
                                          *year, *month, *day, hour, minute, second);
  std::string out(buffer.data(), static_cast<std::size_t>(written));
  if (!date_only && !fraction.empty()) out += "." + fraction;
  return out;
}

/// pg_get_expr() of the string literal `text` on a column of `sql_type`: the value
/// read by the type's input function, printed back with the unmodified type.
std::string stringLiteralDefault(const std::string& text, const std::string& sql_type) {
  const std::string type = unmodifiedType(sql_type);
  if (isIntegerType(sql_type)) {
    auto value = parseInteger(text);
    if (value) {
      const std::string digits = std::to_string(*value);
      if (sql_type == "integer" && *value >= 0) return digits;
      return quoted(digits) + "::" + type;
    }
  } else if (isFloatType(sql_type)) {
    auto value = parseDouble(text);
    if (value)
      return quoted(sql_type == "real" ? float4Text(static_cast<float>(*value)) : float8Text(*value)) +
             "::" + type;
  } else if (sql_type == "boolean") {
    auto value = parseBoolean(text);
    if (value) return *value ? "true" : "false";
  } else if (sql_type == "bytea") {
    auto value = byteaText(text);
    if (value) return quoted(*value) + "::bytea";
  } else if (type == "timestamp without time zone" || type == "date") {
    auto value = timestampText(text, type == "date");
    if (value) return quoted(*value) + "::" + type;
  } else if (type == "numeric") {
    // A numeric constant prints bare when it looks like one (as a number literal).
    const std::string word = lowerAscii(trim(text));
    if (word == "nan") return "'NaN'::numeric";
    if (word == "inf" || word == "infinity" || word == "+inf" || word == "+infinity")
      return "'Infinity'::numeric";
    if (word == "-inf" || word == "-infinity") return "'-Infinity'::numeric";
    auto value = numericText(text);
    if (value) return numericConstant(*value);
  }
  // Character types keep the text as written. For the types felisc does not
  // normalise this is a best guess: timestamptz (rendered in the server's TimeZone),
  // time, interval, json/jsonb, and input styles other than ISO 8601.
  return quoted(text) + "::" + type;
}

/// The text of a numeric default: a YAML bool on a number column counts as 1/0,
/// as Python's bool is an int (felis would print `True`, which PostgreSQL rejects
/// for a number column).
std::string numberText(const Scalar& value) {
  if (value.kind == Scalar::Kind::Boolean) return value.text == "true" ? "1" : "0";
  return value.text;
}

class PostgresDialect final : public Dialect {
 public:
  [[nodiscard]] DialectKind kind() const override { return DialectKind::PostgreSQL; }
  [[nodiscard]] std::string_view name() const override { return "postgresql"; }

  [[nodiscard]] std::string canonicalType(const Column& column) const override {
    // felis §4.1: a set precision replaces any override. PostgreSQL clamps it to 6.
    if (column.datatype == FelisType::Timestamp && column.precision)
      return "timestamp(" + std::to_string(std::clamp<std::int64_t>(*column.precision, 0, 6)) +
             ") without time zone";
    if (column.postgresql_datatype) return canonicalPostgresType(*column.postgresql_datatype);
    return felisPostgresType(column);
  }

  [[nodiscard]] std::string ddlType(const Column& column) const override {
    std::string type = column.sql_type.empty() ? canonicalType(column) : column.sql_type;
    if (column.generation != Generation::Serial) return type;
    if (type == "smallint") return "smallserial";
    if (type == "integer") return "serial";
    if (type == "bigint") return "bigserial";
    return type;  // resolution makes only integer columns serial
  }

  [[nodiscard]] std::optional<std::string> ddlDefault(const Column& column) const override {
    if (!column.value || column.generation == Generation::Serial) return std::nullopt;
    const Scalar& value = *column.value;
    switch (value.kind) {
      case Scalar::Kind::Null: return std::nullopt;
      case Scalar::Kind::String:
        if (isRawSqlDefault(value.text)) return value.text;
        return quoteLiteral(value.text);
      case Scalar::Kind::Integer: return value.text;
      case Scalar::Kind::Float: {
        // Python's repr gives `inf`/`nan`, which PostgreSQL would read as column
        // names; felisc writes the float8 literals 'Infinity', '-Infinity', 'NaN'.
        auto parsed = parseDouble(value.text);
        if (parsed && !std::isfinite(*parsed)) return quoteLiteral(float8Text(*parsed));
        return value.text;
      }
      case Scalar::Kind::Boolean: {
        const std::string type = column.sql_type.empty() ? canonicalType(column) : column.sql_type;
        if (isIntegerType(type) || isFloatType(type)) return numberText(value);
        return value.text;  // `true` / `false`
      }
    }
    return std::nullopt;
  }

  [[nodiscard]] std::optional<std::string> canonicalDefault(const Column& column) const override {
    auto ddl = ddlDefault(column);
    if (!ddl) return std::nullopt;
    const std::string type = column.sql_type.empty() ? canonicalType(column) : column.sql_type;
    const Scalar& value = *column.value;
    if (value.kind == Scalar::Kind::String && isRawSqlDefault(value.text)) {
      if (value.text == "NOW()") return "now()";
      if (value.text != "NULL") return value.text;
      // A bare NULL constant is not stored; a length/precision coercion around it is.
      if (!hasTypeModifier(type) || type.starts_with("interval")) return std::nullopt;
      return "NULL::" + unmodifiedType(type);
    }
    if (ddl->front() == '\'') {  // a string literal, including 'Infinity'
      const std::string text =
          value.kind == Scalar::Kind::String ? value.text : float8Text(*parseDouble(value.text));
      return stringLiteralDefault(text, type);
    }
    if (*ddl == "true" || *ddl == "false") return *ddl;
    return numberLiteralDefault(*ddl);
  }

  [[nodiscard]] std::string quoteIdentifier(std::string_view identifier) const override {
    return postgresQuoteIdentifier(identifier);
  }

  [[nodiscard]] std::string quoteLiteral(std::string_view text) const override {
    return postgresQuoteLiteral(text);
  }

  [[nodiscard]] std::size_t maxIdentifierBytes() const override { return 63; }
};

}  // namespace

std::string canonicalPostgresType(std::string_view type_text) {
  const std::string normalized = normalizeTypeText(type_text);
  auto split = splitTypeText(normalized);
  if (!split) return normalized;
  auto known = canonicalKnownType(*split);
  if (!known) return normalized;  // a type felisc does not know (spoly, ...) is kept as written
  return *known + (split->array ? "[]" : "");
}

std::string postgresQuoteIdentifier(std::string_view identifier) {
  // ruleutils.c quote_identifier(): safe when it starts with [a-z_], continues with
  // [a-z0-9_] (not `$`), and is not a keyword other than an unreserved one.
  bool safe = !identifier.empty() &&
              ((identifier.front() >= 'a' && identifier.front() <= 'z') || identifier.front() == '_');
  for (char ch : identifier)
    if (!((ch >= 'a' && ch <= 'z') || isAsciiDigit(ch) || ch == '_')) safe = false;
  if (safe) {
    auto category = postgresKeywordCategory(identifier);
    if (category && *category != KeywordCategory::Unreserved) safe = false;
  }
  if (safe) return std::string(identifier);
  std::string quoted = "\"";
  for (char ch : identifier) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + "\"";
}

std::string postgresQuoteLiteral(std::string_view text) {
  // With standard_conforming_strings (on by default since 9.1) only `'` is special.
  std::string quoted = "'";
  for (char ch : text) {
    if (ch == '\'') quoted += '\'';
    quoted += ch;
  }
  return quoted + "'";
}

const Dialect& postgresDialect() {
  static const PostgresDialect dialect;
  return dialect;
}

}  // namespace felisc::model
