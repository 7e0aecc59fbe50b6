/// \file
/// What changing a column's PostgreSQL type does to the data.
///
/// Types are the `format_type()` spellings the model holds in `sql_type`. The
/// rules below come from PostgreSQL 15's pg_cast (checked on a real server):
/// ALTER COLUMN ... TYPE without USING applies the assignment cast, so USING is
/// needed exactly when no implicit or assignment cast exists (e.g. text to
/// integer, integer to boolean). Anything converts to a string type by an
/// assignment I/O cast.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace felisc::diff {

/// A PostgreSQL type reduced to what conversion rules need.
struct SqlTypeInfo {
  enum class Family {
    Boolean,
    Integer,  ///< smallint, integer, bigint
    Float,    ///< real, double precision
    Numeric,  ///< numeric / decimal
    Char,     ///< character(n): blank-padded
    Varchar,  ///< character varying(n) or unbounded
    Text,
    Bytea,
    Timestamp,    ///< without time zone
    TimestampTz,  ///< with time zone
    Date,
    Other,
  };
  Family family = Family::Other;
  int rank = 0;                        ///< integers 2/4/8 bytes; floats 4/8
  std::optional<long long> length;     ///< character lengths, numeric precision
  std::optional<long long> scale;      ///< numeric scale
  std::optional<long long> precision;  ///< timestamp fractional digits (6 when absent)
  std::string spelling;                ///< the text parsed
};

/// Parses a format_type() spelling ("character varying(64)", "timestamp(6) without time zone").
SqlTypeInfo parseSqlType(std::string_view sql_type);

/// How ALTER COLUMN ... TYPE behaves for one pair of types.
struct TypeChange {
  bool needs_using = false;  ///< no implicit/assignment cast: USING is required
  std::string using_expr;    ///< the USING expression for `column` (quoted already); empty if none needed
  bool narrows = false;      ///< some values cannot survive the round trip (data loss)
  bool may_fail = false;     ///< the conversion raises an error on some values
  bool rewrites = true;      ///< the table is rewritten (false when binary-coercible)
  /// timestamp <-> timestamptz: PostgreSQL (12 and later) skips the rewrite when
  /// the session TimeZone is UTC, where the two store the same instants.
  bool rewrite_skipped_in_utc = false;
  bool timezone_dependent = false;  ///< timestamp <-> timestamptz uses the session TimeZone
  /// PostgreSQL has some conversion (a cast, or the ones below); false for bytea
  /// to or from anything but a string, and boolean to or from a time type: then
  /// the USING expression is a plain cast the server rejects, so the script stops.
  bool convertible = true;
};

/// Classifies changing `column` (a quoted identifier) from `from` to `to`.
/// Times and numbers, which have no cast between them, convert as seconds since
/// 1970-01-01 00:00 UTC (`extract(epoch from c)`, `to_timestamp(c)`).
TypeChange classifyTypeChange(std::string_view from, std::string_view to, std::string_view quoted_column);

}  // namespace felisc::diff
