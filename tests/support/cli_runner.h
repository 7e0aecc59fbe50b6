/// \file
/// Runs the felisc command in-process, as a test sees it: exit code, stdout, stderr.
#pragma once

#include <string>
#include <vector>

namespace felisc::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `felisc <args...>` through cli::run (no process is started).
CliRun runFelisc(std::vector<std::string> args);

}  // namespace felisc::testing
