// `felisc validate FILE...`: every rule felis enforces, its optional checks as
// flags, and the PostgreSQL checks felis lacks.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "compiler/cli/cli.h"
#include "compiler/cli/commands.h"
#include "compiler/cli/output.h"
#include "compiler/cli/profile.h"
#include "compiler/felis/reader.h"

namespace felisc::cli {

namespace {

struct ValidateArgs {
  std::vector<std::string> files;
  felis::ReadOptions read;
  std::string format = "text";
  std::string profile;
};

/// One diagnostic of `file`; one that points into another file (a profile) names it.
nlohmann::json diagnosticJson(const model::Diagnostic& diagnostic, const std::string& file) {
  nlohmann::json entry = {{"severity", model::severityName(diagnostic.severity)},
                          {"code", diagnostic.code()},
                          {"message", diagnostic.message}};
  if (!diagnostic.file.empty() && diagnostic.file != file) entry["file"] = diagnostic.file;
  if (diagnostic.pos.known()) {
    entry["line"] = diagnostic.pos.line;
    entry["column"] = diagnostic.pos.column;
  }
  return entry;
}

int runValidate(const ValidateArgs& args, CommandContext& context) {
  LoadedProfile loaded;
  if (!args.profile.empty()) {
    loaded = loadProfile(args.profile, context.err);
    if (!loaded.profile)
      return loaded.unreadable ? kExitUsage : kExitFindings;  // an invalid profile is a finding
  }
  const model::Profile* profile = loaded.profile ? &*loaded.profile : nullptr;
  bool any_invalid = false;
  bool any_unreadable = false;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  nlohmann::json files = nlohmann::json::array();
  for (const std::string& file : args.files) {
    felis::ReadResult result = felis::readFelisFile(file, args.read);
    // The profile's view checks need a valid model; they come after the reader's.
    model::Diagnostics checks;
    if (profile != nullptr && result.schema) checks = model::checkViewTables(*result.schema, *profile);
    model::Diagnostics diagnostics = result.diagnostics;
    diagnostics.append(checks);
    any_unreadable = any_unreadable || hasIoError(diagnostics);
    any_invalid = any_invalid || diagnostics.hasErrors();
    errors += diagnostics.errorCount();
    warnings += diagnostics.warningCount();
    if (args.format == "json") {
      nlohmann::json entries = nlohmann::json::array();
      for (const model::Diagnostic& diagnostic : diagnostics.all())
        entries.push_back(diagnosticJson(diagnostic, file));
      files.push_back({{"file", file}, {"valid", !diagnostics.hasErrors()}, {"diagnostics", entries}});
    } else {
      context.err << felis::renderDiagnostics(result)
                  << renderWithSources(checks,
                                       {{file, result.source_text}, {args.profile, loaded.source_text}});
    }
  }
  if (args.format == "json") {
    nlohmann::json report = {
        {"files", files}, {"valid", !any_invalid}, {"errors", errors}, {"warnings", warnings}};
    context.out << report.dump(2) << '\n';
  } else {
    context.err << "felisc: " << args.files.size() << (args.files.size() == 1 ? " file" : " files")
                << " checked: " << errors << (errors == 1 ? " error, " : " errors, ") << warnings
                << (warnings == 1 ? " warning\n" : " warnings\n");
  }
  if (any_unreadable) return kExitUsage;
  return any_invalid ? kExitFindings : kExitOk;
}

}  // namespace

void registerValidate(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* command = app.add_subcommand(
      "validate",
      "Check Felis files: every rule felis enforces, plus PostgreSQL checks felis lacks (identifiers longer "
      "than 63 bytes, relation names colliding within a schema). Exit 0 valid, 1 invalid, 2 usage or I/O "
      "error.");
  command->add_option("files", args->files, "Felis YAML files")->required()->type_name("FILE");
  command->add_flag("--check-description", args->read.checks.description,
                    "every named object needs a non-empty description");
  command->add_flag("--check-redundant-datatypes", args->read.checks.redundant_datatypes,
                    "a dialect override must differ from the type felis would emit anyway");
  command->add_flag("--check-tap-table-indexes", args->read.checks.tap_table_indexes,
                    "every table needs a unique tap:table_index");
  command->add_flag("--check-tap-principal", args->read.checks.tap_principal,
                    "every table needs a column with tap:principal: 1");
  command->add_flag("!--no-id-generation", args->read.id_generation,
                    "do not generate missing @ids (every object then needs one)");
  command
      ->add_option("--profile", args->profile,
                   "deployment profile: also check that every table it realizes as a view lists exactly the "
                   "columns of its base table (after renames), with the same types")
      ->type_name("FILE");
  command
      ->add_option("--format", args->format, "diagnostics as clang-style text on stderr, or JSON on stdout")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command->callback([args, &context] {
    args->read.strict_felis = true;
    context.exit_code = runValidate(*args, context);
  });
}

}  // namespace felisc::cli
