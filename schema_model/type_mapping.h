/// \file
/// Per-dialect knowledge of SQL types, defaults and identifiers.
///
/// A `Dialect` answers, for a model column, what the target database holds:
/// the type in the server's own canonical spelling (PostgreSQL: `format_type()`),
/// the type to write in DDL (which differs for serial columns), the default
/// expression as the server renders it back, and how to quote identifiers.
/// PostgreSQL is implemented; MySQL and SQLite slot in as further subclasses.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "schema_model/model.h"

namespace felisc::model {

enum class DialectKind { PostgreSQL, MySQL, SQLite };

class Dialect {
 public:
  virtual ~Dialect() = default;
  [[nodiscard]] virtual DialectKind kind() const = 0;
  [[nodiscard]] virtual std::string_view name() const = 0;

  /// The column's type as the catalog spells it, from the Felis datatype, length,
  /// precision and this dialect's override (`postgresql:datatype`).
  [[nodiscard]] virtual std::string canonicalType(const Column& column) const = 0;
  /// The type to write in CREATE TABLE (e.g. BIGSERIAL for a serial bigint).
  [[nodiscard]] virtual std::string ddlType(const Column& column) const = 0;
  /// The Felis `value` as a DEFAULT expression to write in DDL; nullopt if none.
  [[nodiscard]] virtual std::optional<std::string> ddlDefault(const Column& column) const = 0;
  /// The default as the catalog renders it back (pg_get_expr); nullopt if none.
  [[nodiscard]] virtual std::optional<std::string> canonicalDefault(const Column& column) const = 0;

  /// Quotes an identifier only where the dialect needs it (upper case, reserved word, ...).
  [[nodiscard]] virtual std::string quoteIdentifier(std::string_view identifier) const = 0;
  /// A string literal with the dialect's escaping.
  [[nodiscard]] virtual std::string quoteLiteral(std::string_view text) const = 0;
  /// Longest identifier in bytes; longer ones are truncated by the server.
  [[nodiscard]] virtual std::size_t maxIdentifierBytes() const = 0;
};

/// The PostgreSQL dialect (15 and later).
const Dialect& postgresDialect();

/// A PostgreSQL type as written (`VARCHAR(64)`, `DOUBLE_PRECISION`, `TIMESTAMPTZ`,
/// `spoly`) in format_type()'s spelling (`character varying(64)`, `double precision`,
/// `timestamp with time zone`, `spoly`). Names it does not know are lower-cased and
/// kept as written, with white space normalised.
std::string canonicalPostgresType(std::string_view type_text);
/// PostgreSQL's quote_ident(): quotes unless the name is `[a-z_][a-z0-9_]*` and not a
/// keyword other than an unreserved one; doubles embedded `"`.
std::string postgresQuoteIdentifier(std::string_view identifier);
/// A string literal for standard_conforming_strings: `'` doubled, nothing else escaped.
std::string postgresQuoteLiteral(std::string_view text);

}  // namespace felisc::model
