/// \file
/// The felisc command line, as a library: tests run it in-process.
#pragma once

#include <ostream>

namespace felisc::cli {

/// Exit codes shared by every subcommand (the table in README.md and `felisc --help`).
enum ExitCode : int {
  kExitOk = 0,           ///< success; a written file or revision is success
  kExitFindings = 1,     ///< validate: invalid; diff --exit-code: changes; drift: drifted; verify: not exact
  kExitUsage = 2,        ///< usage, input, I/O or connection error
  kExitDataLoss = 3,     ///< the plan loses data and --allow-data-loss was not given
  kExitVersionBump = 4,  ///< --strict: version.current is not bumped enough
};

/// The table above for people, as `--help` and README.md show it.
inline constexpr const char* kExitCodeTable =
    "Exit status (every command):\n"
    "  0  success (a written file or revision is success)\n"
    "  1  findings: validate: invalid; diff --exit-code: there are changes; drift: drifted; verify: not "
    "exact\n"
    "  2  usage, input, I/O or connection error\n"
    "  3  data loss refused (pass --allow-data-loss)\n"
    "  4  version bump too small under --strict\n";

/// Runs felisc with `argv`, writing results to `out` and diagnostics to `err`.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace felisc::cli
