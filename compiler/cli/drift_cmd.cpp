/// \file
/// `felisc drift [DB] FILE`: does a live schema still hold what its Felis file
/// says? For CI and monitoring. The file is built afresh in temporary tables
/// inside a transaction that is rolled back, so that both sides are in the
/// server's own rendering; --read-only compares with the file as it is, in a
/// READ ONLY transaction. Differences go to stdout, one per line (or JSON);
/// column-order notes to stderr. Exit 0 when equal, 1 on drift, 2 on usage,
/// input or connection errors.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/catalog/connection.h"
#include "compiler/cli/cli.h"
#include "compiler/cli/commands.h"
#include "compiler/cli/database_args.h"
#include "compiler/cli/models.h"
#include "compiler/cli/output.h"
#include "compiler/cli/tap.h"
#include "compiler/verify/drift_markdown.h"
#include "compiler/verify/migration_verify.h"

namespace felisc::cli {

namespace {

struct DriftArgs {
  std::vector<std::string> positionals;  ///< [DB] FILE
  std::string schema;
  std::string format = "text";
  std::string output;
  std::vector<std::string> ignored_tables = {"alembic_version"};
  bool read_only = false;
  std::string profile;
  bool tap = false;  ///< --tap: compare the TAP_SCHEMA rows instead (tap_cmd.cpp)
  TapArgs tap_args;
};

int runDrift(const DriftArgs& args, CommandContext& context) {
  // DB may be left out, as psql's: `drift FILE` connects with the environment.
  const DatabaseArguments split = splitDatabaseArgument(args.positionals, 1, 1);
  if (split.files.size() > 1 || (split.files.size() == 1 && looksLikeDatabase(split.files.front()))) {
    // An unquoted conninfo (`host=h password=p`) arrives as several arguments: not shown.
    report(context.err, model::DiagId::err_cli_unexpected_arguments, {"drift"});
    return kExitUsage;
  }
  if (split.files.empty()) {
    report(context.err, model::DiagId::err_cli_parse, {"drift: FILE is required"});
    return kExitUsage;
  }
  const std::string& database = split.database;
  const std::string& file = split.files.front();
  if (args.tap) return runTapDrift(database, file, args.tap_args, args.format, args.output, context);
  Deployment deployment;
  if (int code = loadDeployment(args.profile, deployment, context.err); code != kExitOk) return code;
  DeployedModel file_model = loadDeployedModel(file, deployment, args.schema, context.err);
  if (!file_model) return kExitUsage;
  verify::DriftRequest request;
  request.schema = args.schema.empty() ? file_model.deployed->name : args.schema;
  request.expected = *file_model.deployed;
  request.expected.name = request.schema;
  request.fresh = freshCreate(file_model, deployment, file);
  request.read_only = args.read_only;
  request.ignored_tables = args.ignored_tables;
  request.compare_grants = deployment.profile.has_value();  // the profile says what is granted

  catalog::Error error;
  std::optional<catalog::Connection> connection = catalog::Connection::open(database, error);
  if (!connection) {
    report(context.err, model::DiagId::err_db_connect, {error.message});
    return kExitUsage;
  }
  // A schema named with --schema must be there: a misspelling is no drift.
  if (model::Diagnostics missing;
      !args.schema.empty() && !checkSchemaInDatabase(*connection, args.schema, missing)) {
    printDiagnostics(missing, "", context.err);
    return kExitUsage;
  }
  verify::DriftOutcome outcome = verify::checkDrift(*connection, request);
  printDiagnostics(outcome.diagnostics, "", context.err);
  if (outcome.diagnostics.hasErrors()) {
    if (!args.read_only) report(context.err, model::DiagId::note_drift_read_only);
    return kExitUsage;
  }
  verify::DriftReport& report = outcome.report;
  report.file = file;
  if (!deployment.profile)
    for (const std::string& hint : profileHint(report.differences)) context.err << hint;
  for (const model::Difference& note : report.notes)
    cli::report(context.err, model::DiagId::note_column_order, {note.text()});
  std::string text = args.format == "json"       ? verify::driftJson(report)
                     : args.format == "markdown" ? verify::driftMarkdown(report)
                                                 : verify::driftText(report);
  if (!writeOutput(args.output, text, context.out, context.err)) return kExitUsage;
  return report.differences.empty() ? kExitOk : kExitFindings;
}

}  // namespace

void registerDrift(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<DriftArgs>();
  CLI::App* command = app.add_subcommand(
      "drift",
      "Compare a live database schema with a Felis file (read-only) and list every difference. Exit 0 when "
      "they are equal, 1 when the database has drifted, 2 on usage, input or connection errors.");
  command
      ->add_option("args", args->positionals,
                   "DB: libpq conninfo string, postgresql:// URI or SQLAlchemy URL; left out (or \"\"): "
                   "$FELIS_ENGINE_URL, else $CONSDB_URL, else the PG* environment, as psql. FILE: the Felis "
                   "file (or REV:PATH) the database should hold")
      ->type_name("[DB] FILE");
  command->add_option("--schema", args->schema, "the schema in the database; default: the file's")
      ->type_name("NAME");
  command
      ->add_option("--profile", args->profile,
                   "deployment profile: compare with the file as deployed (views over tables, extra "
                   "columns, grants); grants are then compared too")
      ->type_name("FILE");
  command
      ->add_option("--format", args->format,
                   "text (one difference per line), markdown (a table, for a CI summary) or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}))
      ->capture_default_str();
  command->add_option("-o,--output", args->output, "write to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  command
      ->add_option("--ignore-table", args->ignored_tables,
                   "a table left out of the comparison (repeatable; replaces the default alembic_version)")
      ->type_name("NAME")
      ->capture_default_str();
  command->add_flag("--read-only", args->read_only,
                    "compare with the file as it is, in a READ ONLY transaction (hot standby, no TEMP "
                    "privilege); expressions then compare only modulo parentheses, white space and case");
  command->add_flag("--tap", args->tap,
                    "compare the TAP_SCHEMA in DB with the rows felis's load-tap-schema gives FILE: every "
                    "missing, extra or different row; see README, 'TAP_SCHEMA'");
  addTapOptions(command, args->tap_args);
  command->callback([args, &context] { context.exit_code = runDrift(*args, context); });
}

}  // namespace felisc::cli
