/// \file
/// `felisc verify`: prove a migration on a live database, inside one transaction
/// that is rolled back (compiler/verify/migration_verify.h).
///
///   felisc verify DB --upgrade UP.sql --downgrade DOWN.sql --target NEW.yaml
///   felisc verify DB OLD NEW      # plans OLD -> NEW itself
///   felisc verify DB NEW          # plans from what the database holds to NEW
///
/// DB may be left out (the PG* environment, as psql): the first argument is DB
/// when it is not a Felis file (splitDatabaseArgument).
///
/// The scripts may be `felisc diff` output or `alembic upgrade --sql` /
/// `alembic downgrade --sql` output: their BEGIN/COMMIT are skipped and the
/// alembic_version table is left out of every comparison. Exit 0 when both
/// directions are exact, 1 when they are not or a statement fails, 2 on usage,
/// input or connection errors.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/catalog/connection.h"
#include "compiler/cli/cli.h"
#include "compiler/cli/commands.h"
#include "compiler/cli/database_args.h"
#include "compiler/cli/inputs.h"
#include "compiler/cli/models.h"
#include "compiler/cli/output.h"
#include "compiler/cli/schema_source.h"
#include "compiler/verify/migration_verify.h"
#include "diff_engine/migration.h"
#include "diff_engine/planner.h"
#include "emitters/plan_sql.h"
#include "schema_model/source_file.h"

namespace felisc::cli {

namespace {

struct VerifyArgs {
  std::vector<std::string> positionals;  ///< [DB] [OLD] NEW
  std::string database;                  ///< from positionals (splitDatabaseArgument)
  std::vector<std::string> files;        ///< [OLD] NEW
  std::string upgrade;
  std::string downgrade;
  std::string target;
  std::string schema;
  std::string format = "text";
  std::string output;
  std::vector<std::string> ignored_tables = {"alembic_version"};
  std::vector<std::string> renames;
  std::string backfill_file;
  std::string lock_timeout = "5s";
  std::string profile;
};

/// An argument that is not a file and holds '=' is most likely a piece of an
/// unquoted conninfo (`host=h password=p`): never echo it.
bool mayHoldPassword(const std::string& argument) {
  std::error_code error;
  return argument.find('=') != std::string::npos && !std::filesystem::exists(argument, error);
}

/// Reads a whole script file; nullopt (reported) when it cannot be read.
std::optional<std::string> readScript(const std::string& path, std::ostream& err) {
  model::Diagnostics diagnostics;
  std::optional<std::string> text = model::readSourceFile(path, diagnostics);
  printDiagnostics(diagnostics, "", err);
  return text;
}

/// The plan from `old_model` (a file, else the start read from the database) to `target`.
struct Planner {
  std::shared_ptr<const model::Schema> old_model;
  std::shared_ptr<const model::Schema> target;
  std::string schema;
  std::string old_label;
  std::string new_label;
  std::vector<std::string> renames;
  std::map<std::string, std::string> backfills;
  std::vector<std::string> ignored_tables;
  bool hint_profile = false;  ///< no --profile: a database deployed with one gets a note (FEL621)

  std::optional<verify::ScriptPair> operator()(const model::Schema* start,
                                               model::Diagnostics& diagnostics) const {
    model::Schema old_side;
    old_side.name = schema;
    if (old_model) {
      old_side = *old_model;
    } else if (start != nullptr) {
      // The database as OLD, without the tables that are not the schema's (alembic_version).
      old_side = *start;
      std::erase_if(old_side.tables, [&](const model::Table& table) {
        return std::find(ignored_tables.begin(), ignored_tables.end(), table.name) != ignored_tables.end();
      });
      std::erase_if(old_side.sequences, [&](const model::Sequence& sequence) {
        return std::find(ignored_tables.begin(), ignored_tables.end(), sequence.owned_by_table) !=
               ignored_tables.end();
      });
    }
    diff::MigrationOptions options;
    options.renames = renames;
    options.backfills = backfills;
    options.schema = schema;
    options.old_schema_absent = !old_model && start == nullptr;
    // Planned from the database itself: its own views are kept, as `diff --old-db` keeps them,
    // so a plan that drops what one reads is refused (FEL610) rather than dropping the view.
    options.old_from_database = !old_model && start != nullptr;
    options.allow_data_loss = true;  // verify runs inside a transaction it rolls back
    options.old_label = old_label;
    options.new_label = new_label;
    if (hint_profile && options.old_from_database) reportProfileHint(*target, *start, diagnostics);
    diff::Migration migration = diff::planMigration(old_side, *target, options);
    diagnostics.append(migration.diagnostics);
    if (migration.refused()) return std::nullopt;
    const diff::Plan& plan = migration.plan;
    return verify::ScriptPair{{"<planned upgrade>", emit::planSql(plan, diff::Direction::Up)},
                              {"<planned downgrade>", emit::planSql(plan, diff::Direction::Down)}};
  }
};

int usage(CommandContext& context, model::DiagId id, std::initializer_list<std::string_view> arguments = {}) {
  report(context.err, id, arguments);
  return kExitUsage;
}

int runVerify(VerifyArgs args, CommandContext& context) {
  bool scripts_mode = !args.upgrade.empty() || !args.downgrade.empty() || !args.target.empty();
  // DB may be left out, as psql's: `verify NEW` connects with the environment.
  DatabaseArguments split =
      splitDatabaseArgument(args.positionals, scripts_mode ? 0 : 1, scripts_mode ? 0 : 2);
  args.database = std::move(split.database);
  args.files = std::move(split.files);
  for (const std::string& file : args.files)
    if (mayHoldPassword(file)) return usage(context, model::DiagId::err_cli_unexpected_arguments, {"verify"});
  if (scripts_mode && (args.upgrade.empty() || args.downgrade.empty() || args.target.empty()))
    return usage(context, model::DiagId::err_cli_options_go_together,
                 {"--upgrade, --downgrade and --target"});
  if (scripts_mode && !args.files.empty())
    return usage(context, model::DiagId::err_cli_not_both,
                 {"either --upgrade/--downgrade/--target", "OLD and NEW files"});
  if (!scripts_mode && (args.files.empty() || args.files.size() > 2))
    return usage(context, model::DiagId::err_verify_inputs);
  if (scripts_mode && (!args.renames.empty() || !args.backfill_file.empty()))
    return usage(context, model::DiagId::err_verify_plan_options);

  Deployment deployment;
  if (int code = loadDeployment(args.profile, deployment, context.err); code != kExitOk) return code;
  const std::string target_spec = scripts_mode ? args.target : args.files.back();
  DeployedModel target = loadDeployedModel(target_spec, deployment, args.schema, context.err);
  if (!target) return kExitUsage;
  DeployedModel old_file;
  if (args.files.size() == 2) {
    old_file = loadDeployedModel(args.files.front(), deployment, args.schema, context.err);
    if (!old_file) return kExitUsage;
  }
  std::shared_ptr<const model::Schema> old_model = old_file.deployed;
  const std::string schema = args.schema.empty() ? target.deployed->name : args.schema;

  verify::Request request;
  request.schema = schema;
  request.ignored_tables = args.ignored_tables;
  request.lock_timeout = args.lock_timeout;
  // A Felis file carries no grants; a profile says what is granted.
  request.compare_grants = deployment.profile.has_value();
  request.target = freshCreate(target, deployment, target_spec);
  if (old_model) request.old = freshCreate(old_file, deployment, args.files.front());
  if (scripts_mode) {
    std::optional<std::string> up = readScript(args.upgrade, context.err);
    std::optional<std::string> down = readScript(args.downgrade, context.err);
    if (!up || !down) return kExitUsage;
    verify::ScriptPair pair{{args.upgrade, *up}, {args.downgrade, *down}};
    request.scripts = [pair](const model::Schema*, model::Diagnostics&) { return std::optional(pair); };
  } else {
    std::optional<std::map<std::string, std::string>> backfills =
        readBackfills(args.backfill_file, context.err);
    if (!backfills) return kExitUsage;
    request.scripts = Planner{old_model,
                              target.deployed,
                              schema,
                              old_model ? args.files.front() : "database schema " + schema,
                              target_spec,
                              args.renames,
                              *backfills,
                              args.ignored_tables,
                              !deployment.profile.has_value()};
  }

  catalog::Error error;
  std::optional<catalog::Connection> connection = catalog::Connection::open(args.database, error);
  if (!connection) {
    report(context.err, model::DiagId::err_db_connect, {error.message});
    return kExitUsage;
  }
  // A schema named with --schema must be there: verifying a misspelling would
  // plan from nothing and prove a fresh create "exact".
  if (model::Diagnostics missing;
      !args.schema.empty() && !checkSchemaInDatabase(*connection, args.schema, missing)) {
    printDiagnostics(missing, "", context.err);
    return kExitUsage;
  }
  verify::Outcome outcome = verify::run(*connection, request);
  printDiagnostics(outcome.diagnostics, "", context.err);
  if (outcome.diagnostics.hasErrors() && !outcome.report.failure) return kExitUsage;
  std::string text =
      args.format == "json" ? verify::reportJson(outcome.report) : verify::reportText(outcome.report);
  if (!writeOutput(args.output, text, context.out, context.err)) return kExitUsage;
  return outcome.report.exact() ? kExitOk : kExitFindings;
}

}  // namespace

void registerVerify(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* command = app.add_subcommand(
      "verify",
      "Prove a migration on a live database without leaving a trace: in one transaction, apply the upgrade, "
      "check the catalog equals a fresh create of the target, apply the downgrade, check it equals the "
      "start, "
      "then ROLLBACK. The scripts are --upgrade/--downgrade files (felisc diff or alembic --sql output), or "
      "the plan from OLD (default: the database itself) to NEW. Exit 0 when both directions are exact, 1 "
      "when "
      "not or when a statement fails, 2 on usage, input or connection errors.");
  command
      ->add_option("args", args->positionals,
                   "DB: libpq conninfo string, postgresql:// URI or SQLAlchemy URL; left out (or \"\"): "
                   "$FELIS_ENGINE_URL, else $CONSDB_URL, else the PG* environment, as psql. [OLD] NEW: Felis "
                   "files or REV:PATH; OLD defaults to the database")
      ->type_name("[DB] [OLD] NEW");
  command->add_option("--upgrade", args->upgrade, "the upgrade script to verify")->type_name("FILE");
  command->add_option("--downgrade", args->downgrade, "its downgrade script")->type_name("FILE");
  command->add_option("--target", args->target, "the Felis file the upgrade leads to")->type_name("NEW.yaml");
  command->add_option("--schema", args->schema, "the schema in the database; default: the target file's")
      ->type_name("NAME");
  command
      ->add_option("--profile", args->profile,
                   "deployment profile: the target (and OLD) as deployed, views, extra columns and grants "
                   "included; grants are then compared too")
      ->type_name("FILE");
  command->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command->add_option("-o,--output", args->output, "write the report to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  command
      ->add_option("--ignore-table", args->ignored_tables,
                   "a table left out of the comparisons (repeatable; replaces the default alembic_version)")
      ->type_name("NAME")
      ->capture_default_str();
  command->add_option("--rename", args->renames, "rename hint for the plan, as in felisc diff (repeatable)")
      ->type_name("HINT");
  command->add_option("--backfill", args->backfill_file, "backfill SQL for the plan, as in felisc diff")
      ->type_name("FILE");
  command
      ->add_option(
          "--lock-timeout", args->lock_timeout,
          "give up when a lock is not granted within this time (PostgreSQL interval; 0: wait forever)")
      ->type_name("DURATION")
      ->capture_default_str();
  command->callback([args, &context] { context.exit_code = runVerify(*args, context); });
}

}  // namespace felisc::cli
