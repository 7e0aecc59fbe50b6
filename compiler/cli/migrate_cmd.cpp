// `felisc migrate`: the Alembic revisions of a whole sdm_schemas change, one per
// ConsDB schema that changed between a git revision and the working tree.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "compiler/cli/alembic_revisions.h"
#include "compiler/cli/cli.h"
#include "compiler/cli/commands.h"
#include "compiler/cli/output.h"
#include "compiler/cli/profile.h"
#include "compiler/cli/schema_source.h"
#include "compiler/cli/tap.h"
#include "diff_engine/differ.h"
#include "diff_engine/planner.h"
#include "emitters/alembic/revision.h"
#include "emitters/plan_markdown.h"
#include "schema_model/profile.h"

namespace felisc::cli {

namespace {

namespace fs = std::filesystem;

struct MigrateArgs {
  std::string sdm_schemas;
  std::string base;
  std::string alembic_dir;
  bool dry_run = false;
  bool allow_data_loss = false;
  bool id_generation = true;
  std::string profile;
  RevisionArgs revision;
  std::string tap_dir;  ///< --tap-dir: TAP_SCHEMA upgrade/downgrade scripts go here (tap_cmd.cpp)
  TapArgs tap_args;
  std::string format = "text";  ///< of the summary: text or markdown
};

/// One ConsDB schema file (`yml/cdb_<name>.yaml`) across the change.
struct SchemaChange {
  enum class Kind : std::uint8_t { Changed, Added, Unchanged, Removed };
  std::string stem;  ///< "cdb_latiss"
  Kind kind = Kind::Unchanged;
  std::shared_ptr<const model::Schema> old_schema;
  std::shared_ptr<const model::Schema> new_schema;
  std::string old_text;  ///< the Felis texts, for the TAP_SCHEMA rows (--tap-dir)
  std::string new_text;
  diff::Plan plan;
  std::optional<PendingRevision> pending;
};

bool isConsdbSchemaFile(const std::string& file_name) {
  return file_name.starts_with("cdb_") && file_name.ends_with(".yaml") && file_name.size() > 9;
}

std::string stemOf(const std::string& file_name) { return file_name.substr(0, file_name.size() - 5); }

/// The Alembic directory of a schema: `cdb_latiss` -> `latiss`.
std::string alembicName(const std::string& stem) { return stem.substr(4); }

std::string versionOf(const std::shared_ptr<const model::Schema>& schema) {
  return schema && schema->version ? schema->version->current : std::string();
}

/// `model` as the deployment holds it: realized with the profile, when there is
/// one. Null (after reporting) when the profile cannot realize it.
std::shared_ptr<const model::Schema> deployed(const std::shared_ptr<const model::Schema>& model,
                                              const LoadedProfile& profile, const std::string& profile_path,
                                              std::ostream& err) {
  if (!profile.profile) return model;
  model::Diagnostics diagnostics;
  model::Schema realized = model::realize(*model, *profile.profile, diagnostics);
  err << renderWithSources(diagnostics, {{profile_path, profile.source_text}});
  if (diagnostics.hasErrors()) return nullptr;
  return std::make_shared<const model::Schema>(std::move(realized));
}

/// The plan between two models, both as a database holds them (realized with the
/// profile beforehand). Null when a side cannot be realized.
std::optional<diff::Plan> planChange(const std::shared_ptr<const model::Schema>& old_schema,
                                     const std::shared_ptr<const model::Schema>& new_schema, bool old_absent,
                                     const std::string& old_label, const std::string& new_label,
                                     const LoadedProfile& profile, const std::string& profile_path,
                                     std::ostream& err) {
  // An added schema has no old side to realize: its views come with the new side.
  std::shared_ptr<const model::Schema> old_deployed =
      old_absent ? old_schema : deployed(old_schema, profile, profile_path, err);
  std::shared_ptr<const model::Schema> new_deployed = deployed(new_schema, profile, profile_path, err);
  if (!old_deployed || !new_deployed) return std::nullopt;
  diff::DiffOptions options;
  options.old_schema_absent = old_absent;
  options.old_label = old_label;
  options.new_label = new_label;
  diff::ChangeSet changes = diff::diffSchemas(*old_deployed, *new_deployed, options);
  printDiagnostics(changes.diagnostics, "", err);
  return diff::plan(changes);
}

/// The cdb_*.yaml stems of the working tree and of the base revision.
bool listSchemas(const MigrateArgs& args, std::set<std::string>& in_tree, std::set<std::string>& at_base,
                 std::ostream& err) {
  std::error_code error;
  const fs::path yml = fs::path(args.sdm_schemas) / "yml";
  if (!fs::is_directory(yml, error)) {
    err << "felisc: error: '" << yml.string() << "' is not a directory (give the sdm_schemas checkout with "
        << "--sdm-schemas)\n";
    return false;
  }
  for (fs::directory_iterator it(yml, error); !error && it != fs::directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (isConsdbSchemaFile(name) && it->is_regular_file()) in_tree.insert(stemOf(name));
  }
  std::string git_error;
  auto files = cli::listFilesAtRevision(args.sdm_schemas, args.base, "yml", git_error);
  if (!files) {
    model::Diagnostics diagnostics;
    diagnostics.report(model::DiagId::err_migrate_git, "", {}, {args.sdm_schemas, args.base, git_error});
    printDiagnostics(diagnostics, "", err);
    return false;
  }
  for (const std::string& file : *files) {
    const std::string name = fs::path(file).filename().string();
    if (file == "yml/" + name && isConsdbSchemaFile(name)) at_base.insert(stemOf(name));
  }
  if (in_tree.empty() && at_base.empty()) {
    model::Diagnostics diagnostics;
    diagnostics.report(model::DiagId::err_migrate_no_schemas, "", {}, {args.sdm_schemas, args.base});
    printDiagnostics(diagnostics, "", err);
    return false;
  }
  return true;
}

/// Reads both sides of every schema; false (after reporting) when one fails.
bool loadSchemas(const MigrateArgs& args, std::vector<SchemaChange>& changes, int& exit_code,
                 std::ostream& err) {
  std::set<std::string> in_tree;
  std::set<std::string> at_base;
  if (!listSchemas(args, in_tree, at_base, err)) {
    exit_code = kExitUsage;
    return false;
  }
  std::set<std::string> all = in_tree;
  all.insert(at_base.begin(), at_base.end());
  felis::ReadOptions options;
  options.id_generation = args.id_generation;
  options.strict_felis = false;
  bool ok = true;
  bool io_error = false;
  for (const std::string& stem : all) {
    SchemaChange change;
    change.stem = stem;
    const std::string path = "yml/" + stem + ".yaml";
    auto load = [&](cli::LoadedSchema side, std::shared_ptr<const model::Schema>& into, std::string& text) {
      err << side.rendered_diagnostics;
      ok = ok && side.schema != nullptr;
      io_error = io_error || side.io_error;
      into = side.schema;
      text = std::move(side.source_text);
    };
    if (at_base.contains(stem))
      load(cli::loadFelisAtRevision(args.sdm_schemas, args.base, path, options), change.old_schema,
           change.old_text);
    if (in_tree.contains(stem))
      load(cli::loadFelisSide((fs::path(args.sdm_schemas) / path).string(), options), change.new_schema,
           change.new_text);
    changes.push_back(std::move(change));
  }
  if (!ok) exit_code = io_error ? kExitUsage : kExitFindings;
  return ok;
}

/// Plans every schema and classifies it; false when a schema cannot be planned
/// (the profile cannot realize a side).
bool planAll(const MigrateArgs& args, const LoadedProfile& profile, std::vector<SchemaChange>& changes,
             std::ostream& err) {
  bool ok = true;
  for (SchemaChange& change : changes) {
    const std::string path = "yml/" + change.stem + ".yaml";
    if (!change.new_schema) {
      change.kind = SchemaChange::Kind::Removed;
      continue;
    }
    auto nothing = std::make_shared<model::Schema>();
    nothing->name = change.new_schema->name;
    const bool added = !change.old_schema;
    std::optional<diff::Plan> plan =
        planChange(added ? nothing : change.old_schema, change.new_schema, added,
                   added ? "(none)" : args.base + ":" + path, path, profile, args.profile, err);
    if (!plan) {
      ok = false;
      continue;
    }
    change.plan = std::move(*plan);
    if (added)
      change.kind = SchemaChange::Kind::Added;
    else
      change.kind = change.plan.empty() ? SchemaChange::Kind::Unchanged : SchemaChange::Kind::Changed;
  }
  return ok;
}

bool reportDataLoss(const std::vector<SchemaChange>& changes, std::ostream& err) {
  bool any = false;
  for (const SchemaChange& change : changes) {
    for (const diff::Step* step : change.plan.dataLossSteps(diff::Direction::Up)) {
      if (!any)
        err << "felisc: error: these upgrades lose data; nothing was written. Review them and pass "
               "--allow-data-loss to write the revisions:\n";
      any = true;
      err << "  " << change.stem << ": " << diff::describe(step->change) << '\n';
    }
  }
  return any;
}

/// Every revision of the run, or false when one cannot be made.
bool prepareAll(const MigrateArgs& args, const std::string& create_date, std::vector<SchemaChange>& changes,
                std::ostream& err) {
  bool ok = true;
  for (SchemaChange& change : changes) {
    if (change.kind != SchemaChange::Kind::Changed && change.kind != SchemaChange::Kind::Added) continue;
    for (const diff::BackfillSlot& slot : change.plan.missingBackfills(diff::Direction::Up))
      err << "felisc: warning: " << change.stem << ": no backfill for " << slot.table << '.' << slot.column
          << ": the upgrade stops if the table holds NULLs there; edit the revision's marked backfill\n";
    alembic::AlembicOptions options;
    options.message =
        args.revision.message.empty()
            ? alembic::defaultRevisionMessage(change.old_schema ? *change.old_schema : model::Schema{},
                                              *change.new_schema, !change.old_schema)
            : args.revision.message;
    options.create_date = create_date;
    options.preamble = lockTimeoutPreamble(kDefaultLockTimeout);
    const std::string versions =
        (fs::path(args.alembic_dir) / alembicName(change.stem) / "versions").string();
    change.pending = prepareRevision(change.plan, versions, options, err);
    ok = ok && change.pending.has_value();
  }
  return ok;
}

void printSummary(const MigrateArgs& args, const std::vector<SchemaChange>& changes, std::ostream& out) {
  out << "felisc migrate: yml/cdb_*.yaml at " << args.base << " -> working tree of " << args.sdm_schemas
      << (args.dry_run ? " (dry run: nothing written)" : "") << '\n';
  std::size_t revisions = 0;
  std::vector<std::string> unchanged;
  for (const SchemaChange& change : changes) {
    const std::string steps =
        std::to_string(change.plan.up.size()) + (change.plan.up.size() == 1 ? " step" : " steps");
    const std::string target =
        change.pending ? (args.dry_run ? " -> would write " : " -> ") + change.pending->path : "";
    switch (change.kind) {
      case SchemaChange::Kind::Changed: {
        std::string from = versionOf(change.old_schema);
        std::string to = versionOf(change.new_schema);
        std::string versions = !from.empty() && !to.empty() && from != to ? ", " + from + " -> " + to : "";
        out << "  changed    " << change.stem << " (" << steps << versions << ")" << target << '\n';
        ++revisions;
        break;
      }
      case SchemaChange::Kind::Added: {
        std::string to = versionOf(change.new_schema);
        out << "  added      " << change.stem << " (" << steps << (to.empty() ? "" : ", " + to) << ")"
            << target << '\n';
        ++revisions;
        break;
      }
      case SchemaChange::Kind::Removed:
        out << "  removed    " << change.stem
            << ": no revision written; drop its schema by hand if it goes\n";
        break;
      case SchemaChange::Kind::Unchanged: unchanged.push_back(change.stem); break;
    }
  }
  if (!unchanged.empty()) {
    out << "  unchanged ";
    for (const auto& stem : unchanged) out << ' ' << stem;
    out << '\n';
  }
  out << revisions << (revisions == 1 ? " revision" : " revisions")
      << (args.dry_run ? " to write" : " written") << ", " << unchanged.size() << " unchanged\n";
}

/// --tap-dir: `<dir>/<stem>.tap.up.sql` and `.tap.down.sql` for every schema whose
/// TAP_SCHEMA rows change (also one whose plan is empty); false on an error.
bool prepareTapScripts(const MigrateArgs& args, const std::vector<SchemaChange>& changes,
                       std::vector<std::pair<std::string, std::string>>& files, std::ostream& err) {
  bool ok = true;
  for (const SchemaChange& change : changes) {
    if (!change.new_schema) continue;
    const std::string path = "yml/" + change.stem + ".yaml";
    TapVersions versions{change.old_schema.get(), change.old_text, args.base + ":" + path,
                         change.new_schema.get(), change.new_text, path};
    std::optional<std::pair<std::string, std::string>> scripts =
        tapMigrationScripts(versions, args.tap_args, err);
    if (!scripts) {
      ok = false;
      continue;
    }
    if (scripts->first.empty()) continue;
    const fs::path base = fs::path(args.tap_dir) / change.stem;
    files.emplace_back(base.string() + ".tap.up.sql", scripts->first);
    files.emplace_back(base.string() + ".tap.down.sql", scripts->second);
  }
  return ok;
}

/// The summary as Markdown for a pull-request comment: a table of the schemas,
/// then each changed schema's review (plan_markdown.h), the comment's 65,536
/// characters shared between them.
void printMarkdownSummary(const MigrateArgs& args, const std::vector<SchemaChange>& changes,
                          std::ostream& out) {
  std::string text = "### felisc migrate: yml/cdb\\_\\*.yaml at " + emit::markdownEscape(args.base) +
                     " -> working tree" + (args.dry_run ? " (dry run: nothing written)" : "") +
                     "\n\n| Schema | Change | Steps | Version | Revision |\n|---|---|--:|---|---|\n";
  std::size_t planned = 0;
  for (const SchemaChange& change : changes) {
    static constexpr const char* kKinds[] = {"changed", "added", "unchanged", "removed"};
    std::string from = versionOf(change.old_schema);
    std::string to = versionOf(change.new_schema);
    std::string version = from == to ? to : (from.empty() ? "" : from + " -> ") + to;
    // Relative to --alembic-dir: the same in every checkout.
    std::string revision =
        change.pending
            ? "`" + fs::path(change.pending->path).lexically_relative(args.alembic_dir).string() + "`"
            : "";
    if (change.kind == SchemaChange::Kind::Removed) revision = "none: drop its schema by hand if it goes";
    text += "| `" + change.stem + "` | " + kKinds[static_cast<int>(change.kind)] + " | " +
            std::to_string(change.plan.up.size()) + " | " + emit::markdownEscape(version) + " | " + revision +
            " |\n";
    planned += change.pending ? 1 : 0;
  }
  emit::MarkdownOptions options;
  options.sql.lock_timeout = kDefaultLockTimeout;
  options.limit =
      planned == 0 ? options.limit : (options.limit - std::min(options.limit, text.size())) / planned;
  for (const SchemaChange& change : changes) {
    if (!change.pending) continue;
    options.title = change.stem;
    text += "\n" + emit::planMarkdown(change.plan, diff::Direction::Up, options);
  }
  out << text;
}

int runMigrate(const MigrateArgs& args, CommandContext& context) {
  std::vector<SchemaChange> changes;
  int exit_code = kExitOk;
  LoadedProfile profile;
  if (!args.profile.empty()) {
    profile = loadProfile(args.profile, context.err);
    if (!profile.profile) return profile.exit_code;
  }
  if (!loadSchemas(args, changes, exit_code, context.err)) return exit_code;
  if (!planAll(args, profile, changes, context.err)) return kExitFindings;
  if (!args.allow_data_loss && reportDataLoss(changes, context.err)) return kExitDataLoss;
  std::optional<std::string> date = resolveCreateDate(args.revision.create_date, context.err);
  if (!date) return kExitUsage;
  // Every revision is computed before any is written: an error leaves nothing behind.
  if (!prepareAll(args, *date, changes, context.err)) return kExitUsage;
  std::vector<std::pair<std::string, std::string>> tap_files;
  if (!args.tap_dir.empty() && !prepareTapScripts(args, changes, tap_files, context.err))
    return kExitFindings;
  if (!args.dry_run && !tap_files.empty()) {
    std::error_code error;
    fs::create_directories(args.tap_dir, error);
    for (const auto& [path, text] : tap_files)
      if (!writeFileAtomically(path, text, context.err)) return kExitUsage;
  }
  if (!args.dry_run) {
    std::vector<PendingRevision> pending;
    for (const SchemaChange& change : changes)
      if (change.pending) pending.push_back(*change.pending);
    if (!writeRevisions(pending, context.err)) return kExitUsage;
  }
  if (args.format == "markdown") {
    printMarkdownSummary(args, changes, context.out);
  } else {
    printSummary(args, changes, context.out);
    for (const auto& [path, text] : tap_files)
      context.out << "  TAP_SCHEMA " << (args.dry_run ? "would write " : "") << path << '\n';
  }
  return kExitOk;
}

}  // namespace

void registerMigrate(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<MigrateArgs>();
  CLI::App* command = app.add_subcommand(
      "migrate",
      "Write the Alembic revisions of an sdm_schemas change: every yml/cdb_*.yaml at git revision --base is "
      "compared with the working tree, and each schema that changed gets one revision in "
      "<alembic-dir>/<name>/versions/ (cdb_latiss -> latiss), chained onto that directory's head. Every "
      "revision is computed before any is written. Exit status: 0 done, 1 invalid schema files, 2 usage or "
      "I/O error, 3 an upgrade would lose data and --allow-data-loss is not given.");
  command->add_option("--sdm-schemas", args->sdm_schemas, "the sdm_schemas checkout (a git working tree)")
      ->required()
      ->type_name("DIR");
  command->add_option("--base", args->base, "the git revision to compare with (e.g. main)")
      ->required()
      ->type_name("REV");
  command->add_option("--alembic-dir", args->alembic_dir, "ConsDB's alembic/ directory")
      ->required()
      ->type_name("DIR");
  command
      ->add_option("--profile", args->profile,
                   "deployment profile: plan each schema as deployed (views over tables, extra columns, "
                   "grants), both sides realized with it")
      ->type_name("FILE");
  command->add_flag("--dry-run", args->dry_run, "show what would be written; write nothing");
  command
      ->add_option("--format", args->format,
                   "the summary: text, or markdown (the reviews of the changes, for a pull-request comment)")
      ->check(CLI::IsMember({"text", "markdown"}))
      ->capture_default_str();
  command
      ->add_option("-m,--message", args->revision.message,
                   "the message of every revision (default: from "
                   "the versions, e.g. 'cdb_latiss 3.2.0 -> 3.3.0')")
      ->type_name("MSG");
  command
      ->add_option("--create-date", args->revision.create_date,
                   "the revisions' Create Date, UTC (default: $SOURCE_DATE_EPOCH, else now)")
      ->type_name("'YYYY-MM-DD HH:MM:SS'");
  command->add_flag("--allow-data-loss", args->allow_data_loss,
                    "write revisions that drop tables or columns or narrow types");
  command->add_flag("!--no-id-generation", args->id_generation,
                    "do not generate missing @ids (every object then needs one)");
  command
      ->add_option("--tap-dir", args->tap_dir,
                   "also write the TAP_SCHEMA upgrade and downgrade of every schema whose rows change, as "
                   "DIR/<schema>.tap.up.sql and .tap.down.sql (see README, 'TAP_SCHEMA')")
      ->type_name("DIR");
  addTapOptions(command, args->tap_args);
  command->callback([args, &context] { context.exit_code = runMigrate(*args, context); });
}

}  // namespace felisc::cli
