/// \file
/// `--profile FILE` for the subcommands that take one (create, validate, inspect).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/felis/profile_reader.h"
#include "schema_model/diagnostic.h"
#include "schema_model/profile.h"

namespace felisc::cli {

/// A profile loaded for a command: the profile, or the exit code to stop with.
struct LoadedProfile {
  std::optional<model::Profile> profile;  ///< nullopt when it could not be used
  std::string source_text;                ///< for diagnostics that point into it
  int exit_code = 0;                      ///< 2 unreadable, 1 invalid; 0 when loaded
};

/// Reads `path` and prints its diagnostics (warnings too) to `err`.
LoadedProfile loadProfile(const std::string& path, std::ostream& err);

/// Renders every diagnostic with the text of the file it points into, chosen by
/// file name among `sources` (file, text); a file not among them gets no source lines.
std::string renderWithSources(const model::Diagnostics& diagnostics,
                              const std::vector<std::pair<std::string, std::string_view>>& sources);

/// The model under another schema name, with foreign keys into the old name
/// following it (what `--schema` does before a profile sees the name).
model::Schema renamedSchema(const model::Schema& schema, const std::string& name);

}  // namespace felisc::cli
