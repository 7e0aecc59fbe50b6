/// \file
/// PostgreSQL statements for views, materialized views, their indexes and grants.
///
/// Shared by `felisc create` (views from a deployment profile) and by the plan
/// (dropping and recreating views around the changes of their base tables). A view
/// is recreated from its model alone: the definition as pg_get_viewdef() gives it
/// (or as a profile rule wrote it), reloptions, owner, comments on the view and its
/// columns, table- and column-level grants, and a materialized view's indexes.
/// Indexes and comments are spelled by the one SQL writer (sql_writer.h).
#pragma once

#include <string>
#include <vector>

#include "schema_model/model.h"

namespace felisc::diff {

/// GRANT statements, one per (privileges, grantee, column, grant option) group, in
/// a fixed order: table-level grants first, then column-level ones.
std::vector<std::string> grantStatements(const std::string& qualified_relation,
                                         const std::vector<model::Grant>& grants);

/// Everything that recreates `view` in `schema` exactly: CREATE [MATERIALIZED] VIEW
/// with its options, owner, comments, grants and (materialized) indexes.
std::vector<std::string> createViewStatements(const model::View& view, const std::string& schema);

/// `DROP [MATERIALIZED] VIEW schema.name` (never CASCADE: dependents are dropped
/// first by the plan, and anything else depending on it stops the script).
std::string dropViewStatement(const model::View& view, const std::string& schema);

/// The definition without leading white space and the final ';' pg_get_viewdef() adds.
std::string viewQuery(const std::string& definition);

}  // namespace felisc::diff
