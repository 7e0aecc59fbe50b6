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

/// The raw SQL strings felis passes through unquoted (§6.3, case-sensitive).
bool isRawSqlDefault(std::string_view text) {
  return text == "CURRENT_TIMESTAMP" || text == "NOW()" || text == "LOCALTIMESTAMP" || text == "NULL";
}

/// float8out's spelling of a double (PostgreSQL 12+: shortest exact digits, fixed
/// notation for decimal exponents -4..14, otherwise `1e+16` style).
std::string float8Text(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  std::array<char, 64> buffer{};
  auto result =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::scientific);
  std::string sci(buffer.data(), result.ptr);  // e.g. "-1.2345e-07"
  std::string sign;
  if (sci.front() == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  auto e = sci.find('e');
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int exponent = std::stoi(sci.substr(e + 1));
  if (exponent < -4 || exponent >= 15) {
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

/// float4out's spelling: the same rules over the shortest float digits.
std::string float4Text(float value) {
  if (std::isnan(value) || std::isinf(value) || value == 0) return float8Text(value);
  std::array<char, 64> buffer{};
  auto result =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::scientific);
  double widened = 0;
  std::from_chars(buffer.data(), result.ptr, widened);  // same shortest digits, as a double
  return float8Text(widened);
}

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

bool isIntegerType(std::string_view sql_type) {
  return sql_type == "smallint" || sql_type == "integer" || sql_type == "bigint";
}
bool isFloatType(std::string_view sql_type) { return sql_type == "double precision" || sql_type == "real"; }

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
    // felis §4.1: a set precision replaces any override.
    if (column.datatype == FelisType::Timestamp && column.precision)
      return "timestamp(" + std::to_string(std::min<std::int64_t>(*column.precision, 6)) +
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
    const std::string type = column.sql_type.empty() ? canonicalType(column) : column.sql_type;
    switch (value.kind) {
      case Scalar::Kind::Null: return std::nullopt;
      case Scalar::Kind::String:
        if (isRawSqlDefault(value.text)) return value.text;
        return quoteLiteral(value.text);
      case Scalar::Kind::Integer: return numberText(value);
      case Scalar::Kind::Float: {
        // Python's repr gives `inf`/`nan`, which are not SQL; spell them as
        // PostgreSQL literals instead of emitting an unknown column name.
        auto parsed = parseDouble(value.text);
        if (parsed && !std::isfinite(*parsed)) return quoteLiteral(float8Text(*parsed));
        return value.text;
      }
      case Scalar::Kind::Boolean:
        if (isIntegerType(type) || isFloatType(type)) return numberText(value);
        return value.text;  // `true` / `false`
    }
    return std::nullopt;
  }

  [[nodiscard]] std::optional<std::string> canonicalDefault(const Column& column) const override {
    auto ddl = ddlDefault(column);
    if (!ddl) return std::nullopt;
    const std::string type = column.sql_type.empty() ? canonicalType(column) : column.sql_type;
    return renderDefault(*column.value, *ddl, type);
  }

  [[nodiscard]] std::string quoteIdentifier(std::string_view identifier) const override {
    return postgresQuoteIdentifier(identifier);
  }

  [[nodiscard]] std::string quoteLiteral(std::string_view text) const override {
    return postgresQuoteLiteral(text);
  }

  [[nodiscard]] std::size_t maxIdentifierBytes() const override { return 63; }

 private:
  /// What pg_get_expr() prints for the DEFAULT `ddl` (from `value`) on a column of
  /// `type`: the rules measured on PostgreSQL 15 (see postgres_dialect_test.cpp).
  static std::optional<std::string> renderDefault(const Scalar& value, const std::string& ddl,
                                                  const std::string& type) {
    if (value.kind == Scalar::Kind::String && isRawSqlDefault(value.text)) {
      if (value.text == "NULL") return std::nullopt;  // a NULL default is not stored
      if (value.text == "NOW()") return "now()";
      return value.text;
    }
    if (value.kind == Scalar::Kind::String) return ddl + "::" + type;
    if (isIntegerType(type)) {
      if (type == "integer" && ddl.front() != '-') return ddl;
      return "'" + ddl + "'::" + type;
    }
    if (isFloatType(type)) {
      auto parsed = parseDouble(value.kind == Scalar::Kind::Boolean ? numberText(value) : value.text);
      if (!parsed) return ddl;
      return "'" + (type == "real" ? float4Text(static_cast<float>(*parsed)) : float8Text(*parsed)) +
             "'::" + type;
    }
    if (type == "boolean") return ddl;
    return ddl + "::" + type;
  }
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
