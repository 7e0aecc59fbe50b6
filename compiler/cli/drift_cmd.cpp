/// \file
/// `felisc drift DB FILE`: does a live schema still hold what its Felis file
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
#include "compiler/cli/models.h"
#include "compiler/cli/output.h"
#include "compiler/cli/tap.h"
#include "compiler/verify/drift_markdown.h"
#include "compiler/verify/migration_verify.h"

namespace felisc::cli {

namespace {

struct DriftArgs {
  std::string database;
  std::string file;
  std::string schema;
  std::string format = "text";
  std::string output;
  std::vector<std::string> ignored_tables = {"alembic_version"};
  bool read_only = false;
  std::string profile;
  bool tap = false;  ///< --tap: compare the TAP_SCHEMA rows instead (tap_cmd.cpp)
  TapArgs tap_args;
};

int runDrift(const DriftArgs& args, std::size_t extra_arguments, CommandContext& context) {
  std::error_code exists_error;
  if (extra_arguments != 0 ||
      (args.file.find('=') != std::string::npos && !std::filesystem::exists(args.file, exists_error))) {
    // An unquoted conninfo (`host=h password=p`) arrives as several arguments: not shown.
    context.err << "felisc: error: drift: unexpected arguments (not shown: they may hold a password); drift "
                   "takes DB and FILE, so quote a conninfo string that holds spaces\n";
    return kExitUsage;
  }
  if (args.tap)
    return runTapDrift(args.database, args.file, args.tap_args, args.format, args.output, context);
  Deployment deployment;
  if (int code = loadDeployment(args.profile, deployment, context.err); code != kExitOk) return code;
  DeployedModel file_model = loadDeployedModel(args.file, deployment, args.schema, context.err);
  if (!file_model) return kExitUsage;
  verify::DriftRequest request;
  request.schema = args.schema.empty() ? file_model.deployed->name : args.schema;
  request.expected = *file_model.deployed;
  request.expected.name = request.schema;
  request.fresh = freshCreate(file_model, deployment, args.file);
  request.read_only = args.read_only;
  request.ignored_tables = args.ignored_tables;
  request.compare_grants = deployment.profile.has_value();  // the profile says what is granted

  catalog::Error error;
  std::optional<catalog::Connection> connection = catalog::Connection::open(args.database, error);
  if (!connection) {
    model::Diagnostics diagnostics;
    diagnostics.report(model::DiagId::err_db_connect, "", {}, {error.message});
    printDiagnostics(diagnostics, "", context.err);
    return kExitUsage;
  }
  verify::DriftOutcome outcome = verify::checkDrift(*connection, request);
  printDiagnostics(outcome.diagnostics, "", context.err);
  if (outcome.diagnostics.hasErrors()) {
    if (!args.read_only)
      context.err << "felisc: note: drift builds the file in temporary tables to compare in the server's own "
                     "rendering; on a hot standby, or without the TEMP privilege, use --read-only\n";
    return kExitUsage;
  }
  verify::DriftReport& report = outcome.report;
  report.file = args.file;
  if (!deployment.profile)
    for (const std::string& hint : profileHint(report.differences)) context.err << hint;
  for (const model::Difference& note : report.notes)
    context.err << "felisc: note: " << note.text() << " (PostgreSQL appends added columns; not drift)\n";
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
      ->add_option("DB", args->database,
                   "libpq conninfo string or postgresql:// URI; \"\" uses the PG* environment variables")
      ->required();
  command->add_option("FILE", args->file, "the Felis file (or REV:PATH) the database should hold")
      ->required();
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
  command->allow_extras();
  command->callback(
      [args, command, &context] { context.exit_code = runDrift(*args, command->remaining_size(), context); });
}

}  // namespace felisc::cli
