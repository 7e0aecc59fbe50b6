#include "schema_model/tap_rows.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace felisc::model {

namespace {

constexpr std::string_view kVarchar64 = "VARCHAR(64)";
constexpr std::string_view kVarchar128 = "VARCHAR(128)";
constexpr std::string_view kVarchar512 = "VARCHAR(512)";
constexpr std::string_view kInteger = "INTEGER";

// docs/tap-schema.md §2.1 (felis std.yaml): names, order, types and NOT NULLs.
constexpr std::array<TapColumnSpec, 4> kSchemas = {{
    {"schema_name", kVarchar64, false, true, true},
    {"utype", kVarchar512, false, false, false},
    {"description", kVarchar512, false, false, false},
    {"schema_index", kInteger, true, false, false},
}};
constexpr std::array<TapColumnSpec, 6> kTables = {{
    {"schema_name", kVarchar64, false, true, false},
    {"table_name", kVarchar128, false, true, true},
    {"table_type", "VARCHAR(8)", false, true, false},
    {"utype", kVarchar512, false, false, false},
    {"description", kVarchar512, false, false, false},
    {"table_index", kInteger, true, false, false},
}};
constexpr std::array<TapColumnSpec, 14> kColumns = {{
    {"table_name", kVarchar128, false, true, true},
    {"column_name", kVarchar64, false, true, true},
    {"utype", kVarchar512, false, false, false},
    {"ucd", kVarchar64, false, false, false},
    {"unit", kVarchar64, false, false, false},
    {"description", kVarchar512, false, false, false},
    {"datatype", kVarchar64, false, true, false},
    {"arraysize", "VARCHAR(16)", false, false, false},
    {"xtype", kVarchar64, false, false, false},
    {"size", kInteger, true, false, false},
    {"principal", kInteger, true, true, false},
    {"indexed", kInteger, true, true, false},
    {"std", kInteger, true, true, false},
    {"column_index", kInteger, true, false, false},
}};
constexpr std::array<TapColumnSpec, 5> kKeys = {{
    {"key_id", kVarchar64, false, true, true},
    {"from_table", kVarchar128, false, true, false},
    {"target_table", kVarchar128, false, true, false},
    {"utype", kVarchar512, false, false, false},
    {"description", kVarchar512, false, false, false},
}};
// key_columns has no primary key: a row is all of its values.
constexpr std::array<TapColumnSpec, 3> kKeyColumns = {{
    {"key_id", kVarchar64, false, true, true},
    {"from_column", kVarchar64, false, true, true},
    {"target_column", kVarchar64, false, true, true},
}};

}  // namespace

std::span<const TapColumnSpec> tapColumns(TapTable table) {
  switch (table) {
    case TapTable::Schemas: return kSchemas;
    case TapTable::Tables: return kTables;
    case TapTable::Columns: return kColumns;
    case TapTable::Keys: return kKeys;
    case TapTable::KeyColumns: return kKeyColumns;
  }
  return {};
}

std::string_view tapTableName(TapTable table) {
  switch (table) {
    case TapTable::Schemas: return "schemas";
    case TapTable::Tables: return "tables";
    case TapTable::Columns: return "columns";
    case TapTable::Keys: return "keys";
    case TapTable::KeyColumns: return "key_columns";
  }
  return "";
}

std::string TapRow::identity() const {
  std::string out;
  std::span<const TapColumnSpec> specs = tapColumns(table);
  for (std::size_t i = 0; i < specs.size() && i < values.size(); ++i) {
    if (!specs[i].identity) continue;
    if (!out.empty()) out += '\x1f';
    out += values[i].value_or("");
  }
  return out;
}

const TapValue& TapRow::get(std::string_view column) const {
  std::span<const TapColumnSpec> specs = tapColumns(table);
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (specs[i].name == column) return values.at(i);
  assert(false && "no such TAP_SCHEMA column");
  static const TapValue kNull;
  return kNull;
}

std::size_t TapRows::rowCount() const {
  std::size_t count = schemas.size() + tables.size() + columns.size() + keys.size();
  for (const TapKey& key : keys) count += key.columns.size();
  return count;
}

TapRows sortedTapRows(TapRows rows) {
  auto by_identity = [](const TapRow& a, const TapRow& b) { return a.identity() < b.identity(); };
  std::sort(rows.schemas.begin(), rows.schemas.end(), by_identity);
  std::sort(rows.tables.begin(), rows.tables.end(), by_identity);
  std::sort(rows.columns.begin(), rows.columns.end(), by_identity);
  for (TapKey& key : rows.keys) std::sort(key.columns.begin(), key.columns.end(), by_identity);
  std::sort(rows.keys.begin(), rows.keys.end(),
            [&](const TapKey& a, const TapKey& b) { return by_identity(a.key, b.key); });
  return rows;
}

}  // namespace felisc::model
