/// \file
/// The models the live-database commands (verify, drift) compare with.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "compiler/verify/migration_verify.h"
#include "schema_model/model.h"
#include "schema_model/profile.h"

namespace felisc::cli {

/// The deployment profile of a command (`--profile FILE`), loaded once.
struct Deployment {
  std::optional<model::Profile> profile;  ///< none without --profile
  std::string path;
  std::string source_text;  ///< for diagnostics that point into the profile
};

/// Loads `--profile FILE` into `deployment` (nothing to do for an empty path).
/// Returns 0, or the exit code to stop with after its diagnostics went to `err`.
int loadDeployment(const std::string& path, Deployment& deployment, std::ostream& err);

/// A Felis file read for a live-database command.
struct DeployedModel {
  /// As read, under the schema name it is deployed to.
  std::shared_ptr<const model::Schema> felis;
  /// As the database holds it: realized with the profile (views over tables,
  /// extra columns, grants); the same as `felis` without a profile.
  std::shared_ptr<const model::Schema> deployed;

  explicit operator bool() const { return deployed != nullptr; }
};

/// A Felis file (or REV:PATH) read as it is deployed, its diagnostics written to
/// `err`; empty when it cannot be read, is invalid, or the profile cannot realize
/// it. Old files load as `create` and `diff` load them (rules only today's felis
/// enforces are warnings). With a profile, the model is renamed to `schema_name`
/// (when given) before it is realized, since the profile matches the name the
/// database uses. This is the one place where the profile is applied, so that
/// verify and drift compare with the same deployed model.
DeployedModel loadDeployedModel(const std::string& spec, const Deployment& deployment,
                                const std::string& schema_name, std::ostream& err);

/// `model` for the server to build afresh (`felisc create` into the schema it is
/// given, without CREATE SCHEMA or a transaction), `label` naming it in messages.
/// With a profile, the Felis model is realized again under the schema name the
/// fresh create uses (pg_temp), so that its views select from the fresh tables.
verify::FreshCreate freshCreate(const DeployedModel& model, const Deployment& deployment,
                                const std::string& label);

}  // namespace felisc::cli
