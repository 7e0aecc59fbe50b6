#include "diff_engine/type_change.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace felisc::diff {

namespace {

using Family = SqlTypeInfo::Family;

std::string lowerCollapsed(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::optional<long long> parseInt(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// Splits "name(args) rest" into the name without the parenthesised part and the arguments.
void splitArguments(const std::string& text, std::string& name, std::vector<long long>& args) {
  auto open = text.find('(');
  auto close = text.find(')', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) {
    name = text;
    return;
  }
  std::string_view inner(text.data() + open + 1, close - open - 1);
  while (!inner.empty()) {
    auto comma = inner.find(',');
    if (auto value = parseInt(inner.substr(0, comma))) args.push_back(*value);
    if (comma == std::string_view::npos) break;
    inner.remove_prefix(comma + 1);
  }
  name = lowerCollapsed(text.substr(0, open) + " " + text.substr(close + 1));
}

bool isString(Family family) {
  return family == Family::Char || family == Family::Varchar || family == Family::Text;
}
bool isNumber(Family family) {
  return family == Family::Integer || family == Family::Float || family == Family::Numeric;
}
bool isTime(Family family) {
  return family == Family::Timestamp || family == Family::TimestampTz || family == Family::Date;
}

/// Longest text a value of `type` prints as; nullopt when unbounded.
std::optional<long long> textWidth(const SqlTypeInfo& type) {
  switch (type.family) {
    case Family::Boolean: return 5;
    case Family::Integer: return type.rank == 2 ? 6 : type.rank == 4 ? 11 : 20;
    case Family::Float: return type.rank == 4 ? 15 : 24;
    case Family::Numeric:
      if (type.length) return *type.length + 2;
      return std::nullopt;
    case Family::Timestamp: return 26;
    case Family::TimestampTz: return 32;
    case Family::Date: return 13;
    case Family::Char:
    case Family::Varchar: return type.length;
    case Family::Text:
    case Family::Bytea:
    case Family::Other: return std::nullopt;
  }
  return std::nullopt;
}

/// Decimal digits an integer of `rank` bytes needs.
long long integerDigits(int rank) { return rank == 2 ? 5 : rank == 4 ? 10 : 19; }

bool numberNarrows(const SqlTypeInfo& from, const SqlTypeInfo& to) {
  if (from.family == Family::Integer) {
    if (to.family == Family::Integer) return to.rank < from.rank;
    if (to.family == Family::Float) return from.rank == 8 || (from.rank == 4 && to.rank == 4);
    if (!to.length) return false;
    return integerDigits(from.rank) > *to.length - to.scale.value_or(0);
  }
  if (from.family == Family::Float) return to.family != Family::Float || to.rank < from.rank;
  // numeric
  if (to.family != Family::Numeric) return true;
  if (!to.length) return false;
  if (!from.length) return true;
  return to.scale.value_or(0) < from.scale.value_or(0) ||
         *to.length - to.scale.value_or(0) < *from.length - from.scale.value_or(0);
}

bool stringNarrows(const SqlTypeInfo& from, const SqlTypeInfo& to) {
  auto target = to.family == Family::Text ? std::nullopt : to.length;
  if (!target) return false;
  auto width =
      isString(from.family) ? (from.family == Family::Text ? std::nullopt : from.length) : textWidth(from);
  return !width || *width > *target;
}

/// Whether PostgreSQL converts without USING (an implicit or assignment cast).
bool assignmentCastable(const SqlTypeInfo& from, const SqlTypeInfo& to) {
  if (from.family == to.family && from.family != Family::Other) return true;
  if (isNumber(from.family) && isNumber(to.family)) return true;
  if (isString(to.family)) return true;  // automatic I/O conversion to string types
  return isTime(from.family) && isTime(to.family);
}

bool binaryCoercible(const SqlTypeInfo& from, const SqlTypeInfo& to) {
  bool from_varlena = from.family == Family::Varchar || from.family == Family::Text;
  bool to_unbounded = to.family == Family::Text || (to.family == Family::Varchar && !to.length);
  if (from_varlena && to_unbounded) return true;
  if (from.family == Family::Varchar && to.family == Family::Varchar && from.length && to.length)
    return *to.length >= *from.length;
  if (from.family == to.family && (from.family == Family::Timestamp || from.family == Family::TimestampTz))
    return to.precision.value_or(6) >= from.precision.value_or(6);
  // numeric(p,s) -> numeric(p',s) with p' >= p, or to unconstrained numeric: only the typmod changes.
  if (from.family == Family::Numeric && to.family == Family::Numeric) {
    if (!to.length) return true;
    return from.length && *to.length >= *from.length && to.scale.value_or(0) == from.scale.value_or(0);
  }
  return false;
}

std::string usingExpression(const SqlTypeInfo& from, const SqlTypeInfo& to, std::string_view column,
                            std::string_view to_spelling) {
  std::string col(column);
  if (isTime(from.family) && isNumber(to.family))
    return "extract(epoch from " + col + ")::" + std::string(to_spelling);
  if (isNumber(from.family) && isTime(to.family))
    return "to_timestamp(" + col + ")::" + std::string(to_spelling);
  if (to.family == Family::Boolean && isNumber(from.family)) return "(" + col + " <> 0)";
  if (from.family == Family::Boolean && isNumber(to.family)) {
    if (to.family == Family::Integer && to.rank == 4) return col + "::integer";
    return col + "::integer::" + std::string(to_spelling);
  }
  return col + "::" + std::string(to_spelling);
}

}  // namespace

SqlTypeInfo parseSqlType(std::string_view sql_type) {
  SqlTypeInfo info;
  info.spelling = std::string(sql_type);
  std::string name;
  std::vector<long long> args;
  splitArguments(lowerCollapsed(sql_type), name, args);
  auto arg = [&](std::size_t i) -> std::optional<long long> {
    if (i < args.size()) return args[i];
    return std::nullopt;
  };
  if (name == "boolean" || name == "bool") {
    info.family = Family::Boolean;
  } else if (name == "smallint" || name == "int2") {
    info.family = Family::Integer;
    info.rank = 2;
  } else if (name == "integer" || name == "int" || name == "int4") {
    info.family = Family::Integer;
    info.rank = 4;
  } else if (name == "bigint" || name == "int8") {
    info.family = Family::Integer;
    info.rank = 8;
  } else if (name == "real" || name == "float4") {
    info.family = Family::Float;
    info.rank = 4;
  } else if (name == "double precision" || name == "float8" || name == "float") {
    info.family = Family::Float;
    info.rank = 8;
  } else if (name == "numeric" || name == "decimal") {
    info.family = Family::Numeric;
    info.length = arg(0);
    info.scale = arg(1);
  } else if (name == "character" || name == "char" || name == "bpchar") {
    info.family = Family::Char;
    info.length = arg(0).value_or(1);
  } else if (name == "character varying" || name == "varchar") {
    info.family = Family::Varchar;
    info.length = arg(0);
  } else if (name == "text") {
    info.family = Family::Text;
  } else if (name == "bytea") {
    info.family = Family::Bytea;
  } else if (name == "timestamp without time zone" || name == "timestamp") {
    info.family = Family::Timestamp;
    info.precision = arg(0);
  } else if (name == "timestamp with time zone" || name == "timestamptz") {
    info.family = Family::TimestampTz;
    info.precision = arg(0);
  } else if (name == "date") {
    info.family = Family::Date;
  }
  return info;
}

TypeChange classifyTypeChange(std::string_view from_type, std::string_view to_type,
                              std::string_view quoted_column) {
  TypeChange change;
  if (from_type == to_type) {
    change.rewrites = false;
    return change;
  }
  SqlTypeInfo from = parseSqlType(from_type);
  SqlTypeInfo to = parseSqlType(to_type);
  change.needs_using = !assignmentCastable(from, to);
  if (change.needs_using) change.using_expr = usingExpression(from, to, quoted_column, to_type);
  auto bytes = [](const SqlTypeInfo& t) { return t.family == Family::Bytea; };
  auto time_and_boolean = [](const SqlTypeInfo& a, const SqlTypeInfo& b) {
    return isTime(a.family) && b.family == Family::Boolean;
  };
  change.convertible = !(bytes(from) != bytes(to) && !isString(from.family) && !isString(to.family)) &&
                       !time_and_boolean(from, to) && !time_and_boolean(to, from);
  if (isNumber(from.family) && to.family == Family::Timestamp) change.timezone_dependent = true;
  change.rewrites = !binaryCoercible(from, to);
  auto timestamp = [](const SqlTypeInfo& t) {
    return t.family == Family::Timestamp || t.family == Family::TimestampTz;
  };
  change.rewrite_skipped_in_utc = timestamp(from) && timestamp(to) && from.family != to.family &&
                                  to.precision.value_or(6) >= from.precision.value_or(6);

  if (isString(to.family)) {
    change.narrows = stringNarrows(from, to);
    change.may_fail = change.narrows;  // an assignment to varchar(n) raises on longer values
  } else if (isString(from.family)) {
    change.narrows = true;  // parsing text loses its spelling ('007' -> 7) and may fail
    change.may_fail = true;
  } else if (isNumber(from.family) && isNumber(to.family)) {
    change.narrows = numberNarrows(from, to);
    change.may_fail = change.narrows && !(from.family == Family::Integer && to.family == Family::Float);
  } else if (from.family == Family::Boolean) {
    change.narrows = !isNumber(to.family);
    change.may_fail = change.narrows;
  } else if (isTime(from.family) && isTime(to.family)) {
    change.timezone_dependent = (from.family == Family::TimestampTz) != (to.family == Family::TimestampTz) &&
                                from.family != Family::Date && to.family != Family::Date;
    change.narrows = to.family == Family::Date ? from.family != Family::Date
                                               : from.family != Family::Date &&
                                                     to.precision.value_or(6) < from.precision.value_or(6);
  } else {
    change.narrows = true;
    change.may_fail = true;
  }
  return change;
}

}  // namespace felisc::diff
