#include "compiler/cli/profile.h"

#include "compiler/cli/cli.h"
#include "compiler/cli/output.h"

namespace felisc::cli {

LoadedProfile loadProfile(const std::string& path, std::ostream& err) {
  felis::ProfileReadResult result = felis::readProfileFile(path);
  err << felis::renderProfileDiagnostics(result);
  LoadedProfile loaded;
  loaded.source_text = std::move(result.source_text);
  if (hasIoError(result.diagnostics)) {
    loaded.exit_code = kExitUsage;
  } else if (!result.profile) {
    loaded.exit_code = kExitFindings;
  } else {
    loaded.profile = std::move(result.profile);
  }
  return loaded;
}

std::string renderWithSources(const model::Diagnostics& diagnostics,
                              const std::vector<std::pair<std::string, std::string_view>>& sources) {
  std::string out;
  for (const model::Diagnostic& diagnostic : diagnostics.all()) {
    std::string_view source = diagnostics.sourceOf(diagnostic.file);
    for (const auto& [file, text] : sources)
      if (file == diagnostic.file) source = text;
    out += model::renderDiagnostic(diagnostic, source);
  }
  return out;
}

model::Schema renamedSchema(const model::Schema& schema, const std::string& name) {
  model::Schema renamed = schema;
  for (model::Table& table : renamed.tables)
    for (model::Constraint& constraint : table.constraints)
      if (constraint.ref_schema == schema.name) constraint.ref_schema = name;
  renamed.name = name;
  return renamed;
}

}  // namespace felisc::cli
