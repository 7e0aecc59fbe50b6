/// \file
/// The models the live-database commands (verify, drift) compare with.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "compiler/migration_verify.h"
#include "schema_model/model.h"

namespace felisc::cli {

/// A Felis file (or REV:PATH) read as it is deployed, its diagnostics written to
/// `err`; null when it cannot be read or is invalid. Old files load as `create`
/// and `diff` load them (rules only today's felis enforces are warnings). This is
/// the one place where a deployment profile is applied once there is one
/// (`realize(model, profile)`: views, grants), so that verify and drift compare
/// with the same deployed model.
std::shared_ptr<const model::Schema> loadDeployedModel(const std::string& spec, std::ostream& err);

/// `model` for the server to build afresh (`felisc create` into the schema it is
/// given, without CREATE SCHEMA or a transaction), `label` naming it in messages.
verify::FreshCreate freshCreate(std::shared_ptr<const model::Schema> model, const std::string& label);

}  // namespace felisc::cli
