/// \file
/// Subcommand registration shared by the cli_*.cpp files.
#pragma once

#include <ostream>

namespace CLI {
class App;
}

namespace felisc::cli {

/// What every subcommand writes to, and the exit code it leaves.
struct CommandContext {
  std::ostream& out;
  std::ostream& err;
  int exit_code = 0;
};

/// Adds every subcommand to `app`; each one's callback sets `context.exit_code`.
void registerCommands(CLI::App& app, CommandContext& context);

/// `felisc validate FILE...` (cli_validate.cpp).
void registerValidate(CLI::App& app, CommandContext& context);
/// `felisc create FILE` (cli_create.cpp).
void registerCreate(CLI::App& app, CommandContext& context);
/// `felisc diff OLD NEW` (cli_diff.cpp).
void registerDiff(CLI::App& app, CommandContext& context);
/// `felisc migrate`: Alembic revisions for every changed cdb_*.yaml (cli_migrate.cpp).
void registerMigrate(CLI::App& app, CommandContext& context);
/// `felisc inspect`: a live PostgreSQL schema as a Felis file or JSON (cli_inspect.cpp).
void registerInspect(CLI::App& app, CommandContext& context);
/// `felisc verify`: a migration proven on a live database, rolled back (cli_verify.cpp).
void registerVerify(CLI::App& app, CommandContext& context);
/// `felisc drift DB FILE`: a live schema compared with its Felis file (cli_drift.cpp).
void registerDrift(CLI::App& app, CommandContext& context);
/// `felisc explain FELnnn`: a diagnostic code of the catalogue (explain_cmd.cpp).
void registerExplain(CLI::App& app, CommandContext& context);

/// `felisc tap create FILE`: TAP_SCHEMA rows (tap_cmd.cpp).
void registerTap(CLI::App& app, CommandContext& context);
}  // namespace felisc::cli
