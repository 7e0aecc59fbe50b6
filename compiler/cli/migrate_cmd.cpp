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
#include "compiler/cli/inputs.h"
#include "compiler/cli/migration_report.h"
#include "compiler/cli/output.h"
#include "compiler/cli/profile.h"
#include "compiler/cli/schema_source.h"
#include "compiler/cli/tap.h"
#include "diff_engine/migration.h"
#include "diff_engine/planner.h"
#include "emitters/alembic/revision.h"
#include "emitters/alembic/versions.h"
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
  std::string format = "text";         ///< of the summary: text or markdown
  std::vector<std::string> renames;    ///< SCHEMA:HINT
  std::vector<std::string> backfills;  ///< SCHEMA:FILE
  bool strict = false;
  bool online = false;
  std::string lock_timeout = kDefaultLockTimeout;
  std::string schemas_dir;                 ///< --schemas-dir: where the files are, else kSdmSchemaDirs
  std::vector<std::string> new_histories;  ///< --new-history NAME: may start latiss/versions/
  std::vector<std::string> heads;          ///< --head [SCHEMA:]REV
  bool no_profile = false;                 ///< --no-profile: plan the files as they are
  std::string old_db;                      ///< --old-db: each schema's old side from this database
};

/// The planning options each schema gets (diff's, per schema).
struct SchemaOptions {
  std::map<std::string, std::vector<std::string>> renames;
  std::map<std::string, std::map<std::string, std::string>> backfills;
};

/// One ConsDB schema file (`yml/cdb_<name>.yaml`) across the change.
struct SchemaChange {
  enum class Kind : std::uint8_t { Changed, Added, Unchanged, Removed };
  std::string stem;  ///< "cdb_latiss"
  Kind kind = Kind::Unchanged;
  std::string old_path;      ///< where it was at the base ("yml/cdb_latiss.yaml"); empty: not there
  std::string new_path;      ///< where it is in the working tree; empty: not there
  bool old_from_db = false;  ///< the old side was read from --old-db (already as deployed)
  std::shared_ptr<const model::Schema> old_schema;
  std::shared_ptr<const model::Schema> new_schema;
  std::string old_text;  ///< the Felis texts, for the TAP_SCHEMA rows (--tap-dir)
  std::string new_text;
  diff::Migration migration;
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

/// The migration between two models, both as a database holds them (realized
/// with the profile beforehand), planned as `felisc diff` plans it. Nullopt when
/// a side cannot be realized.
std::optional<diff::Migration> planChange(const std::shared_ptr<const model::Schema>& old_schema,
                                          const std::shared_ptr<const model::Schema>& new_schema,
                                          bool old_absent, diff::MigrationOptions options,
                                          const LoadedProfile& profile, const std::string& profile_path,
                                          std::ostream& err) {
  // An added schema has no old side to realize: its views come with the new side; a
  // database already is the deployment.
  std::shared_ptr<const model::Schema> old_deployed =
      old_absent || options.old_from_database ? old_schema : deployed(old_schema, profile, profile_path, err);
  std::shared_ptr<const model::Schema> new_deployed = deployed(new_schema, profile, profile_path, err);
  if (!old_deployed || !new_deployed) return std::nullopt;
  options.old_schema_absent = old_absent;
  return diff::planMigration(*old_deployed, *new_deployed, options);
}

/// The directories to look in: --schemas-dir, else every place sdm_schemas kept them.
std::vector<std::string> schemaDirs(const MigrateArgs& args) {
  if (!args.schemas_dir.empty()) return {args.schemas_dir};
  return kSdmSchemaDirs;
}

/// The cdb_*.yaml files of the working tree and of the base revision, stem -> path
/// relative to the checkout; the first directory that holds a stem wins, so a
/// file that moved (or a link to the new place) is one schema.
bool listSchemas(const MigrateArgs& args, std::map<std::string, std::string>& in_tree,
                 std::map<std::string, std::string>& at_base, std::ostream& err) {
  std::error_code error;
  if (!fs::is_directory(args.sdm_schemas, error)) {
    err << "felisc: error: '" << args.sdm_schemas
        << "' is not a directory (give the sdm_schemas checkout with "
        << "--sdm-schemas)\n";
    return false;
  }
  bool any_dir = false;
  for (const std::string& dir : schemaDirs(args)) {
    const fs::path full = fs::path(args.sdm_schemas) / dir;
    if (!fs::is_directory(full, error)) continue;
    any_dir = true;
    std::vector<std::string> names;
    for (fs::directory_iterator it(full, error); !error && it != fs::directory_iterator();
         it.increment(error))
      if (it->is_regular_file()) names.push_back(it->path().filename().string());
    std::sort(names.begin(), names.end());
    for (const std::string& name : names)
      if (isConsdbSchemaFile(name)) in_tree.emplace(stemOf(name), dir + "/" + name);
  }
  if (!any_dir && !args.schemas_dir.empty()) {
    err << "felisc: error: --schemas-dir '" << args.schemas_dir << "' is not a directory of the checkout '"
        << args.sdm_schemas << "'\n";
    return false;
  }
  for (const std::string& dir : schemaDirs(args)) {
    std::string git_error;
    auto files = cli::listFilesAtRevision(args.sdm_schemas, args.base, dir, git_error);
    if (!files) {
      model::Diagnostics diagnostics;
      diagnostics.report(model::DiagId::err_migrate_git, "", {}, {args.sdm_schemas, args.base, git_error});
      printDiagnostics(diagnostics, "", err);
      return false;
    }
    for (const std::string& file : *files) {
      const std::string name = fs::path(file).filename().string();
      if (isConsdbSchemaFile(name)) at_base.emplace(stemOf(name), file);
    }
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
  std::map<std::string, std::string> in_tree;
  std::map<std::string, std::string> at_base;
  if (!listSchemas(args, in_tree, at_base, err)) {
    exit_code = kExitUsage;
    return false;
  }
  std::set<std::string> all;
  for (const auto& [stem, path] : in_tree) all.insert(stem);
  for (const auto& [stem, path] : at_base) all.insert(stem);
  felis::ReadOptions options;
  options.id_generation = args.id_generation;
  options.strict_felis = false;
  bool ok = true;
  for (const std::string& stem : all) {
    SchemaChange change;
    change.stem = stem;
    auto load = [&](cli::LoadedSchema side, std::shared_ptr<const model::Schema>& into,
                    std::string* text = nullptr) {
      err << side.rendered_diagnostics;
      ok = ok && side.schema != nullptr;
      into = side.schema;
      if (text) *text = std::move(side.source_text);
    };
    if (auto it = at_base.find(stem); it != at_base.end()) {
      change.old_path = it->second;
      load(cli::loadFelisAtRevision(args.sdm_schemas, args.base, change.old_path, options), change.old_schema,
           &change.old_text);
    }
    if (auto it = in_tree.find(stem); it != in_tree.end()) {
      change.new_path = it->second;
      load(cli::loadFelisSide((fs::path(args.sdm_schemas) / change.new_path).string(), options),
           change.new_schema, &change.new_text);
    }
    // The deployed state as the old side of each schema the change touches: its
    // revision then also repairs drift. A file the change leaves as it was gets no
    // revision (its schema need not even be in that database).
    if (!args.old_db.empty() && change.new_schema && change.old_schema &&
        change.old_text != change.new_text) {
      change.old_from_db = true;
      load(cli::loadDatabaseSide(args.old_db, change.new_schema->name), change.old_schema);
    }
    changes.push_back(std::move(change));
  }
  if (!ok) exit_code = kExitUsage;  // unreadable or invalid input
  return ok;
}

/// The data loss of every schema whose upgrade loses data, at once.
void reportDataLoss(const std::vector<SchemaChange>& changes, std::ostream& err) {
  err << "felisc: error: these upgrades lose data; nothing was written. Review them and pass "
         "--allow-data-loss to write the revisions:\n";
  for (const SchemaChange& change : changes) {
    for (const std::string& lost : change.migration.data_loss)
      err << "  " << change.stem << ": " << lost << '\n';
    for (const std::string& hint : change.migration.rename_hints)
      err << "  (if this is a rename, say so: --rename " << change.stem << ':' << hint << ")\n";
  }
}

/// Plans every schema and classifies it; the exit code of the first refusal
/// (after every schema's diagnostics were printed), or kExitOk.
int planAll(const MigrateArgs& args, const SchemaOptions& per_schema, const LoadedProfile& profile,
            std::vector<SchemaChange>& changes, std::ostream& err) {
  int exit_code = kExitOk;
  bool data_loss = false;
  for (SchemaChange& change : changes) {
    if (!change.new_schema) {
      change.kind = SchemaChange::Kind::Removed;
      continue;
    }
    auto nothing = std::make_shared<model::Schema>();
    nothing->name = change.new_schema->name;
    const bool added = !change.old_schema;
    diff::MigrationOptions options;
    if (auto it = per_schema.renames.find(change.stem); it != per_schema.renames.end())
      options.renames = it->second;
    if (auto it = per_schema.backfills.find(change.stem); it != per_schema.backfills.end())
      options.backfills = it->second;
    options.online = args.online;
    options.strict = args.strict;
    options.allow_data_loss = args.allow_data_loss;
    options.old_label = added                ? "(none)"
                        : change.old_from_db ? "database schema " + change.new_schema->name
                                             : args.base + ":" + change.old_path;
    options.old_from_database = change.old_from_db;
    options.new_label = change.new_path;
    std::optional<diff::Migration> migration = planChange(
        added ? nothing : change.old_schema, change.new_schema, added, options, profile, profile.path, err);
    if (!migration) {
      if (exit_code == kExitOk) exit_code = kExitUsage;
      continue;
    }
    change.migration = std::move(*migration);
    if (!profile.profile && change.new_schema->findTable("visit1") != nullptr)
      err << "felisc: warning: " << change.stem
          << ": table visit1 planned without a deployment profile; ConsDB deploys it as a view over "
             "exposure (drop --no-profile to plan it as deployed)\n";
    const diff::Migration& planned = change.migration;
    // Data loss is reported for every schema at once below; the rest as diff reports it.
    diff::Migration shown = planned;
    if (shown.refusal == diff::MigrationRefusal::DataLoss) shown.refusal = diff::MigrationRefusal::None;
    int code = reportMigration(shown, change.stem + ": ", err);
    if (planned.refusal == diff::MigrationRefusal::DataLoss) data_loss = true;
    if (code != kExitOk && exit_code == kExitOk) exit_code = code;
    if (added)
      change.kind = SchemaChange::Kind::Added;
    else
      change.kind = planned.plan.empty() ? SchemaChange::Kind::Unchanged : SchemaChange::Kind::Changed;
  }
  if (exit_code != kExitOk) return exit_code;
  if (data_loss) {
    reportDataLoss(changes, err);
    return kExitDataLoss;
  }
  return kExitOk;
}

/// The commits a run reads, for the revision header: the base, and the working
/// tree's HEAD ("+" when the tree differs from it, as git describe --dirty does).
struct Sources {
  std::string base_commit;
  std::string tree_commit;
};

std::string versionsDir(const MigrateArgs& args, const std::string& stem) {
  return (fs::path(args.alembic_dir) / alembicName(stem) / "versions").string();
}

/// --head for one schema: `SCHEMA:REV` for it, else a plain `REV`; empty when none.
std::string headFor(const MigrateArgs& args, const std::string& stem) {
  std::string plain;
  for (const std::string& head : args.heads) {
    const std::size_t colon = head.find(':');
    if (colon == std::string::npos)
      plain = head;
    else if (head.substr(0, colon) == stem || head.substr(0, colon) == alembicName(stem))
      return head.substr(colon + 1);
  }
  return plain;
}

/// The Alembic side as ConsDB keeps it: --alembic-dir exists, and a schema with
/// revisions there is never "added" (its base file was not found where looked).
bool checkAlembicSide(const MigrateArgs& args, const std::vector<SchemaChange>& changes, std::ostream& err) {
  std::error_code error;
  if (!fs::is_directory(args.alembic_dir, error)) {
    err << "felisc: error: --alembic-dir '" << args.alembic_dir
        << "' is not a directory (give ConsDB's alembic/ directory, which holds <name>/versions/)\n";
    return false;
  }
  bool ok = true;
  for (const SchemaChange& change : changes) {
    if (change.old_schema || !change.new_schema) continue;
    alembic::AlembicVersions versions = alembic::readAlembicVersions(versionsDir(args, change.stem));
    if (versions.files.empty()) continue;
    std::string looked;
    for (const std::string& dir : schemaDirs(args)) looked += (looked.empty() ? "" : ", ") + dir + "/";
    err << "felisc: error: " << change.stem << " has " << versions.files.size() << " revisions in "
        << versionsDir(args, change.stem) << ", but " << change.stem << ".yaml was not found at " << args.base
        << " in " << looked << ": it is not a new schema; give --schemas-dir where it was\n";
    ok = false;
  }
  return ok;
}

/// Every revision of the run, or false when one cannot be made.
bool prepareAll(const MigrateArgs& args, const Sources& sources, const std::string& create_date,
                std::vector<SchemaChange>& changes, std::ostream& err) {
  bool ok = true;
  for (SchemaChange& change : changes) {
    if (change.kind != SchemaChange::Kind::Changed && change.kind != SchemaChange::Kind::Added) continue;
    for (const diff::BackfillSlot& slot : change.migration.missing_backfills)
      err << "felisc: warning: " << change.stem << ": no backfill for " << slot.table << '.' << slot.column
          << ": the upgrade stops if the table holds NULLs there; edit the revision's marked backfill\n";
    alembic::AlembicOptions options;
    options.message =
        args.revision.message.empty()
            ? alembic::defaultRevisionMessage(change.old_schema ? *change.old_schema : model::Schema{},
                                              *change.new_schema, !change.old_schema)
            : args.revision.message;
    options.create_date = create_date;
    options.preamble = lockTimeoutPreamble(timeoutSetting(args.lock_timeout));
    options.header.push_back("sources: sdm_schemas " + sources.base_commit + ":" + change.old_path + " -> " +
                             sources.tree_commit + ":" + change.new_path);
    RevisionTarget target;
    target.versions_dir = versionsDir(args, change.stem);
    target.head = headFor(args, change.stem);
    target.new_history = std::find(args.new_histories.begin(), args.new_histories.end(),
                                   alembicName(change.stem)) != args.new_histories.end();
    change.pending = prepareRevision(change.migration.plan, target, options, err);
    ok = ok && change.pending.has_value();
  }
  return ok;
}

void printSummary(const MigrateArgs& args, const std::vector<SchemaChange>& changes, std::ostream& out) {
  out << "felisc migrate: cdb_*.yaml at " << args.base << " -> working tree of " << args.sdm_schemas
      << (args.dry_run ? " (dry run: nothing written)" : "") << '\n';
  std::size_t revisions = 0;
  std::size_t already = 0;
  std::vector<std::string> unchanged;
  for (const SchemaChange& change : changes) {
    const std::size_t count = change.migration.plan.up.size();
    const std::string steps = std::to_string(count) + (count == 1 ? " step" : " steps");
    if (change.pending && !change.pending->already_in.empty()) {
      out << "  done       " << change.stem << ": revision " << change.pending->already_revision
          << " already carries this change (" << change.pending->already_in << ")\n";
      ++already;
      continue;
    }
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
      << (args.dry_run ? " to write" : " written") << ", " << unchanged.size() << " unchanged";
  if (already > 0) out << ", " << already << " already written";
  out << '\n';
}

/// --rename and --backfill per schema; false (reported) when one is malformed or unreadable.
bool readSchemaOptions(const MigrateArgs& args, SchemaOptions& options, std::ostream& err) {
  auto renames = perSchemaValues(args.renames, "--rename", err);
  auto backfills = perSchemaValues(args.backfills, "--backfill", err);
  if (!renames || !backfills) return false;
  options.renames = std::move(*renames);
  for (const auto& [schema, files] : *backfills) {
    for (const std::string& file : files) {
      std::optional<std::map<std::string, std::string>> read = readBackfills(file, err);
      if (!read) return false;
      options.backfills[schema].insert(read->begin(), read->end());
    }
  }
  return true;
}

/// --tap-dir: `<dir>/<stem>.tap.up.sql` and `.tap.down.sql` for every schema whose
/// TAP_SCHEMA rows change (also one whose plan is empty); false on an error.
bool prepareTapScripts(const MigrateArgs& args, const std::vector<SchemaChange>& changes,
                       std::vector<std::pair<std::string, std::string>>& files, std::ostream& err) {
  bool ok = true;
  for (const SchemaChange& change : changes) {
    if (!change.new_schema) continue;
    TapVersions versions{change.old_schema.get(), change.old_text, args.base + ":" + change.old_path,
                         change.new_schema.get(), change.new_text, change.new_path};
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
            std::to_string(change.migration.plan.up.size()) + " | " + emit::markdownEscape(version) + " | " +
            revision + " |\n";
    planned += change.pending ? 1 : 0;
  }
  emit::MarkdownOptions options;
  options.sql.lock_timeout = kDefaultLockTimeout;
  options.limit =
      planned == 0 ? options.limit : (options.limit - std::min(options.limit, text.size())) / planned;
  for (const SchemaChange& change : changes) {
    if (!change.pending) continue;
    options.title = change.stem;
    text += "\n" + emit::planMarkdown(change.migration.plan, diff::Direction::Up, options);
  }
  out << text;
}

int runMigrate(const MigrateArgs& args, CommandContext& context) {
  std::vector<SchemaChange> changes;
  int exit_code = kExitOk;
  LoadedProfile profile;
  if (!args.profile.empty() && args.no_profile) {
    context.err << "felisc: error: give --profile or --no-profile, not both\n";
    return kExitUsage;
  }
  // Every schema migrate handles is a ConsDB one (cdb_*): ConsDB's profile unless told otherwise.
  const std::string profile_name = args.no_profile        ? std::string()
                                   : args.profile.empty() ? "consdb"
                                                          : args.profile;
  if (!profile_name.empty()) {
    profile = loadProfile(profile_name, context.err);
    if (!profile.profile) return profile.exit_code;
  }
  SchemaOptions per_schema;
  if (!readSchemaOptions(args, per_schema, context.err)) return kExitUsage;
  if (!loadSchemas(args, changes, exit_code, context.err)) return exit_code;
  if (!checkAlembicSide(args, changes, context.err)) return kExitUsage;
  Sources sources;
  sources.base_commit = commitId(args.sdm_schemas, args.base).value_or(args.base);
  sources.tree_commit =
      commitId(args.sdm_schemas, "HEAD").value_or("HEAD") + (workingTreeDiffers(args.sdm_schemas) ? "+" : "");
  if (int code = planAll(args, per_schema, profile, changes, context.err); code != kExitOk) return code;
  std::optional<std::string> date = resolveCreateDate(args.revision.create_date, context.err);
  if (!date) return kExitUsage;
  // Every revision is computed before any is written: an error leaves nothing behind.
  if (!prepareAll(args, sources, *date, changes, context.err)) return kExitUsage;
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
      "revision is computed before any is written; a second run for the same change writes nothing. Exit "
      "status: 0 done, 2 usage, input or I/O error, 3 an upgrade would lose data and --allow-data-loss is "
      "not "
      "given, 4 version.current not bumped enough under --strict.");
  command->add_option("--sdm-schemas", args->sdm_schemas, "the sdm_schemas checkout (a git working tree)")
      ->required()
      ->type_name("DIR");
  command->add_option("--base", args->base, "the git revision to compare with (e.g. main)")
      ->required()
      ->type_name("REV");
  command
      ->add_option("--schemas-dir", args->schemas_dir,
                   "where the schema files are in the checkout, at the base and in the working tree "
                   "(default: the first of yml/, python/lsst/sdm_schemas/schemas/, python/lsst/sdm/schemas/ "
                   "that holds each)")
      ->type_name("DIR");
  command->add_option("--alembic-dir", args->alembic_dir, "ConsDB's alembic/ directory")
      ->required()
      ->type_name("DIR");
  command
      ->add_option(
          "--profile", args->profile,
          "deployment profile (default: consdb, found among the installed profiles): plan each "
          "schema as deployed (views over tables, extra columns, grants), both sides realized with it")
      ->type_name("NAME|FILE");
  command->add_flag("--no-profile", args->no_profile,
                    "plan the files as they are, without a deployment profile (default: --profile consdb)");
  command
      ->add_option(
          "--new-history", args->new_histories,
          "NAME (e.g. latiss): <alembic-dir>/NAME/versions/ may be created and start a history, for a "
          "schema new to ConsDB (repeatable)")
      ->type_name("NAME");
  command
      ->add_option("--head", args->heads,
                   "[SCHEMA:]REV: the head to chain onto where a versions directory has several (repeatable)")
      ->type_name("[SCHEMA:]REV");
  command
      ->add_option(
          "--old-db", args->old_db,
          "plan each schema from this live database (libpq conninfo or URI: a test stand, or a "
          "scratch database at the head of the chain) instead of the file at --base, so the revision "
          "also repairs drift")
      ->type_name("CONNINFO");
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
  command
      ->add_option("--rename", args->renames,
                   "rename hint for one schema, as in felisc diff: SCHEMA:OLD=NEW for a table, "
                   "SCHEMA:TABLE.OLD=NEW for a column (repeatable)")
      ->type_name("SCHEMA:HINT");
  command
      ->add_option("--backfill", args->backfills,
                   "backfill SQL file for one schema, as in felisc diff: SCHEMA:FILE (repeatable)")
      ->type_name("SCHEMA:FILE");
  command->add_flag("--strict", args->strict,
                    "a version.current bumped less than the changes need is an error: nothing written");
  command->add_flag("--online", args->online,
                    "plan for a live database, as felisc diff --online (the revisions are then not atomic)");
  command
      ->add_option("--lock-timeout", args->lock_timeout,
                   "lock_timeout every revision sets first (0 or off: not set)")
      ->check(CLI::Validator([](std::string& text) { return durationError(text); }, "DURATION"))
      ->capture_default_str();
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
