/// \file
/// `felisc create --profile`: the DDL of a schema as a deployment profile
/// realizes it (schema_model/profile.h).
#pragma once

#include <string>

#include "emitters/postgres_ddl.h"
#include "schema_model/model.h"
#include "schema_model/profile.h"

namespace felisc::emit {

/// The whole script for a realized model: the profile's extensions (CREATE
/// EXTENSION IF NOT EXISTS), a guard that stops with a clear message when a role
/// the profile requires is missing, then what createSchemaSql() writes (tables
/// with their extra columns, foreign keys, comments), the tables' grants, and
/// last the views, in the model's order (realize() puts a view after the view it
/// selects from). One transaction unless `options` says otherwise. Deterministic.
/// `realized.name` is the schema written; `options.schema_name` must be unset
/// (rename the model before realize(), so that the profile sees the final name).
std::string createProfiledSchemaSql(const model::Schema& realized, const model::Profile& profile,
                                    const CreateOptions& options = {});

/// The DO block that raises an error naming every role of `profile` that does not
/// exist; empty when the profile requires no role.
std::string roleGuardSql(const model::Profile& profile);

}  // namespace felisc::emit
