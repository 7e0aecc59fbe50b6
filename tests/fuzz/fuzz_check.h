/// \file
/// Invariant checks for the libFuzzer targets: a violated invariant prints what
/// broke and traps, so that libFuzzer (and the replay driver) records a crash.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "compiler/felis/reader.h"

namespace felisc::fuzz {

/// Prints `what` (and `detail`, e.g. a diff or a diagnostic) and traps.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz invariant violated: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::fflush(stderr);
  __builtin_trap();
}

/// Traps unless `condition` holds.
inline void check(bool condition, std::string_view what, std::string_view detail = {}) {
  if (!condition) fail(what, detail);
}

/// Read options for fuzz inputs: `resources` URIs resolve against a fixed
/// directory of small fixtures, so that a run does not depend on the current
/// directory and columnRefs are reachable.
inline felis::ReadOptions fuzzReadOptions(bool strict_felis, bool all_checks) {
  felis::ReadOptions options;
  options.strict_felis = strict_felis;
  if (all_checks) options.checks = {true, true, true, true};
  options.base_directory = FELISC_FUZZ_RESOURCES_DIR;
  return options;
}

}  // namespace felisc::fuzz
