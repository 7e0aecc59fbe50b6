/// \file
/// `felisc tap create FILE`: the SQL that fills TAP_SCHEMA with exactly the rows
/// felis's `load-tap-schema` inserts (docs/tap-schema.md), `--init` also the
/// tables of `init-tap-schema`; and the TAP_SCHEMA side of `diff --tap` and
/// `drift --tap`.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/catalog/connection.h"
#include "compiler/catalog/tap_reader.h"
#include "compiler/cli/cli.h"
#include "compiler/cli/output.h"
#include "compiler/cli/tap.h"
#include "compiler/felis/reader.h"
#include "compiler/felis/tap_facts.h"
#include "diff_engine/tap_schema.h"
#include "emitters/tap_sql.h"

namespace felisc::cli {

namespace {

model::TapNames namesOf(const TapArgs& args) { return model::TapNames{args.schema_name, args.postfix}; }

diff::TapOptions optionsOf(const TapArgs& args) {
  diff::TapOptions options;
  options.schema_index = args.schema_index;
  options.unique_keys = args.unique_keys;
  options.force_unbounded_arraysize = args.force_unbounded_arraysize;
  options.column_ref_index_increment = args.column_ref_index_increment;
  return options;
}

model::TapRows rowsOf(const model::Schema& schema, const std::string& text, const std::string& label,
                      const TapArgs& args) {
  return diff::tapRowsOf(schema, felis::tapSourceFacts(text, label), optionsOf(args));
}

/// The rows of a loaded side; a database side has no Felis facts and no rows.
model::TapRows rowsOf(const LoadedSchema& side, const TapArgs& args) {
  return rowsOf(*side.schema, side.source_text, side.label, args);
}

struct CreateArgs {
  std::string file;
  std::string output;
  TapArgs tap;
  bool init = false;
  bool extensions = false;
  bool transaction = true;
  bool id_generation = true;
};

int runCreate(const CreateArgs& args, CommandContext& context) {
  felis::ReadOptions read;
  read.id_generation = args.id_generation;
  // load-tap-schema validates as `felis validate` does (docs/tap-schema.md §1.2).
  read.strict_felis = true;
  felis::ReadResult result = felis::readFelisFile(args.file, read);
  context.err << felis::renderDiagnostics(result);
  if (!result.schema) return kExitUsage;  // unreadable or invalid input
  model::TapRows rows = rowsOf(*result.schema, result.source_text, args.file, args.tap);
  emit::TapSqlOptions options;
  options.names = namesOf(args.tap);
  options.transaction = args.transaction;
  std::string sql = "-- TAP_SCHEMA rows of schema " + result.schema->name + " (felisc tap create)\n";
  if (args.init) {
    // One transaction for the tables and the rows: all or nothing.
    options.transaction = false;
    sql += (args.transaction ? "BEGIN;\n" : "") + emit::tapInitSql(options.names, args.extensions) +
           emit::tapInsertSql(rows, options) + (args.transaction ? "COMMIT;\n" : "");
  } else {
    sql += emit::tapInsertSql(rows, options);
  }
  return writeOutput(args.output, sql, context.out, context.err) ? kExitOk : kExitUsage;
}

std::string show(const model::TapValue& value) { return value ? "'" + *value + "'" : std::string("NULL"); }

std::string rowName(const model::TapRow& row) {
  std::string name = std::string(model::tapTableName(row.table)) + " row ";
  std::string identity = row.identity();
  for (char& c : identity)
    if (c == '\x1f') c = ' ';
  return name + identity;
}

struct TapDifference {
  std::string kind;  ///< missing, extra, different
  model::TapRow row;
  std::vector<std::string> columns;                                 ///< different: the columns that differ
  std::vector<std::pair<model::TapValue, model::TapValue>> values;  ///< (file, database)
};

std::vector<TapDifference> differences(const model::TapRows& database, const model::TapRows& file) {
  std::vector<TapDifference> out;
  for (const diff::TapChange& change : diff::diffTapRows(database, file)) {
    switch (change.kind) {
      case diff::TapChange::Kind::Insert: out.push_back({"missing", change.after, {}, {}}); break;
      case diff::TapChange::Kind::Delete: out.push_back({"extra", change.before, {}, {}}); break;
      case diff::TapChange::Kind::Update: {
        TapDifference difference{"different", change.after, diff::changedTapColumns(change), {}};
        for (const std::string& column : difference.columns)
          difference.values.emplace_back(change.after.get(column), change.before.get(column));
        out.push_back(std::move(difference));
        break;
      }
    }
  }
  return out;
}

std::string driftText(const std::vector<TapDifference>& found, bool markdown) {
  std::string out;
  if (markdown) out += "| | row | column | file | database |\n|---|---|---|---|---|\n";
  auto cell = [](std::string text) {
    std::string escaped;
    for (char c : text) {
      if (c == '|')
        escaped += "\\|";
      else if (c == '\n')
        escaped += "<br>";
      else
        escaped += c;
    }
    return escaped;
  };
  for (const TapDifference& d : found) {
    if (markdown) {
      if (d.columns.empty()) out += "| " + d.kind + " | " + cell(rowName(d.row)) + " | | | |\n";
      for (std::size_t i = 0; i < d.columns.size(); ++i)
        out += "| " + d.kind + " | " + cell(rowName(d.row)) + " | " + d.columns[i] + " | " +
               cell(show(d.values[i].first)) + " | " + cell(show(d.values[i].second)) + " |\n";
      continue;
    }
    out += d.kind + ": " + rowName(d.row);
    if (d.kind == "missing") out += " (the file has it, TAP_SCHEMA does not)";
    if (d.kind == "extra") out += " (TAP_SCHEMA has it, the file does not)";
    for (std::size_t i = 0; i < d.columns.size(); ++i)
      out += (i == 0 ? ": " : "; ") + d.columns[i] + " is " + show(d.values[i].second) + " in TAP_SCHEMA, " +
             show(d.values[i].first) + " in the file";
    out += '\n';
  }
  return out;
}

std::string driftJson(const std::vector<TapDifference>& found, const std::string& file) {
  auto value = [](const model::TapValue& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json differences = nlohmann::json::array();
  for (const TapDifference& d : found) {
    nlohmann::json item;
    item["kind"] = d.kind;
    item["table"] = std::string(model::tapTableName(d.row.table));
    nlohmann::json row = nlohmann::json::object();
    std::span<const model::TapColumnSpec> specs = model::tapColumns(d.row.table);
    for (std::size_t i = 0; i < specs.size(); ++i)
      if (specs[i].identity) row[std::string(specs[i].name)] = value(d.row.values[i]);
    item["row"] = row;
    if (!d.columns.empty()) {
      nlohmann::json columns = nlohmann::json::array();
      for (std::size_t i = 0; i < d.columns.size(); ++i)
        columns.push_back({{"column", d.columns[i]},
                           {"file", value(d.values[i].first)},
                           {"database", value(d.values[i].second)}});
      item["columns"] = columns;
    }
    differences.push_back(item);
  }
  nlohmann::json out = {{"file", file}, {"drift", !found.empty()}, {"differences", differences}};
  return out.dump(2) + "\n";
}

}  // namespace

void addTapOptions(CLI::App* command, TapArgs& args) {
  command->add_option("--tap-schema-name", args.schema_name, "the schema holding the TAP_SCHEMA tables")
      ->capture_default_str();
  command->add_option("--tap-tables-postfix", args.postfix,
                      "postfix of the TAP_SCHEMA table names (e.g. 11)");
  command->add_option("--tap-schema-index", args.schema_index, "schemas.schema_index (default NULL)");
  command->add_flag("--tap-unique-keys", args.unique_keys, "key_id = <schema name>_<constraint name>");
  command->add_flag("--force-unbounded-arraysize", args.force_unbounded_arraysize,
                    "string, unicode and binary columns get arraysize '*' instead of '<length>*'");
  command->add_option("--column-ref-index-increment", args.column_ref_index_increment,
                      "number the column_index of columnRefs copies N, 2N, ...");
}

/// The upgrade between two file sides; nullopt (and the reason on `err`) when a
/// side is a database or holds a key_id twice.
std::optional<std::vector<diff::TapChange>> tapUpgrade(const LoadedSchema& old_side,
                                                       const LoadedSchema& new_side, const TapArgs& args,
                                                       std::ostream& err) {
  if (old_side.source_text.empty() || new_side.source_text.empty()) {
    err << "felisc: error: --tap needs both sides as Felis files: a database holds no TAP metadata\n";
    return std::nullopt;
  }
  model::TapRows old_rows = rowsOf(old_side, args);
  model::TapRows new_rows = rowsOf(new_side, args);
  bool duplicates = false;
  for (const auto* side : {&old_side, &new_side}) {
    for (const std::string& key_id : diff::duplicateTapKeyIds(side == &old_side ? old_rows : new_rows)) {
      err << "felisc: error: " << side->label << ": foreign key name '" << key_id
          << "' is used in several tables, but TAP_SCHEMA keys.key_id is unique: no TAP_SCHEMA can hold this "
             "schema (felis's load fails too)\n";
      duplicates = true;
    }
  }
  if (duplicates) return std::nullopt;
  return diff::diffTapRows(old_rows, new_rows);
}

std::optional<std::string> tapChangeStatements(const LoadedSchema& old_side, const LoadedSchema& new_side,
                                               const TapArgs& args, bool down, std::ostream& err) {
  std::optional<std::vector<diff::TapChange>> upgrade = tapUpgrade(old_side, new_side, args, err);
  if (!upgrade) return std::nullopt;
  return emit::tapChangeStatements(down ? diff::inverseTapChanges(*upgrade) : *upgrade, namesOf(args));
}

int runTapDiff(const LoadedSchema& old_side, const LoadedSchema& new_side, const TapArgs& args, bool down,
               const std::string& output, const std::string& down_output, CommandContext& context) {
  std::optional<std::vector<diff::TapChange>> found = tapUpgrade(old_side, new_side, args, context.err);
  if (!found) return kExitUsage;  // unreadable or invalid input, or rows no TAP_SCHEMA can hold
  const std::vector<diff::TapChange>& upgrade = *found;
  std::vector<diff::TapChange> downgrade = diff::inverseTapChanges(upgrade);
  emit::TapSqlOptions options;
  options.names = namesOf(args);
  auto script = [&](const std::vector<diff::TapChange>& changes, bool is_down) {
    return "-- TAP_SCHEMA " + std::string(is_down ? "downgrade" : "upgrade") + " of schema " +
           (is_down ? old_side : new_side).schema->name + ": " + old_side.label + " -> " + new_side.label +
           " (felisc diff --tap)\n" + emit::tapChangesSql(changes, options);
  };
  std::string text = down ? script(downgrade, true) : script(upgrade, false);
  if (!writeOutput(output, text, context.out, context.err)) return kExitUsage;
  if (!down_output.empty() && !writeFileAtomically(down_output, script(downgrade, true), context.err))
    return kExitUsage;
  return kExitOk;  // written: success, as every command's output (the one exit-code table)
}

std::optional<std::pair<std::string, std::string>> tapMigrationScripts(const TapVersions& versions,
                                                                       const TapArgs& args,
                                                                       std::ostream& err) {
  model::TapRows old_rows;
  if (versions.old_schema != nullptr)
    old_rows = rowsOf(*versions.old_schema, versions.old_text, versions.old_label, args);
  model::TapRows new_rows = rowsOf(*versions.new_schema, versions.new_text, versions.new_label, args);
  bool duplicates = false;
  for (const auto& [rows, label] :
       {std::pair{&old_rows, &versions.old_label}, std::pair{&new_rows, &versions.new_label}}) {
    for (const std::string& key_id : diff::duplicateTapKeyIds(*rows)) {
      err << "felisc: error: " << *label << ": foreign key name '" << key_id
          << "' is used in several tables, but TAP_SCHEMA keys.key_id is unique: no TAP_SCHEMA can hold this "
             "schema (felis's load fails too)\n";
      duplicates = true;
    }
  }
  if (duplicates) return std::nullopt;
  std::vector<diff::TapChange> upgrade = diff::diffTapRows(old_rows, new_rows);
  if (upgrade.empty()) return std::pair{std::string(), std::string()};
  emit::TapSqlOptions options;
  options.names = namesOf(args);
  const std::string what = "schema " + versions.new_schema->name + ": " +
                           (versions.old_schema ? versions.old_label : std::string("(none)")) + " -> " +
                           versions.new_label + " (felisc migrate --tap-dir)\n";
  return std::pair{
      "-- TAP_SCHEMA upgrade of " + what + emit::tapChangesSql(upgrade, options),
      "-- TAP_SCHEMA downgrade of " + what + emit::tapChangesSql(diff::inverseTapChanges(upgrade), options)};
}

std::string withTapStatements(const std::string& sql, const std::string& statements) {
  if (statements.empty()) return sql;
  const std::string block = "-- TAP_SCHEMA rows (felisc diff --with-tap)\n" + statements;
  const std::size_t commit = sql.rfind("COMMIT;\n");
  if (commit == std::string::npos) return sql + "\nBEGIN;\n" + block + "COMMIT;\n";
  return sql.substr(0, commit) + block + "\n" + sql.substr(commit);
}

int runTapDrift(const std::string& database, const std::string& file, const TapArgs& args,
                const std::string& format, const std::string& output, CommandContext& context) {
  felis::ReadOptions read;
  read.strict_felis = true;
  felis::ReadResult result = felis::readFelisFile(file, read);
  context.err << felis::renderDiagnostics(result);
  if (!result.schema) return kExitUsage;
  model::TapRows expected = rowsOf(*result.schema, result.source_text, file, args);

  catalog::Error error;
  std::optional<catalog::Connection> connection = catalog::Connection::open(database, error);
  if (!connection) {
    model::Diagnostics diagnostics;
    diagnostics.report(model::DiagId::err_db_connect, "", {}, {error.message});
    printDiagnostics(diagnostics, "", context.err);
    return kExitUsage;
  }
  catalog::TapReadResult live = catalog::readTapRows(*connection, namesOf(args), result.schema->name);
  printDiagnostics(live.diagnostics, "", context.err);
  if (!live.rows) return kExitUsage;
  std::vector<TapDifference> found = differences(*live.rows, expected);
  std::string text = format == "json"       ? driftJson(found, file)
                     : format == "markdown" ? driftText(found, true)
                                            : driftText(found, false);
  if (!writeOutput(output, text, context.out, context.err)) return kExitUsage;
  return found.empty() ? kExitOk : kExitFindings;
}

void registerTap(CLI::App& app, CommandContext& context) {
  CLI::App* tap =
      app.add_subcommand("tap", "IVOA TAP_SCHEMA metadata of Felis files (see README, 'TAP_SCHEMA')");
  tap->require_subcommand(1);
  auto args = std::make_shared<CreateArgs>();
  CLI::App* command = tap->add_subcommand(
      "create",
      "SQL that fills TAP_SCHEMA with exactly the rows felis's load-tap-schema inserts for FILE (schemas, "
      "tables, columns, keys, key_columns), one INSERT per row in felis's order, in one transaction; --init "
      "also creates the TAP_SCHEMA tables as felis's init-tap-schema does.");
  command->add_option("file", args->file, "Felis YAML file")->required()->type_name("FILE");
  command->add_option("-o,--output", args->output, "write the SQL to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  command->add_flag("--init", args->init, "also CREATE SCHEMA and the five tables (IF NOT EXISTS)");
  command->add_flag("--extensions", args->extensions,
                    "with --init: add the columns of felis's packaged tap_schema_extensions.yaml (CADC)");
  command
      ->add_option("-n,--tap-schema-name", args->tap.schema_name, "the schema holding the TAP_SCHEMA tables")
      ->capture_default_str();
  command->add_option("-p,--tap-tables-postfix", args->tap.postfix, "postfix of the table names (e.g. 11)");
  command->add_option("-i,--tap-schema-index", args->tap.schema_index, "schemas.schema_index (default NULL)");
  command->add_flag("-u,--unique-keys", args->tap.unique_keys, "key_id = <schema name>_<constraint name>");
  command->add_flag("--force-unbounded-arraysize", args->tap.force_unbounded_arraysize,
                    "string, unicode and binary columns get arraysize '*' instead of '<length>*'");
  command->add_option("--column-ref-index-increment", args->tap.column_ref_index_increment,
                      "number the column_index of columnRefs copies N, 2N, ... per resource");
  command->add_flag("!--no-transaction", args->transaction, "do not wrap the script in BEGIN/COMMIT");
  command->add_flag("!--no-id-generation", args->id_generation,
                    "do not generate missing @ids (every object then needs one)");
  command->callback([args, &context] { context.exit_code = runCreate(*args, context); });
}

}  // namespace felisc::cli
