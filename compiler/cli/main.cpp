#include <CLI/CLI.hpp>

#include "compiler/cli/cli.h"
#include "compiler/cli/commands.h"

namespace felisc::cli {

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"felisc: a schema diff compiler for Felis YAML"};
  app.set_version_flag("--version", std::string("felisc ") + FELISC_VERSION);
  app.require_subcommand(1);
  CommandContext context{out, err};
  registerCommands(app, context);
  app.footer(kExitCodeTable);
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; }))
    command->footer(kExitCodeTable);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << '\n';
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "felisc: error: " << e.what() << '\n';
    return kExitUsage;
  }
  return context.exit_code;
}

}  // namespace felisc::cli
