/// \file
/// `felisc inspect [DB] --schema NAME [--format yaml|json] [-o FILE]`: a live
/// PostgreSQL schema as a Felis file or as the model in JSON.
///
/// DB is anything libpq takes: a conninfo string (`host=... dbname=...`), a
/// `postgresql://` URI, or nothing for the PG* environment variables alone; passwords
/// may also come from PGPASSWORD or ~/.pgpass. DB is never printed, and every
/// message from the server or libpq has its passwords scrubbed.
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/catalog/connection.h"
#include "compiler/catalog/reader.h"
#include "compiler/cli/cli.h"
#include "compiler/cli/commands.h"
#include "compiler/cli/database_args.h"
#include "compiler/cli/output.h"
#include "compiler/cli/profile.h"
#include "emitters/felis_yaml.h"
#include "emitters/model_json.h"

namespace felisc::cli {

namespace {

struct InspectOptions {
  std::vector<std::string> positionals;  ///< [DB]
  std::vector<std::string> schemas;
  std::string format = "yaml";
  std::string output;
  std::string profile;
};

int runInspect(const InspectOptions& options, CommandContext& context) {
  // DB may be left out, as psql's: `inspect --schema S` connects with the environment.
  const DatabaseArguments split = splitDatabaseArgument(options.positionals, 0, 0);
  if (!split.files.empty()) {
    // An unquoted conninfo (`host=h password=p`) arrives as several arguments;
    // CLI11 would echo the extra ones, password included, so they are not shown.
    report(context.err, model::DiagId::err_cli_unexpected_arguments, {"inspect"});
    return kExitUsage;
  }
  if (options.format == "yaml" && options.schemas.size() != 1) {
    report(context.err, model::DiagId::err_inspect_yaml_one_schema);
    return kExitUsage;
  }
  LoadedProfile loaded;
  if (!options.profile.empty()) {
    loaded = loadProfile(options.profile, context.err);
    if (!loaded.profile) return loaded.exit_code;
  }
  catalog::Error error;
  std::optional<catalog::Connection> connection = catalog::Connection::open(split.database, error);
  if (!connection) {
    report(context.err, model::DiagId::err_db_connect, {error.message});
    return kExitUsage;
  }
  model::Diagnostics missing;
  for (const std::string& schema : options.schemas) checkSchemaInDatabase(*connection, schema, missing);
  printDiagnostics(missing, {}, context.err);
  if (missing.hasErrors()) return kExitUsage;
  catalog::CatalogResult result = catalog::readSchemas(*connection, options.schemas);
  printDiagnostics(result.diagnostics, {}, context.err);
  if (result.diagnostics.hasErrors()) return kExitUsage;
  if (loaded.profile) {
    // The Felis file the profile deployed: views back to tables, extra columns out.
    for (model::Schema& schema : result.schemas) schema = model::unrealize(schema, *loaded.profile);
  }
  std::string text;
  if (options.format == "json") {
    text = result.schemas.size() == 1 ? emit::modelToJson(result.schemas.front())
                                      : emit::modelsToJson(result.schemas);
  } else {
    model::Diagnostics warnings;
    text = emit::felisYaml(result.schemas.front(), warnings);
    printDiagnostics(warnings, {}, context.err);
  }
  return writeOutput(options.output, text, context.out, context.err) ? kExitOk : kExitUsage;
}

}  // namespace

void registerInspect(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* command = app.add_subcommand(
      "inspect", "Read a live PostgreSQL schema: a Felis file (yaml) or the schema model (json)");
  command
      ->add_option("DB", options->positionals,
                   "libpq conninfo string, postgresql:// URI or SQLAlchemy URL; left out (or \"\"): "
                   "$FELIS_ENGINE_URL, else $CONSDB_URL, else the PG* environment, as psql")
      ->type_name("[DB]");
  command->add_option("--schema", options->schemas, "schema to read (repeat for several with --format json)")
      ->required();
  command->add_option("--format", options->format, "yaml (a Felis file, the default) or json (the model)")
      ->check(CLI::IsMember({"yaml", "json"}));
  command->add_option("-o,--output", options->output, "write to FILE instead of standard output");
  command
      ->add_option("--profile", options->profile,
                   "deployment profile: its views become Felis tables again and its extra columns and grants "
                   "are left out, giving the Felis file that the profile deployed")
      ->type_name("FILE");
  command->callback([options, &context] { context.exit_code = runInspect(*options, context); });
}

}  // namespace felisc::cli
