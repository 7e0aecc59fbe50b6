/// \file
/// TAP_SCHEMA in the command line: `felisc tap create`, and the `--tap` of
/// `diff` and `drift` (their *_cmd.cpp files call in here).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include "compiler/cli/commands.h"
#include "compiler/cli/schema_source.h"
#include "schema_model/model.h"

namespace CLI {
class App;
}

namespace felisc::cli {

/// felis's options that decide where the TAP_SCHEMA rows go and what they hold.
struct TapArgs {
  std::string schema_name = "TAP_SCHEMA";  ///< --tap-schema-name
  std::string postfix;                     ///< --tap-tables-postfix
  std::optional<std::int64_t> schema_index;
  bool unique_keys = false;
  bool force_unbounded_arraysize = false;
  std::optional<std::int64_t> column_ref_index_increment;
};

/// Adds the TapArgs options to `command` (long names only: --tap-schema-name,
/// --tap-tables-postfix, --tap-schema-index, --tap-unique-keys,
/// --force-unbounded-arraysize, --column-ref-index-increment).
void addTapOptions(CLI::App* command, TapArgs& args);

/// `diff --tap`: the TAP_SCHEMA change from `old_side` to `new_side` as its own
/// script (BEGIN ... COMMIT), upgrade or (`down`) downgrade, to `output`; the
/// other direction to `down_output` when given. Exit 0 no change, 1 changes.
int runTapDiff(const LoadedSchema& old_side, const LoadedSchema& new_side, const TapArgs& args, bool down,
               const std::string& output, const std::string& down_output, CommandContext& context);

/// The TAP_SCHEMA statements (no BEGIN/COMMIT) of the change from `old_side` to
/// `new_side`, upgrade or downgrade, for a migration that carries them along
/// (`diff --with-tap`); nullopt, with the reason on `err`, when there can be none.
std::optional<std::string> tapChangeStatements(const LoadedSchema& old_side, const LoadedSchema& new_side,
                                               const TapArgs& args, bool down, std::ostream& err);

/// `sql` (a planSql script) with `statements` run inside its last transaction, or
/// in a transaction of their own after it when it has none.
std::string withTapStatements(const std::string& sql, const std::string& statements);

/// Two versions of a file's TAP_SCHEMA rows (`old_schema` null: the file is new),
/// for `migrate --tap-dir`.
struct TapVersions {
  const model::Schema* old_schema = nullptr;
  std::string old_text;
  std::string old_label;
  const model::Schema* new_schema = nullptr;
  std::string new_text;
  std::string new_label;
};

/// The upgrade and downgrade scripts between the versions; two empty strings when
/// the rows do not change; nullopt (the reason on `err`) when a version holds a
/// key_id twice.
std::optional<std::pair<std::string, std::string>> tapMigrationScripts(const TapVersions& versions,
                                                                       const TapArgs& args,
                                                                       std::ostream& err);

/// `drift --tap DB FILE`: the live TAP_SCHEMA rows of FILE's schema against a
/// fresh fill. `format` is text, json or markdown. Exit 0 equal, 1 drift, 2 error.
int runTapDrift(const std::string& database, const std::string& file, const TapArgs& args,
                const std::string& format, const std::string& output, CommandContext& context);

/// `felisc tap`.
void registerTap(CLI::App& app, CommandContext& context);

}  // namespace felisc::cli
