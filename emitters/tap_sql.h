/// \file
/// TAP_SCHEMA as PostgreSQL SQL, written in one place: the tables felis's
/// `init-tap-schema` creates, the INSERTs of `load-tap-schema`, and the INSERT,
/// UPDATE and DELETE statements of an incremental change.
///
/// Unlike felis's echoed SQL (docs/tap-schema.md §4.3) the literals are exact:
/// no doubled `%` or backslashes (standard_conforming_strings), so the script
/// stores what felis's bound parameters store.
#pragma once

#include <string>
#include <vector>

#include "diff_engine/tap_schema.h"
#include "schema_model/tap_rows.h"

namespace felisc::emit {

struct TapSqlOptions {
  model::TapNames names;
  bool transaction = true;  ///< wrap in BEGIN/COMMIT: the rows go in, or none do
};

/// `"TAP_SCHEMA".columns` (with the postfix), quoted where PostgreSQL needs it.
std::string tapQualifiedTable(const model::TapNames& names, model::TapTable table);

/// CREATE SCHEMA and the five tables (IF NOT EXISTS, as create_all skips existing
/// ones), with felis's keys k1-k5; `extensions` appends the columns of felis's
/// packaged tap_schema_extensions.yaml (docs/tap-schema.md §2.3).
std::string tapInitSql(const model::TapNames& names, bool extensions);

/// One INSERT per row, in felis's order (§4.1).
std::string tapInsertSql(const model::TapRows& rows, const TapSqlOptions& options);

/// The statements of `changes`, in their order.
std::string tapChangesSql(const std::vector<diff::TapChange>& changes, const TapSqlOptions& options);

/// Only the statements of `changes`, one per line group, without BEGIN/COMMIT.
std::string tapChangeStatements(const std::vector<diff::TapChange>& changes, const model::TapNames& names);

}  // namespace felisc::emit
