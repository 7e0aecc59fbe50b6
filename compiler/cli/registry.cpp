#include <CLI/CLI.hpp>

#include "compiler/cli/commands.h"

namespace felisc::cli {

void registerCommands(CLI::App& app, CommandContext& context) {
  registerValidate(app, context);
  registerCreate(app, context);
  registerDiff(app, context);
  registerInspect(app, context);
  registerVerify(app, context);
  registerDrift(app, context);
  registerMigrate(app, context);
  registerTap(app, context);
}

}  // namespace felisc::cli
