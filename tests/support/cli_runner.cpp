#include "tests/support/cli_runner.h"

#include <sstream>

#include "compiler/cli/cli.h"

namespace felisc::testing {

CliRun runFelisc(std::vector<std::string> args) {
  args.insert(args.begin(), "felisc");
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out;
  std::ostringstream err;
  CliRun run;
  run.exit_code = cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

}  // namespace felisc::testing
