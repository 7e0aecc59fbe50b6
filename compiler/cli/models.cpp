#include "compiler/cli/models.h"

#include "compiler/cli/profile.h"
#include "compiler/cli/schema_source.h"
#include "emitters/postgres_ddl.h"
#include "emitters/profile_ddl.h"

namespace felisc::cli {

int loadDeployment(const std::string& path, Deployment& deployment, std::ostream& err) {
  if (path.empty()) return 0;
  LoadedProfile loaded = loadProfile(path, err);
  if (!loaded.profile) return loaded.exit_code;
  deployment.profile = std::move(loaded.profile);
  deployment.path = path;
  deployment.source_text = std::move(loaded.source_text);
  return 0;
}

DeployedModel loadDeployedModel(const std::string& spec, const Deployment& deployment,
                                const std::string& schema_name, std::ostream& err) {
  felis::ReadOptions options;
  options.strict_felis = false;  // old files load with warnings where PostgreSQL accepts them
  cli::LoadedSchema loaded = cli::loadFelisSide(spec, options);
  err << loaded.rendered_diagnostics;
  if (!loaded.schema) return {};
  if (!deployment.profile) return {loaded.schema, loaded.schema};
  auto felis = std::make_shared<const model::Schema>(
      schema_name.empty() ? *loaded.schema : renamedSchema(*loaded.schema, schema_name));
  model::Diagnostics diagnostics;
  model::Schema realized = model::realize(*felis, *deployment.profile, diagnostics);
  err << renderWithSources(diagnostics, {{deployment.path, deployment.source_text}});
  if (diagnostics.hasErrors()) return {};
  return {felis, std::make_shared<const model::Schema>(std::move(realized))};
}

namespace {

/// The DDL of `felis` realized under `name` (pg_temp for a fresh create): the
/// profile's patterns are for the deployed name, already checked, so the copy
/// used here matches `name` alone. Its diagnostics were reported when the model
/// was loaded.
std::string profiledCreateSql(const model::Schema& felis, model::Profile profile, const std::string& name) {
  profile.schemas = {name};
  model::Diagnostics ignored;
  model::Schema realized = model::realize(renamedSchema(felis, name), profile, ignored);
  emit::CreateOptions options;
  options.create_schema = false;
  options.transaction = false;
  return emit::createProfiledSchemaSql(realized, profile, options);
}

}  // namespace

verify::FreshCreate freshCreate(const DeployedModel& model, const Deployment& deployment,
                                const std::string& label) {
  std::optional<std::string> description = model.deployed->description;
  if (deployment.profile) {
    return verify::FreshCreate{label,
                               [felis = model.felis, profile = *deployment.profile](const std::string& name) {
                                 return profiledCreateSql(*felis, profile, name);
                               },
                               std::move(description)};
  }
  return verify::FreshCreate{label,
                             [schema = model.deployed](const std::string& name) {
                               return emit::createSchemaSql(
                                   *schema,
                                   {.schema_name = name, .create_schema = false, .transaction = false});
                             },
                             std::move(description)};
}

}  // namespace felisc::cli
