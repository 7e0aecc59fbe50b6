/// \file
/// The deployment profile reader: a profile YAML file -> model::Profile.
///
/// The file is parsed with the same libyaml tree as Felis files, so every problem
/// is a diagnostic with file:line:column; unknown keys get a "did you mean", every
/// value is type-checked, and the whole file is checked in one run (names given
/// twice, grantees that are not among the profile's roles, views realized over
/// each other in a cycle, datatypes and lengths of extra columns, identifiers
/// longer than PostgreSQL keeps). The format is documented in the README,
/// "Deployment profiles".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "schema_model/diagnostic.h"
#include "schema_model/profile.h"

namespace felisc::felis {

/// A profile read, with everything reported on the way.
struct ProfileReadResult {
  std::optional<model::Profile> profile;  ///< nullopt when there were errors
  model::Diagnostics diagnostics;
  std::string source_text;  ///< the file's text, for rendering diagnostics
};

/// Reads and checks a profile file. I/O errors are diagnostics (err_io) too.
ProfileReadResult readProfileFile(const std::string& path);
/// The same from text in memory; `display_name` names it in diagnostics.
ProfileReadResult readProfileText(std::string_view text, const std::string& display_name);

/// Every diagnostic of `result`, clang style with source lines.
std::string renderProfileDiagnostics(const ProfileReadResult& result);

}  // namespace felisc::felis
