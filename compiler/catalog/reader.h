/// \file
/// The catalog reader: a live PostgreSQL schema -> the schema model.
///
/// It fills the same model the Felis reader builds, so that a file and a
/// database compare (schema_model/compare.h). The SQL facts come straight from
/// the catalog in the server's own spelling: `sql_type` from format_type(),
/// `sql_default` from pg_get_expr(), check expressions from
/// pg_get_constraintdef(), view definitions from pg_get_viewdef(). Beside them
/// the reader infers the closest Felis description (datatype, length, precision,
/// `postgresql:datatype` where no Felis type matches, `value` where the default
/// is a literal) so that a Felis file can be written from the model.
///
/// Cost: a fixed number of bulk queries per call (catalog_queries.h), in one
/// read-only REPEATABLE READ transaction, whatever the number of tables; or,
/// with ReadTransaction::Caller, as many inside the caller's open transaction.
#pragma once

#include <string>
#include <vector>

#include "compiler/catalog/connection.h"
#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::catalog {

/// The schemas read, in the order asked for, and what went wrong.
struct CatalogResult {
  std::vector<model::Schema> schemas;  ///< empty when there were errors
  model::Diagnostics diagnostics;
};

/// Which transaction a read runs in.
enum class ReadTransaction {
  /// One read-only REPEATABLE READ transaction of its own (BEGIN ... COMMIT): one
  /// snapshot for every query. The connection must not be in a transaction.
  Own,
  /// The caller's open transaction, which it neither begins nor ends: the read
  /// sees what that transaction has done so far (uncommitted DDL included). It
  /// runs under a savepoint that it rolls back to at the end, so the caller's
  /// transaction is left as it was, also when a query fails. As many statements
  /// as an Own read.
  Caller,
};

/// Reads `schema_names` from the database behind `connection`. A schema that
/// does not exist, or on which the role lacks USAGE, is an error.
CatalogResult readSchemas(catalog::Connection& connection, const std::vector<std::string>& schema_names,
                          ReadTransaction transaction = ReadTransaction::Own);

/// Opens a connection (libpq conninfo string, URI, or "" for the environment)
/// and reads `schema_names`. Connection errors are diagnostics, passwords scrubbed.
CatalogResult readSchemas(const std::string& conninfo, const std::vector<std::string>& schema_names);

/// The number of statements one call of readSchemas() sends, whatever the schema holds.
std::size_t queriesPerRead();

/// Fills a column's Felis view (datatype, length, precision, postgresql_datatype)
/// from its `sql_type`. Exposed for tests.
void inferFelisType(model::Column& column);

/// Fills a column's Felis `value` from its `sql_default` when the default is a
/// literal Felis can write (and that renders back the same). Exposed for tests.
void inferFelisValue(model::Column& column);

}  // namespace felisc::catalog
