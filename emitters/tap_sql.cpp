#include "emitters/tap_sql.h"

#include <span>
#include <string_view>

#include "schema_model/type_mapping.h"

namespace felisc::emit {

namespace {

using model::TapColumnSpec;
using model::TapRow;
using model::TapTable;

std::string literal(const model::TapValue& value, const TapColumnSpec& spec) {
  if (!value) return "NULL";
  if (spec.integer) return *value;
  return model::postgresQuoteLiteral(*value);
}

std::string insertStatement(const model::TapNames& names, const TapRow& row) {
  std::span<const TapColumnSpec> specs = model::tapColumns(row.table);
  std::string columns, values;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (i != 0) {
      columns += ", ";
      values += ", ";
    }
    columns += model::postgresQuoteIdentifier(specs[i].name);
    values += literal(row.values.at(i), specs[i]);
  }
  return "INSERT INTO " + tapQualifiedTable(names, row.table) + " (" + columns + ") VALUES (" + values +
         ");\n";
}

/// `a = 'x' AND b = 'y'` over the identity columns (all of key_columns).
std::string whereIdentity(const TapRow& row) {
  std::span<const TapColumnSpec> specs = model::tapColumns(row.table);
  std::string out;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (!specs[i].identity) continue;
    if (!out.empty()) out += " AND ";
    out += model::postgresQuoteIdentifier(specs[i].name) + " = " + literal(row.values.at(i), specs[i]);
  }
  return out;
}

std::string changeStatement(const model::TapNames& names, const diff::TapChange& change) {
  switch (change.kind) {
    case diff::TapChange::Kind::Insert: return insertStatement(names, change.after);
    case diff::TapChange::Kind::Delete:
      return "DELETE FROM " + tapQualifiedTable(names, change.before.table) + " WHERE " +
             whereIdentity(change.before) + ";\n";
    case diff::TapChange::Kind::Update: {
      std::span<const TapColumnSpec> specs = model::tapColumns(change.after.table);
      std::string set;
      for (std::size_t i = 0; i < specs.size(); ++i) {
        if (change.before.values.at(i) == change.after.values.at(i)) continue;
        if (!set.empty()) set += ", ";
        set += model::postgresQuoteIdentifier(specs[i].name) + " = " +
               literal(change.after.values.at(i), specs[i]);
      }
      return "UPDATE " + tapQualifiedTable(names, change.after.table) + " SET " + set + " WHERE " +
             whereIdentity(change.before) + ";\n";
    }
  }
  return "";
}

std::string wrap(std::string body, bool transaction) {
  if (!transaction) return body;
  return "BEGIN;\n" + body + "COMMIT;\n";
}

}  // namespace

std::string tapQualifiedTable(const model::TapNames& names, TapTable table) {
  return model::postgresQuoteIdentifier(names.schema) + "." +
         model::postgresQuoteIdentifier(std::string(model::tapTableName(table)) + names.postfix);
}

std::string tapInitSql(const model::TapNames& names, bool extensions) {
  std::string sql = "-- TAP_SCHEMA tables as felis init-tap-schema creates them (felisc tap create --init)\n";
  sql += "CREATE SCHEMA IF NOT EXISTS " + model::postgresQuoteIdentifier(names.schema) + ";\n";
  // felis's tap_schema_extensions.yaml: CADC's columns, all nullable, never filled.
  auto extension_columns = [&](TapTable table) -> std::vector<std::string> {
    if (!extensions) return {};
    std::vector<std::string> access = {"owner_id CHAR(32)", "read_anon INTEGER", "read_only_group CHAR(128)",
                                       "read_write_group CHAR(128)", "api_created INTEGER"};
    switch (table) {
      case TapTable::Schemas: return access;
      case TapTable::Tables: access.emplace_back("view_target CHAR(128)"); return access;
      case TapTable::Columns: return {"column_id CHAR(32)"};
      default: return {};
    }
  };
  struct ForeignKey {
    TapTable from;
    std::string_view name, column;
    TapTable target;
    std::string_view target_column;
  };
  const ForeignKey foreign_keys[] = {
      {TapTable::Tables, "k1", "schema_name", TapTable::Schemas, "schema_name"},
      {TapTable::Columns, "k2", "table_name", TapTable::Tables, "table_name"},
      {TapTable::Keys, "k3", "from_table", TapTable::Tables, "table_name"},
      {TapTable::Keys, "k4", "target_table", TapTable::Tables, "table_name"},
      {TapTable::KeyColumns, "k5", "key_id", TapTable::Keys, "key_id"},
  };
  for (TapTable table : model::kTapTables) {
    std::vector<std::string> lines;
    std::string primary_key;
    for (const TapColumnSpec& spec : model::tapColumns(table)) {
      lines.push_back(model::postgresQuoteIdentifier(spec.name) + " " + std::string(spec.sql_type) +
                      (spec.not_null ? " NOT NULL" : ""));
      if (spec.identity && table != TapTable::KeyColumns) {
        if (!primary_key.empty()) primary_key += ", ";
        primary_key += model::postgresQuoteIdentifier(spec.name);
      }
    }
    for (std::string& column : extension_columns(table)) lines.push_back(std::move(column));
    if (!primary_key.empty()) lines.push_back("PRIMARY KEY (" + primary_key + ")");
    for (const ForeignKey& fk : foreign_keys) {
      if (fk.from != table) continue;
      lines.push_back("CONSTRAINT " + std::string(fk.name) + " FOREIGN KEY (" + std::string(fk.column) +
                      ") REFERENCES " + tapQualifiedTable(names, fk.target) + " (" +
                      std::string(fk.target_column) + ")");
    }
    sql += "CREATE TABLE IF NOT EXISTS " + tapQualifiedTable(names, table) + " (\n";
    for (std::size_t i = 0; i < lines.size(); ++i)
      sql += "    " + lines[i] + (i + 1 < lines.size() ? ",\n" : "\n");
    sql += ");\n";
  }
  return sql;
}

std::string tapInsertSql(const model::TapRows& rows, const TapSqlOptions& options) {
  std::string body;
  for (const TapRow& row : rows.schemas) body += insertStatement(options.names, row);
  for (const TapRow& row : rows.tables) body += insertStatement(options.names, row);
  for (const TapRow& row : rows.columns) body += insertStatement(options.names, row);
  for (const model::TapKey& key : rows.keys) {
    body += insertStatement(options.names, key.key);
    for (const TapRow& row : key.columns) body += insertStatement(options.names, row);
  }
  return wrap(std::move(body), options.transaction);
}

std::string tapChangeStatements(const std::vector<diff::TapChange>& changes, const model::TapNames& names) {
  std::string body;
  for (const diff::TapChange& change : changes) body += changeStatement(names, change);
  return body;
}

std::string tapChangesSql(const std::vector<diff::TapChange>& changes, const TapSqlOptions& options) {
  return wrap(tapChangeStatements(changes, options.names), options.transaction);
}

}  // namespace felisc::emit
