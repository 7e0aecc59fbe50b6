/// \file
/// The rows felis's `load-tap-schema` puts into an IVOA TAP_SCHEMA, as plain data.
///
/// The five standard tables (schemas, tables, columns, keys, key_columns) and
/// their columns as felis's `init-tap-schema` creates them (docs/tap-schema.md
/// §2.1) are described once here, so that the derivation (diff_engine/tap_schema),
/// the SQL (emitters/tap_sql) and the catalog reader (compiler/catalog/tap_reader)
/// agree on names, order and types. Values are text: an integer column holds its
/// decimal spelling, SQL NULL is nullopt (distinct from '').
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace felisc::model {

/// One of the five standard TAP_SCHEMA tables, in the order their rows are inserted.
enum class TapTable : std::uint8_t { Schemas, Tables, Columns, Keys, KeyColumns };

/// All five, in insert (foreign key) order.
inline constexpr TapTable kTapTables[] = {TapTable::Schemas, TapTable::Tables, TapTable::Columns,
                                          TapTable::Keys, TapTable::KeyColumns};

/// One column of a standard TAP_SCHEMA table.
struct TapColumnSpec {
  std::string_view name;
  std::string_view sql_type;  ///< as felis's DDL has it: VARCHAR(64), INTEGER
  bool integer = false;
  bool not_null = false;
  bool identity = false;  ///< part of the row's identity (the primary key; all of key_columns)
};

/// The columns of `table`, in felis's order (std.yaml).
std::span<const TapColumnSpec> tapColumns(TapTable table);
/// The table's name without postfix: "schemas", "key_columns", ...
std::string_view tapTableName(TapTable table);

/// A cell: nullopt is SQL NULL.
using TapValue = std::optional<std::string>;

/// One row of one TAP_SCHEMA table; `values` parallel to tapColumns(table).
struct TapRow {
  TapTable table = TapTable::Schemas;
  std::vector<TapValue> values;

  /// The identity columns' values joined by '\x1f', for matching rows of two states.
  [[nodiscard]] std::string identity() const;
  /// The value of the named column (must exist).
  [[nodiscard]] const TapValue& get(std::string_view column) const;

  friend bool operator==(const TapRow&, const TapRow&) = default;
};

/// A `keys` row with its `key_columns` rows, in column order: they change together.
struct TapKey {
  TapRow key;
  std::vector<TapRow> columns;

  friend bool operator==(const TapKey&, const TapKey&) = default;
};

/// Every row one Felis schema contributes to TAP_SCHEMA, in felis's insert order.
struct TapRows {
  std::vector<TapRow> schemas;  ///< one row (several only when read from a database)
  std::vector<TapRow> tables;
  std::vector<TapRow> columns;
  std::vector<TapKey> keys;

  [[nodiscard]] std::size_t rowCount() const;
  friend bool operator==(const TapRows&, const TapRows&) = default;
};

/// Where the TAP_SCHEMA tables are: felis's --tap-schema-name and --tap-tables-postfix.
struct TapNames {
  std::string schema = "TAP_SCHEMA";
  std::string postfix;
};

/// Facts of the Felis file that the model does not keep but the rows depend on
/// (read from the YAML by compiler/felis/tap_facts).
struct TapSourceFacts {
  /// Tables whose `primaryKey` is a single string, not a list: only those mark
  /// their key column `indexed` (docs/tap-schema.md §3.3).
  std::set<std::string> scalar_primary_key_tables;
  /// One `columnRefs` copy, in file order.
  struct ColumnRef {
    std::string table;
    std::string column;  ///< the local name
    std::string resource;
    bool column_index_overridden = false;
  };
  std::vector<ColumnRef> column_refs;
};

}  // namespace felisc::model

namespace felisc::model {
/// `rows` with every table's rows, keys and key columns sorted by identity
/// (byte order): the form in which two states compare regardless of row order.
TapRows sortedTapRows(TapRows rows);
}  // namespace felisc::model
