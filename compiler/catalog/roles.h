/// \file
/// Roles and extensions of a live database, for checking a deployment profile
/// (model::checkDeployment). Kept apart from the catalog reader, whose fixed query
/// sequence reads schemas only: two small queries of their own.
#pragma once

#include <string>
#include <vector>

#include "compiler/catalog/connection.h"
#include "schema_model/diagnostic.h"
#include "schema_model/profile.h"

namespace felisc::catalog {

/// What was found, and what went wrong (err_catalog_query, err_db_connect).
struct ServerObjectsResult {
  model::ServerObjects objects;  ///< roles among those asked for; every installed extension
  model::Diagnostics diagnostics;
};

/// Which of `role_names` exist, and every installed extension, both in byte order.
ServerObjectsResult readServerObjects(catalog::Connection& connection,
                                      const std::vector<std::string>& role_names);

/// The same over a new connection (libpq conninfo, URI, or "" for the environment).
ServerObjectsResult readServerObjects(const std::string& conninfo,
                                      const std::vector<std::string>& role_names);

/// The role names a profile requires, for readServerObjects().
std::vector<std::string> requiredRoles(const model::Profile& profile);

}  // namespace felisc::catalog
