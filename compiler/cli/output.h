/// \file
/// Output helpers shared by subcommands: atomic file writes and diagnostic printing.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "schema_model/diagnostic.h"

namespace felisc::cli {

/// Writes `text` to `path` atomically (a temporary file in the same directory,
/// then rename), so that a failed run never leaves a half-written file.
/// Returns false and writes the reason to `err` on failure.
bool writeFileAtomically(const std::string& path, std::string_view text, std::ostream& err);

/// Writes `text` to `path`, or to `out` when `path` is empty or "-".
bool writeOutput(const std::string& path, std::string_view text, std::ostream& out, std::ostream& err);

/// Renders every diagnostic clang style, with the source line and a caret.
void printDiagnostics(const model::Diagnostics& diagnostics, std::string_view source, std::ostream& err);

/// True when a diagnostic says the file could not be read at all (exit 2, not 1).
bool hasIoError(const model::Diagnostics& diagnostics);

}  // namespace felisc::cli
