/// \file
/// Runs a program for a test (git, Debian's python3 with Alembic): no shell, so
/// arguments need no quoting; stdout and stderr come back together, in order.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace felisc::testing {

struct CommandResult {
  int exit_code = -1;  ///< 127 when the program could not be started
  std::string output;  ///< stdout and stderr, interleaved as written
};

/// Runs `argv` (argv[0] looked up in PATH) with the test's environment plus
/// `environment` (which overrides), in `directory` when it is not empty.
CommandResult runCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& environment = {},
                         const std::string& directory = {});

/// A directory of its own under the system's temporary directory, removed with
/// everything in it when the object goes away.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace felisc::testing
