#include "compiler/cli/inputs.h"

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

}  // namespace felisc::cli
