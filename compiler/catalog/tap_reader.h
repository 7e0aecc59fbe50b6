/// \file
/// A live TAP_SCHEMA read back as rows: the rows one schema contributes.
///
/// Before reading, the five tables are checked against felis's layout
/// (docs/tap-schema.md §2.1): a missing schema, table or standard column is an
/// error that names what is missing, so an older or foreign TAP_SCHEMA is
/// reported rather than half read. Extra columns (felis's extensions, CADC's
/// own) are allowed, as TAP 1.1 allows them.
#pragma once

#include <optional>
#include <string>

#include "compiler/catalog/connection.h"
#include "schema_model/diagnostic.h"
#include "schema_model/tap_rows.h"

namespace felisc::catalog {

struct TapReadResult {
  std::optional<model::TapRows> rows;  ///< nullopt when there were errors
  model::Diagnostics diagnostics;
};

/// What `names` lacks of felis's layout in the connected database, as one line
/// ("table \"TAP_SCHEMA\".keys; column \"TAP_SCHEMA\".columns.std"); empty when
/// complete. `schema_exists` is set to whether the schema is there at all.
std::optional<std::string> tapLayoutProblems(Connection& connection, const model::TapNames& names,
                                             bool& schema_exists, Error& error);

/// The rows of Felis schema `schema_name`: its `schemas` row, the `tables` rows
/// with that schema_name, their `columns`, the `keys` from or to those tables,
/// and those keys' `key_columns`. Rows come sorted by identity (byte order), key
/// columns by (from_column, target_column): a database keeps no row order.
TapReadResult readTapRows(Connection& connection, const model::TapNames& names,
                          const std::string& schema_name);

}  // namespace felisc::catalog
