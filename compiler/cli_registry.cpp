#include <CLI/CLI.hpp>

#include "compiler/cli_commands.h"

namespace felisc::cli {

void registerCommands(CLI::App& app, CommandContext& context) {
  registerInspect(app, context);
}

}  // namespace felisc::cli
