#include "compiler/catalog/roles.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace felisc::catalog {

namespace {

/// Only the roles asked for: a server may have thousands, and which exist is
/// nobody else's business.
constexpr std::string_view kRoles = "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY($1::text[])";

constexpr std::string_view kExtensions = "SELECT extname FROM pg_catalog.pg_extension";

/// The first column of every row, sorted in byte order (never the server's collation).
std::vector<std::string> firstColumn(const catalog::Result& rows) {
  std::vector<std::string> values;
  values.reserve(static_cast<std::size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row) values.emplace_back(rows.get(row, 0));
  std::sort(values.begin(), values.end());
  return values;
}

}  // namespace

ServerObjectsResult readServerObjects(catalog::Connection& connection,
                                      const std::vector<std::string>& role_names) {
  ServerObjectsResult result;
  catalog::Error error;
  const std::vector<std::string> params = {catalog::textArrayLiteral(role_names)};
  std::optional<catalog::Result> roles = connection.exec(kRoles, params, error);
  if (!roles) {
    result.diagnostics.report(model::DiagId::err_catalog_query, "", {}, {"reading roles: " + error.message});
    return result;
  }
  std::optional<catalog::Result> extensions = connection.exec(kExtensions, error);
  if (!extensions) {
    result.diagnostics.report(model::DiagId::err_catalog_query, "", {},
                              {"reading extensions: " + error.message});
    return result;
  }
  result.objects.roles = firstColumn(*roles);
  result.objects.extensions = firstColumn(*extensions);
  return result;
}

ServerObjectsResult readServerObjects(const std::string& conninfo,
                                      const std::vector<std::string>& role_names) {
  catalog::Error error;
  auto connection = catalog::Connection::open(conninfo, error);
  if (!connection) {
    ServerObjectsResult result;
    result.diagnostics.report(model::DiagId::err_db_connect, "", {}, {error.message});
    return result;
  }
  return readServerObjects(*connection, role_names);
}

std::vector<std::string> requiredRoles(const model::Profile& profile) {
  std::vector<std::string> names;
  for (const model::ProfileRequirement& role : profile.roles) names.push_back(role.name);
  return names;
}

}  // namespace felisc::catalog
