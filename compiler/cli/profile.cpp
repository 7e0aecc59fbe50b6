#include "compiler/cli/profile.h"

#include <filesystem>

#include "compiler/cli/cli.h"
#include "compiler/cli/output.h"

namespace felisc::cli {

namespace fs = std::filesystem;

std::string resolveProfilePath(const std::string& name) {
  std::error_code error;
  // A path (anything with a '/' or a suffix, or a file that is there) is used as given;
  // a directory of that name (a ConsDB checkout called consdb/) is not a profile.
  if (name.empty() || name.find('/') != std::string::npos || name.find('.') != std::string::npos ||
      fs::is_regular_file(name, error))
    return name;
  const std::string file = name + ".yaml";
  // The installed profiles: <prefix>/bin/felisc -> <prefix>/share/felisc/profiles/.
  const fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path installed = binary.parent_path().parent_path() / "share" / "felisc" / "profiles" / file;
    if (fs::is_regular_file(installed, error)) return installed.string();
  }
  // A build that is not installed: the source tree's profiles.
  const fs::path source = fs::path(FELISC_SOURCE_DIR) / "fixtures" / "profiles" / file;
  if (fs::is_regular_file(source, error)) return source.string();
  return name;
}

LoadedProfile loadProfile(const std::string& name, std::ostream& err) {
  const std::string path = resolveProfilePath(name);
  felis::ProfileReadResult result = felis::readProfileFile(path);
  err << felis::renderProfileDiagnostics(result);
  LoadedProfile loaded;
  loaded.path = path;
  loaded.source_text = std::move(result.source_text);
  if (hasIoError(result.diagnostics)) {
    loaded.exit_code = kExitUsage;
    loaded.unreadable = true;
  } else if (!result.profile) {
    loaded.exit_code = kExitUsage;
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
