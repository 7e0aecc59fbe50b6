/// \file
/// Output helpers shared by subcommands: atomic file writes and diagnostic printing.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include <vector>

#include "schema_model/compare.h"
#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::cli {

/// Writes `text` to `path` atomically (a temporary file in the same directory,
/// then rename), so that a failed run never leaves a half-written file.
/// Returns false and writes the reason to `err` on failure.
bool writeFileAtomically(const std::string& path, std::string_view text, std::ostream& err);

/// Writes `text` to `path`, or to `out` when `path` is empty or "-".
bool writeOutput(const std::string& path, std::string_view text, std::ostream& out, std::ostream& err);

/// Renders every diagnostic clang style, with the source line and a caret.
void printDiagnostics(const model::Diagnostics& diagnostics, std::string_view source, std::ostream& err);

/// `line` (one line of diagnostics output, newline included) with ANSI colours
/// as clang uses them: the severity ("error:" bold red, "warning:" bold magenta,
/// "note:" bold cyan) and a caret line green. Other lines come back unchanged.
std::string colorizeDiagnosticLine(std::string_view line);

/// A note towards --profile when tables of the file stand as views in the
/// database, which is how a deployment profile realizes them: from drift's
/// differences ("table X" missing and "view X" unexpected), or from the two
/// models. The lines to print (one at most), none otherwise.
/// TODO(lead): a catalogue note (FEL621) once diagnostic_kinds.def can change.
std::vector<std::string> profileHint(const std::vector<model::Difference>& differences);
std::vector<std::string> profileHint(const model::Schema& file, const model::Schema& database);

/// True when a diagnostic says the file could not be read at all (exit 2, not 1).
bool hasIoError(const model::Diagnostics& diagnostics);

}  // namespace felisc::cli
