/// \file
/// The felisc command line, as a library: tests run it in-process.
#pragma once

#include <ostream>

namespace felisc::cli {

/// Exit codes shared by every subcommand.
enum ExitCode : int {
  kExitOk = 0,        ///< valid / no change
  kExitFindings = 1,  ///< invalid input, or (diff) changes found
  kExitUsage = 2,     ///< usage or I/O error
  kExitDataLoss = 3,  ///< (diff) the plan loses data and --allow-data-loss was not given
};

/// Runs felisc with `argv`, writing results to `out` and diagnostics to `err`.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace felisc::cli
