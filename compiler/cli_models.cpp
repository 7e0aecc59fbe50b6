#include "compiler/cli_models.h"

#include "compiler/schema_source.h"
#include "emitters/postgres_ddl.h"

namespace felisc::cli {

std::shared_ptr<const model::Schema> loadDeployedModel(const std::string& spec, std::ostream& err) {
  compiler::ReadOptions options;
  options.strict_felis = false;  // old files load with warnings where PostgreSQL accepts them
  compiler::LoadedSchema loaded = compiler::loadFelisSide(spec, options);
  err << loaded.rendered_diagnostics;
  return loaded.schema;
}

verify::FreshCreate freshCreate(std::shared_ptr<const model::Schema> model, const std::string& label) {
  std::optional<std::string> description = model->description;
  return verify::FreshCreate{label,
                             [model = std::move(model)](const std::string& name) {
                               return emit::createSchemaSql(
                                   *model,
                                   {.schema_name = name, .create_schema = false, .transaction = false});
                             },
                             std::move(description)};
}

}  // namespace felisc::cli
