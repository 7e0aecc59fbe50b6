#include "compiler/cli/inputs.h"

#include <regex>

#include "compiler/cli/output.h"
#include "diff_engine/backfill_file.h"
#include "schema_model/source_file.h"

namespace felisc::cli {

std::optional<std::map<std::string, std::string>> readBackfills(const std::string& path, std::ostream& err) {
  if (path.empty()) return std::map<std::string, std::string>{};
  model::Diagnostics diagnostics;
  std::optional<std::string> text = model::readSourceFile(path, diagnostics);
  if (!text) {
    printDiagnostics(diagnostics, "", err);
    return std::nullopt;
  }
  diff::BackfillFile file = diff::parseBackfillFile(*text, path);
  printDiagnostics(file.diagnostics, *text, err);
  if (file.diagnostics.hasErrors()) return std::nullopt;
  return std::move(file.backfills);
}

bool isDuration(const std::string& text) {
  static const std::regex kDuration(R"(([0-9]+(\.[0-9]+)?) *(us|ms|s|min|h|d)?)");
  return text == "off" || std::regex_match(text, kDuration);
}

std::string durationError(const std::string& text) {
  if (!isDuration(text)) return "'" + text + "' is not a duration (10s, 500ms, 2min; 0 or off)";
  // PostgreSQL reads a bare number as milliseconds: `10` meant as seconds would wait 10 ms.
  if (text.find_first_not_of("0123456789.") == std::string::npos && std::stod(text) != 0.0)
    return "'" + text + "' has no unit, which PostgreSQL reads as milliseconds: write " + text + "ms or " +
           text + "s";
  return {};
}

std::string timeoutSetting(const std::string& text) {
  if (text == "off" || std::stod(text) == 0.0) return {};
  return text;
}

std::optional<std::map<std::string, std::vector<std::string>>> perSchemaValues(
    const std::vector<std::string>& values, const std::string& option, std::ostream& err) {
  std::map<std::string, std::vector<std::string>> by_schema;
  for (const std::string& value : values) {
    const std::size_t colon = value.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) {
      err << "felisc: error: " << option << " '" << value << "': give it as SCHEMA:VALUE (e.g. " << option
          << (option == "--rename" ? " cdb_latiss:exposure.pressure=air_pressure"
                                   : " cdb_latiss:backfill.sql")
          << ")\n";
      return std::nullopt;
    }
    by_schema[value.substr(0, colon)].push_back(value.substr(colon + 1));
  }
  return by_schema;
}

}  // namespace felisc::cli
