// `felisc validate FILE...`: every rule felis enforces, its optional checks as
// flags, and the PostgreSQL checks felis lacks.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/cli/cli.h"
#include "compiler/cli/commands.h"
#include "compiler/cli/output.h"
#include "compiler/cli/profile.h"
#include "compiler/felis/parallel_read.h"
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

/// GitHub's workflow-command escaping: `%`, CR and LF in the message; in a
/// property also `:` and `,`, which would end it.
std::string githubEscape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else if (property && c == ':')
      out += "%3A";
    else if (property && c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

/// One diagnostic as a GitHub Actions annotation, which the pull request shows
/// on the line: `::error file=F,line=L,col=C::message [FEL012]`.
std::string githubAnnotation(const model::Diagnostic& diagnostic, const std::string& file) {
  const char* command = diagnostic.severity == model::Severity::Error     ? "error"
                        : diagnostic.severity == model::Severity::Warning ? "warning"
                                                                          : "notice";
  std::string out = std::string("::") + command +
                    " file=" + githubEscape(diagnostic.file.empty() ? file : diagnostic.file, true);
  if (diagnostic.pos.known())
    out += ",line=" + std::to_string(diagnostic.pos.line) + ",col=" + std::to_string(diagnostic.pos.column);
  return out + "::" + githubEscape(diagnostic.message, false) + " [" + std::string(diagnostic.code()) + "]\n";
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
  // Read on all cores (issue 17); reported below in the order given, as before.
  std::vector<felis::ReadResult> results = felis::readFelisFiles(args.files, args.read);
  for (std::size_t index = 0; index < args.files.size(); ++index) {
    const std::string& file = args.files[index];
    felis::ReadResult& result = results[index];
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
    } else if (args.format == "github") {
      for (const model::Diagnostic& diagnostic : diagnostics.all())
        context.out << githubAnnotation(diagnostic, file);
    } else {
      context.err << felis::renderDiagnostics(result)
                  << renderWithSources(checks,
                                       {{file, result.source_text}, {args.profile, loaded.source_text}});
    }
  }
  if (args.format == "json") {
    // docs/json-schemas/validate.schema.json
    nlohmann::ordered_json report = {
        {"format", "felisc-validate"}, {"version", 1},     {"files", files},
        {"valid", !any_invalid},       {"errors", errors}, {"warnings", warnings}};
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
      ->add_option("--format", args->format,
                   "diagnostics as clang-style text on stderr, JSON on stdout, or github: GitHub Actions "
                   "annotations (::error file=F,line=L,col=C::message) on stdout")
      ->check(CLI::IsMember({"text", "json", "github"}))
      ->capture_default_str();
  command->callback([args, &context] {
    args->read.strict_felis = true;
    context.exit_code = runValidate(*args, context);
  });
}

}  // namespace felisc::cli
