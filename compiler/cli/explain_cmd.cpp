// `felisc explain FELnnn`: what a diagnostic code means; `--list` gives the whole
// catalogue (docs/diagnostics.md is `felisc explain --list --format markdown`).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/cli/cli.h"
#include "compiler/cli/commands.h"
#include "schema_model/diagnostic.h"

namespace felisc::cli {

namespace {

struct CatalogueEntry {
  std::string_view id;  ///< "err_unknown_key"
  model::Severity severity;
  std::string_view code;
  std::string_view format;
};

constexpr CatalogueEntry kCatalogue[] = {
#define FELISC_DIAG(ID, SEVERITY, CODE, FORMAT) {#ID, model::Severity::SEVERITY, CODE, FORMAT},
#include "schema_model/diagnostic_kinds.def"
#undef FELISC_DIAG
};

/// The group a code belongs to, from the catalogue's hundreds.
std::string_view groupOf(std::string_view code) {
  switch (code.size() > 3 ? code[3] : '?') {
    case '0': return "Input: files and YAML syntax";
    case '1': return "Felis structure";
    case '2': return "Felis semantic rules and deployment profiles";
    case '3': return "PostgreSQL checks felis lacks";
    case '5': return "Catalog, database and SQL scripts";
    case '6': return "Diff, compatibility, Alembic, verify and drift";
    default: return "Other";
  }
}

struct ExplainArgs {
  std::string code;
  bool list = false;
  std::string format = "text";
};

std::string markdownCatalogue() {
  std::string out =
      "# felisc diagnostic codes\n\n"
      "Every diagnostic felisc reports, from schema_model/diagnostic_kinds.def. Codes are stable: never "
      "reused or renumbered. `%0`, `%1`, ... stand for the names and values of each report. "
      "`felisc explain FELnnn` prints one entry. This file is `felisc explain --list --format markdown` "
      "(a test keeps it in step with the catalogue).\n";
  std::vector<CatalogueEntry> entries(std::begin(kCatalogue), std::end(kCatalogue));
  std::stable_sort(entries.begin(), entries.end(),
                   [](const CatalogueEntry& a, const CatalogueEntry& b) { return a.code < b.code; });
  std::string_view group;
  for (const CatalogueEntry& entry : entries) {
    if (groupOf(entry.code) != group) {
      group = groupOf(entry.code);
      out += "\n## " + std::string(entry.code.substr(0, 4)) + "xx: " + std::string(group) +
             "\n\n| Code | Severity | Message |\n|---|---|---|\n";
    }
    std::string message;
    for (char c : entry.format) message += c == '|' ? std::string("\\|") : std::string(1, c);
    out += "| " + std::string(entry.code) + " | " + std::string(model::severityName(entry.severity)) +
           " | `" + message + "` |\n";
  }
  return out;
}

int runExplain(const ExplainArgs& args, CommandContext& context) {
  if (args.list) {
    if (args.format == "markdown") {
      context.out << markdownCatalogue();
      return kExitOk;
    }
    for (const CatalogueEntry& entry : kCatalogue)
      context.out << entry.code << ' ' << model::severityName(entry.severity) << ": " << entry.format << '\n';
    return kExitOk;
  }
  std::string code = args.code;
  std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::toupper(c); });
  if (!code.empty() && std::all_of(code.begin(), code.end(), [](unsigned char c) { return std::isdigit(c); }))
    code = "FEL" + std::string(code.size() < 3 ? 3 - code.size() : 0, '0') + code;
  for (const CatalogueEntry& entry : kCatalogue) {
    if (entry.code != code) continue;
    context.out << entry.code << " (" << model::severityName(entry.severity) << ", " << groupOf(entry.code)
                << ")\n  " << entry.format
                << "\n  %0, %1, ... stand for the names and values of each report; "
                << "reported as `file:line:col: " << model::severityName(entry.severity) << ": ... ["
                << entry.code << "]`\n";
    return kExitOk;
  }
  context.err << "felisc: error: explain: no diagnostic code '" << args.code
              << "'; felisc explain --list lists them (FEL001 ...)\n";
  return kExitUsage;
}

}  // namespace

void registerExplain(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<ExplainArgs>();
  CLI::App* command = app.add_subcommand(
      "explain", "Explain a diagnostic code (FEL101, or 101), or list the whole catalogue with --list.");
  command->add_option("code", args->code, "the code, as in [FEL101] after a message")->type_name("FELnnn");
  command->add_flag("--list", args->list, "list every code");
  command->add_option("--format", args->format, "of --list: text or markdown (docs/diagnostics.md)")
      ->check(CLI::IsMember({"text", "markdown"}))
      ->capture_default_str();
  command->footer("Example:\n  felisc explain FEL101");
  command->callback([args, &context] {
    if (args->code.empty() && !args->list) {
      context.err << "felisc: error: explain: give a code (FEL101) or --list\n";
      context.exit_code = kExitUsage;
      return;
    }
    context.exit_code = runExplain(*args, context);
  });
}

}  // namespace felisc::cli
