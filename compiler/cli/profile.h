/// \file
/// `--profile NAME|FILE` for the subcommands that take one.
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
  std::string path;                       ///< the file read (resolveProfilePath())
  std::string source_text;                ///< for diagnostics that point into it
  int exit_code = 0;                      ///< 2 unreadable or invalid; 0 when loaded
  bool unreadable = false;                ///< it could not be read at all
};

/// The file of `--profile NAME`: a path as given (it holds a '/' or a '.', or
/// exists); a bare name (`consdb`) is looked up among the installed profiles,
/// `<prefix>/share/felisc/profiles/NAME.yaml` beside `<prefix>/bin/felisc`, then
/// in the source tree's `fixtures/profiles/`. Unfound, the name is returned as is.
std::string resolveProfilePath(const std::string& name);

/// Reads the profile `name` (resolveProfilePath()) and prints its diagnostics
/// (warnings too) to `err`.
LoadedProfile loadProfile(const std::string& name, std::ostream& err);

/// Renders every diagnostic with the text of the file it points into, chosen by
/// file name among `sources` (file, text); a file not among them gets no source lines.
std::string renderWithSources(const model::Diagnostics& diagnostics,
                              const std::vector<std::pair<std::string, std::string_view>>& sources);

/// The model under another schema name, with foreign keys into the old name
/// following it (what `--schema` does before a profile sees the name).
model::Schema renamedSchema(const model::Schema& schema, const std::string& name);

}  // namespace felisc::cli
