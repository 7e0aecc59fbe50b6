#include <CLI/CLI.hpp>

#include <string>
#include <utility>
#include <vector>

#include "compiler/cli/commands.h"

namespace felisc::cli {

namespace {

/// One example per command, shown at the end of its --help: the commands as a
/// user of sdm_schemas and ConsDB types them.
const std::vector<std::pair<std::string, std::string>> kExamples = {
    {"validate",
     "felisc validate --check-description yml/cdb_latiss.yaml\n"
     "  felisc validate --format github yml/*.yaml      # annotations in a GitHub workflow"},
    {"create", "felisc create yml/cdb_latiss.yaml -o cdb_latiss.sql"},
    {"diff",
     "felisc diff --format markdown main:yml/cdb_latiss.yaml yml/cdb_latiss.yaml >> "
     "\"$GITHUB_STEP_SUMMARY\"\n"
     "  felisc diff --allow-data-loss -o up.sql --down-output down.sql old.yaml new.yaml"},
    {"inspect", "felisc inspect --schema cdb_latiss 'postgresql://user@host/exposurelog' -o cdb_latiss.yaml"},
    {"verify",
     "felisc verify 'host=localhost dbname=consdb' yml/cdb_latiss.yaml --upgrade up.sql --downgrade "
     "down.sql"},
    {"drift", "felisc drift --format markdown \"$CONSDB_URL\" yml/cdb_latiss.yaml"},
    {"migrate", "felisc migrate --sdm-schemas . --base main --alembic-dir ../consdb/alembic --dry-run"},
};

}  // namespace

void registerCommands(CLI::App& app, CommandContext& context) {
  registerValidate(app, context);
  registerCreate(app, context);
  registerDiff(app, context);
  registerInspect(app, context);
  registerVerify(app, context);
  registerDrift(app, context);
  registerMigrate(app, context);
  registerTap(app, context);
  registerExplain(app, context);
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; }))
    for (const auto& [name, example] : kExamples)
      if (command->get_name() == name) command->footer("Example:\n  " + example);
}

}  // namespace felisc::cli
