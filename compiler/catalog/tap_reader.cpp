#include "compiler/catalog/tap_reader.h"

#include <map>
#include <set>
#include <span>
#include <vector>

#include "schema_model/type_mapping.h"

namespace felisc::catalog {

namespace {

using model::TapRow;
using model::TapTable;

std::string tableName(const model::TapNames& names, TapTable table) {
  return std::string(model::tapTableName(table)) + names.postfix;
}

std::string qualified(const model::TapNames& names, TapTable table) {
  return model::postgresQuoteIdentifier(names.schema) + "." +
         model::postgresQuoteIdentifier(tableName(names, table));
}

/// SELECT of every standard column as text, identity columns first in ORDER BY.
std::string selectSql(const model::TapNames& names, TapTable table, const std::string& where) {
  std::string columns, order;
  for (const model::TapColumnSpec& spec : model::tapColumns(table)) {
    if (!columns.empty()) columns += ", ";
    columns += model::postgresQuoteIdentifier(spec.name) + "::text";
    if (spec.identity) {
      if (!order.empty()) order += ", ";
      order += model::postgresQuoteIdentifier(spec.name) + " COLLATE \"C\"";
    }
  }
  return "SELECT " + columns + " FROM " + qualified(names, table) + " WHERE " + where + " ORDER BY " + order;
}

std::optional<std::vector<TapRow>> select(Connection& connection, const model::TapNames& names,
                                          TapTable table, const std::string& where,
                                          const std::string& schema_name, Error& error) {
  std::vector<std::string> params = {schema_name};
  std::optional<Result> result = connection.exec(selectSql(names, table, where), params, error);
  if (!result) return std::nullopt;
  std::vector<TapRow> rows;
  rows.reserve(static_cast<std::size_t>(result->rows()));
  for (int r = 0; r < result->rows(); ++r) {
    TapRow row{table, {}};
    for (int c = 0; c < result->columns(); ++c) {
      if (result->isNull(r, c))
        row.values.emplace_back(std::nullopt);
      else
        row.values.emplace_back(std::string(result->get(r, c)));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

std::optional<std::string> tapLayoutProblems(Connection& connection, const model::TapNames& names,
                                             bool& schema_exists, Error& error) {
  std::vector<std::string> params = {names.schema};
  std::optional<Result> schemas =
      connection.exec("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", params, error);
  if (!schemas) return std::nullopt;
  schema_exists = schemas->rows() != 0;
  if (!schema_exists) return std::string();
  std::optional<Result> result = connection.exec(
      "SELECT c.relname, a.attname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
      "c.relnamespace LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT "
      "a.attisdropped WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
      params, error);
  if (!result) return std::nullopt;
  std::map<std::string, std::set<std::string>> present;
  for (int r = 0; r < result->rows(); ++r) {
    std::set<std::string>& columns = present[std::string(result->get(r, 0))];
    if (!result->isNull(r, 1)) columns.emplace(result->get(r, 1));
  }
  std::string problems;
  auto add = [&](const std::string& problem) {
    if (!problems.empty()) problems += "; ";
    problems += problem;
  };
  for (TapTable table : model::kTapTables) {
    const std::string name = tableName(names, table);
    auto found = present.find(name);
    if (found == present.end()) {
      add("no table " + qualified(names, table));
      continue;
    }
    std::string missing;
    for (const model::TapColumnSpec& spec : model::tapColumns(table)) {
      if (found->second.count(std::string(spec.name))) continue;
      if (!missing.empty()) missing += ", ";
      missing += spec.name;
    }
    if (!missing.empty()) add("table " + qualified(names, table) + " lacks column(s) " + missing);
  }
  return problems;
}

TapReadResult readTapRows(Connection& connection, const model::TapNames& names,
                          const std::string& schema_name) {
  TapReadResult out;
  Error error;
  auto fail = [&](const Error& e) {
    out.diagnostics.report(model::DiagId::err_catalog_query, "", {}, {connection.scrub(e.message)});
    return std::move(out);
  };
  bool schema_exists = false;
  std::optional<std::string> problems = tapLayoutProblems(connection, names, schema_exists, error);
  if (!problems) return fail(error);
  if (!schema_exists) {
    out.diagnostics.report(model::DiagId::err_schema_missing, "", {},
                           {names.schema, connection.databaseName()});
    return out;
  }
  if (!problems->empty()) {
    // err_database carries the whole message: the catalogue's "%0".
    const std::string message = "TAP_SCHEMA '" + names.schema + "' in database '" +
                                connection.databaseName() + "' does not have felis's tables: " + *problems;
    out.diagnostics.report(model::DiagId::err_database, "", {}, {message});
    return out;
  }
  const std::string tables_of_schema =
      "(SELECT table_name FROM " + qualified(names, TapTable::Tables) + " WHERE schema_name = $1)";
  const std::string keys_of_schema = "(SELECT key_id FROM " + qualified(names, TapTable::Keys) +
                                     " WHERE from_table IN " + tables_of_schema + " OR target_table IN " +
                                     tables_of_schema + ")";
  model::TapRows rows;
  auto schemas = select(connection, names, TapTable::Schemas, "schema_name = $1", schema_name, error);
  if (!schemas) return fail(error);
  auto tables = select(connection, names, TapTable::Tables, "schema_name = $1", schema_name, error);
  if (!tables) return fail(error);
  auto columns =
      select(connection, names, TapTable::Columns, "table_name IN " + tables_of_schema, schema_name, error);
  if (!columns) return fail(error);
  auto keys = select(connection, names, TapTable::Keys, "key_id IN " + keys_of_schema, schema_name, error);
  if (!keys) return fail(error);
  auto key_columns =
      select(connection, names, TapTable::KeyColumns, "key_id IN " + keys_of_schema, schema_name, error);
  if (!key_columns) return fail(error);
  rows.schemas = std::move(*schemas);
  rows.tables = std::move(*tables);
  rows.columns = std::move(*columns);
  std::map<std::string, std::size_t> key_position;
  for (TapRow& key : *keys) {
    key_position[key.values.at(0).value_or("")] = rows.keys.size();
    rows.keys.push_back(model::TapKey{std::move(key), {}});
  }
  for (TapRow& row : *key_columns) {
    auto found = key_position.find(row.values.at(0).value_or(""));
    if (found != key_position.end()) rows.keys[found->second].columns.push_back(std::move(row));
  }
  out.rows = std::move(rows);
  return out;
}

}  // namespace felisc::catalog
