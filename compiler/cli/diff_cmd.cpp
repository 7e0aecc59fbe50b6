// `felisc diff OLD NEW`: the migration between two schema versions, as SQL, a
// review text or JSON, upgrade or downgrade of one plan.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/cli/alembic_revisions.h"
#include "compiler/cli/cli.h"
#include "compiler/cli/commands.h"
#include "compiler/cli/deployment.h"
#include "compiler/cli/inputs.h"
#include "compiler/cli/migration_report.h"
#include "compiler/cli/output.h"
#include "compiler/cli/schema_source.h"
#include "compiler/cli/tap.h"
#include "diff_engine/migration.h"
#include "diff_engine/planner.h"
#include "emitters/alembic/revision.h"
#include "emitters/plan_json.h"
#include "emitters/plan_markdown.h"
#include "emitters/plan_sql.h"
#include "emitters/plan_text.h"

namespace felisc::cli {

namespace {

struct DiffArgs {
  std::string old_spec;
  std::string new_spec;
  std::string old_db;
  std::string new_db;
  std::string schema;
  std::string format = "sql";
  std::string direction = "up";
  std::string output;
  std::string down_output;
  std::string backfill_file;
  std::string profile;
  std::vector<std::string> renames;
  bool allow_data_loss = false;
  bool id_generation = true;
  bool strict = false;
  bool exit_code = false;    ///< --exit-code: 1 when there are changes, as git diff --exit-code
  std::string alembic_dir;   ///< --alembic-dir: the revision goes to its versions/
  std::string head;          ///< --head: the head to chain onto when versions/ has several
  bool new_history = false;  ///< --new-history: a missing versions/ starts a history
  RevisionArgs revision;
  bool online = false;
  std::string lock_timeout = kDefaultLockTimeout;
  std::string statement_timeout = "off";
  bool tap = false;       ///< --tap: the TAP_SCHEMA change instead of the schema's (tap_cmd.cpp)
  bool with_tap = false;  ///< --with-tap: the TAP_SCHEMA change inside the migration's transaction
  TapArgs tap_args;
};

/// Loads one side: a database when `conninfo` is set, else a Felis file or REV:PATH.
cli::LoadedSchema loadSide(const std::string& spec, const std::string& conninfo, const std::string& schema,
                           const DiffArgs& args) {
  if (!conninfo.empty()) return cli::loadDatabaseSide(conninfo, schema);
  felis::ReadOptions options;
  options.id_generation = args.id_generation;
  options.strict_felis = false;  // old files load with warnings where PostgreSQL accepts them
  return cli::loadFelisSide(spec, options);
}

std::string render(const diff::Plan& plan, diff::Direction direction, const DiffArgs& args) {
  if (args.format == "text") return emit::planText(plan, direction);
  if (args.format == "json") return emit::planJson(plan, direction);
  emit::SqlOptions options;
  options.lock_timeout = timeoutSetting(args.lock_timeout);
  options.statement_timeout = timeoutSetting(args.statement_timeout);
  if (args.format == "markdown") {
    emit::MarkdownOptions markdown;
    markdown.sql = options;
    return emit::planMarkdown(plan, direction, markdown);
  }
  return emit::planSql(plan, direction, options);
}

/// `--format alembic`: the revision into --alembic-dir's versions/ (chained onto
/// its head; the path is printed), or to -o / stdout as a first revision.
int writeAlembic(const diff::Plan& plan, const model::Schema& old_schema, const model::Schema& new_schema,
                 const DiffArgs& args, CommandContext& context) {
  if (plan.empty()) {
    context.err << "felisc: no change to schema " << plan.schema << "; no revision written\n";
    return kExitOk;
  }
  std::optional<std::string> date = resolveCreateDate(args.revision.create_date, context.err);
  if (!date) return kExitUsage;
  alembic::AlembicOptions options;
  options.message = args.revision.message.empty() ? alembic::defaultRevisionMessage(old_schema, new_schema)
                                                  : args.revision.message;
  options.revision_id = args.revision.rev_id;
  options.create_date = *date;
  options.preamble = lockTimeoutPreamble(timeoutSetting(args.lock_timeout));
  if (args.alembic_dir.empty()) {
    std::string text = alembic::alembicRevision(plan, options).text;
    if (!writeOutput(args.output, text, context.out, context.err)) return kExitUsage;
    return args.exit_code ? kExitFindings : kExitOk;
  }
  std::error_code error;
  if (!std::filesystem::is_directory(args.alembic_dir, error)) {
    context.err << "felisc: error: --alembic-dir '" << args.alembic_dir << "' is not a directory\n";
    return kExitUsage;
  }
  RevisionTarget target;
  target.versions_dir = (std::filesystem::path(args.alembic_dir) / "versions").string();
  target.head = args.head;
  target.new_history = args.new_history;
  std::optional<PendingRevision> pending = prepareRevision(plan, target, options, context.err);
  if (!pending) return kExitUsage;
  if (!pending->already_in.empty()) {
    context.err << "felisc: revision " << pending->already_revision << " already carries this change ("
                << pending->already_in << "); nothing written\n";
    context.out << pending->already_in << '\n';
    return args.exit_code ? kExitFindings : kExitOk;
  }
  if (!writeRevisions({*pending}, context.err)) return kExitUsage;
  context.out << pending->path << '\n';
  return args.exit_code ? kExitFindings : kExitOk;
}

int runDiff(DiffArgs args, CommandContext& context) {
  bool old_from_db = !args.old_db.empty();
  bool new_from_db = !args.new_db.empty();
  if ((old_from_db ? 0 : 1) + (new_from_db ? 0 : 1) !=
      (args.old_spec.empty() ? 0 : 1) + (args.new_spec.empty() ? 0 : 1)) {
    context.err << "felisc: error: give OLD and NEW as files (or REV:PATH), or replace either with "
                   "--old-db/--new-db\n";
    return kExitUsage;
  }
  const bool alembic = args.format == "alembic";
  if (!alembic && (!args.alembic_dir.empty() || !args.revision.message.empty() || !args.head.empty() ||
                   args.new_history || !args.revision.rev_id.empty() || !args.revision.create_date.empty())) {
    context.err << "felisc: error: --alembic-dir, -m, --rev-id and --create-date go with --format alembic\n";
    return kExitUsage;
  }
  if (alembic && (args.direction != "up" || !args.down_output.empty())) {
    context.err << "felisc: error: an Alembic revision holds both directions: drop --direction and "
                   "--down-output\n";
    return kExitUsage;
  }
  if (alembic && !args.revision.rev_id.empty() && !checkRevisionId(args.revision.rev_id, context.err))
    return kExitUsage;
  if (alembic && !args.alembic_dir.empty() && !args.output.empty()) {
    context.err << "felisc: error: give --alembic-dir or -o, not both\n";
    return kExitUsage;
  }
  // With a database side, positional arguments fill the file sides in order.
  if (old_from_db && !args.old_spec.empty()) std::swap(args.old_spec, args.new_spec);

  std::optional<std::map<std::string, std::string>> backfills =
      readBackfills(args.backfill_file, context.err);
  if (!backfills) return kExitUsage;

  cli::LoadedSchema old_side;
  cli::LoadedSchema new_side;
  if (!old_from_db) old_side = loadSide(args.old_spec, "", "", args);
  if (!new_from_db) new_side = loadSide(args.new_spec, "", "", args);
  // A database side reads --schema, else the schema the file side names.
  auto schemaFor = [&](const cli::LoadedSchema& other) {
    if (!args.schema.empty()) return args.schema;
    return other.schema ? other.schema->name : std::string();
  };
  if (old_from_db) old_side = loadSide("", args.old_db, schemaFor(new_side), args);
  if (new_from_db) new_side = loadSide("", args.new_db, schemaFor(old_side), args);
  context.err << old_side.rendered_diagnostics << new_side.rendered_diagnostics;
  if (!old_side.schema || !new_side.schema) {
    if ((old_from_db || new_from_db) && args.schema.empty() && !(old_side.schema || new_side.schema))
      context.err << "felisc: error: name the database schema with --schema\n";
    return kExitUsage;  // unreadable or invalid input
  }

  if (args.profile.empty() && old_from_db != new_from_db) {
    const cli::LoadedSchema& file = old_from_db ? new_side : old_side;
    const cli::LoadedSchema& database = old_from_db ? old_side : new_side;
    for (const std::string& hint : profileHint(*file.schema, *database.schema)) context.err << hint;
  }
  // TODO(lead): a catalogue warning (FEL620) once diagnostic_kinds.def can change.
  if (!old_from_db && !new_from_db && old_side.schema->name != new_side.schema->name)
    context.err << "felisc: warning: the sides are different schemas, '" << old_side.schema->name
                << "' (old) and '" << new_side.schema->name << "' (new): the plan drops what only '"
                << old_side.schema->name << "' has, under the name '" << new_side.schema->name
                << "'; is this the pair you meant?\n";
  if ((args.tap || args.with_tap) && args.format != "sql") {
    context.err << "felisc: error: --tap and --with-tap write SQL: drop --format\n";
    return kExitUsage;
  }
  if (args.tap)
    return runTapDiff(old_side, new_side, args.tap_args, args.direction == "down", args.output,
                      args.down_output, context);

  if (!args.profile.empty()) {
    int code = deployDiffSides(args.profile, {old_side, args.old_db}, {new_side, args.new_db}, context.err);
    if (code != kExitOk) return code;
  }

  diff::MigrationOptions options;
  options.renames = args.renames;
  options.backfills = *backfills;
  options.old_from_database = old_from_db;  // a deployment's own views survive the migration
  options.online = args.online;
  options.strict = args.strict;
  options.allow_data_loss = args.allow_data_loss;
  options.old_label = old_side.label;
  options.new_label = new_side.label;
  diff::Migration migration = diff::planMigration(*old_side.schema, *new_side.schema, options);
  if (int code = reportMigration(migration, "", context.err); code != kExitOk) return code;
  const diff::Plan& plan = migration.plan;
  for (const diff::BackfillSlot& slot : migration.missing_backfills)
    context.err << "felisc: warning: no backfill for " << slot.table << '.' << slot.column
                << ": the upgrade stops if the table holds rows; give one with --backfill\n";

  if (alembic) return writeAlembic(plan, *old_side.schema, *new_side.schema, args, context);

  diff::Direction direction = args.direction == "down" ? diff::Direction::Down : diff::Direction::Up;
  std::string text = render(plan, direction, args);
  std::string down_text;
  if (!args.down_output.empty()) down_text = render(plan, diff::Direction::Down, args);
  bool tap_changes = false;
  if (args.with_tap) {
    std::optional<std::string> tap = tapChangeStatements(old_side, new_side, args.tap_args,
                                                         direction == diff::Direction::Down, context.err);
    std::optional<std::string> tap_down =
        tapChangeStatements(old_side, new_side, args.tap_args, true, context.err);
    if (!tap || !tap_down) return kExitUsage;
    tap_changes = !tap->empty();
    text = withTapStatements(text, *tap);
    if (!args.down_output.empty()) down_text = withTapStatements(down_text, *tap_down);
  }
  if (!writeOutput(args.output, text, context.out, context.err)) return kExitUsage;
  if (!args.down_output.empty() && !writeFileAtomically(args.down_output, down_text, context.err))
    return kExitUsage;
  return args.exit_code && (!plan.empty() || tap_changes) ? kExitFindings : kExitOk;
}

}  // namespace

void registerDiff(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* command = app.add_subcommand(
      "diff",
      "Plan the migration from OLD to NEW and write its upgrade (or downgrade) as SQL, a review text or "
      "JSON. "
      "Each side is a Felis file, REV:PATH from the enclosing git repository (e.g. "
      "main:yml/cdb_latiss.yaml), "
      "or a live database (--old-db/--new-db). Exit status: 0 done (1 with --exit-code when there are "
      "changes), 2 usage or input error, 3 the upgrade would lose data and --allow-data-loss is not given, 4 "
      "version.current not bumped enough under --strict.");
  command->add_option("old", args->old_spec, "the schema before: FILE or REV:PATH")->type_name("OLD");
  command->add_option("new", args->new_spec, "the schema after: FILE or REV:PATH")->type_name("NEW");
  command
      ->add_option("--old-db", args->old_db, "read the old side from this database (libpq conninfo or URI)")
      ->type_name("CONNINFO");
  command
      ->add_option("--new-db", args->new_db, "read the new side from this database (libpq conninfo or URI)")
      ->type_name("CONNINFO");
  command
      ->add_option("--profile", args->profile,
                   "deployment profile: diff the schemas as deployed (views over tables, extra columns, "
                   "grants); a database side is checked against it")
      ->type_name("FILE");
  command->add_option("--schema", args->schema, "schema name in the database(s); default: the file's")
      ->type_name("NAME");
  command
      ->add_option("--format", args->format,
                   "sql, text (for review), markdown (for a pull-request comment), json, or alembic (a "
                   "revision file)")
      ->check(CLI::IsMember({"sql", "text", "markdown", "json", "alembic"}))
      ->capture_default_str();
  command->add_option("--direction", args->direction, "up (the upgrade) or down (its downgrade)")
      ->check(CLI::IsMember({"up", "down"}))
      ->capture_default_str();
  command->add_option("-o,--output", args->output, "write to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  command->add_option("--down-output", args->down_output, "also write the downgrade to FILE")
      ->type_name("FILE");
  command
      ->add_option("--rename", args->renames,
                   "rename hint: OLD=NEW for a table, TABLE.OLD=NEW for a column (repeatable)")
      ->type_name("HINT");
  command
      ->add_option(
          "--backfill", args->backfill_file,
          "SQL file of '-- backfill: table.column' sections: what fills existing rows before SET NOT NULL")
      ->type_name("FILE");
  command
      ->add_option("--alembic-dir", args->alembic_dir,
                   "with --format alembic: write the revision into DIR/versions/, chained onto its head, "
                   "and print its path")
      ->type_name("DIR");
  command
      ->add_option("--head", args->head,
                   "with --alembic-dir: the head to chain onto when versions/ has several (branches)")
      ->type_name("REV");
  command->add_flag(
      "--new-history", args->new_history,
      "with --alembic-dir: a missing DIR/versions/ is created and the revision starts a history");
  command
      ->add_option("-m,--message", args->revision.message,
                   "the revision's message (default: from the versions)")
      ->type_name("MSG");
  command
      ->add_option("--rev-id", args->revision.rev_id, "the revision id (default: derived from the content)")
      ->type_name("ID");
  command
      ->add_option("--create-date", args->revision.create_date,
                   "the revision's Create Date, UTC (default: $SOURCE_DATE_EPOCH, else now)")
      ->type_name("'YYYY-MM-DD HH:MM:SS'");
  command->add_flag("--allow-data-loss", args->allow_data_loss,
                    "emit drops of tables and columns and narrowing type changes");
  command->add_flag("--strict", args->strict,
                    "a version.current bumped less than the changes need (see the compatibility line) is an "
                    "error: exit 4, nothing written");
  command->add_flag("--exit-code", args->exit_code,
                    "exit 1 when there are changes (as git diff --exit-code); without it 0 on success");
  command->add_flag("--online", args->online,
                    "plan for a live database: indexes built and dropped CONCURRENTLY outside the "
                    "transaction, constraints added NOT VALID then validated, SET NOT NULL through a "
                    "validated check; the script is then not atomic");
  const CLI::Validator duration([](std::string& text) { return durationError(text); }, "DURATION");
  command
      ->add_option("--lock-timeout", args->lock_timeout,
                   "lock_timeout set at the top of the SQL script: how long a statement waits for a lock "
                   "before the script fails (0 or off: not set)")
      ->check(duration)
      ->capture_default_str();
  command
      ->add_option(
          "--statement-timeout", args->statement_timeout,
          "statement_timeout set at the top of the SQL script, for --online runs (0 or off: not set)")
      ->check(duration)
      ->capture_default_str();
  command->add_flag("!--no-id-generation", args->id_generation,
                    "do not generate missing @ids (every object then needs one)");
  command->add_flag("--tap", args->tap,
                    "write the TAP_SCHEMA change instead (INSERT, UPDATE, DELETE of the rows felis's "
                    "load-tap-schema gives each side), as a script of its own; see README, 'TAP_SCHEMA'");
  command->add_flag("--with-tap", args->with_tap,
                    "also change the TAP_SCHEMA rows, inside the migration's transaction (when TAP_SCHEMA "
                    "lives beside the schema; SQL output only)");
  addTapOptions(command, args->tap_args);
  command->callback([args, &context] { context.exit_code = runDiff(*args, context); });
}

}  // namespace felisc::cli
