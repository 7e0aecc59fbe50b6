/// \file
/// `diff --profile`: both sides of a diff as the deployment holds them.
///
/// A Felis side is realized with the profile (views over tables, extra columns,
/// grants). A database side already is the deployment; it is checked against the
/// profile instead (its views, extra columns, grants, roles and extensions), and
/// each mismatch is a warning, so a drifted database is seen before it is migrated.
#pragma once

#include <ostream>
#include <string>

#include "compiler/cli/schema_source.h"

namespace felisc::cli {

/// One side of a diff: what was loaded, and the database it came from (empty for a file).
struct DiffSide {
  cli::LoadedSchema& loaded;
  std::string conninfo;
};

/// Applies the profile at `profile_path` to both sides. Returns 0, or the exit code
/// to stop with after its diagnostics were printed to `err`.
int deployDiffSides(const std::string& profile_path, DiffSide old_side, DiffSide new_side, std::ostream& err);

}  // namespace felisc::cli
