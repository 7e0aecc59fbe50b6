/// \file
/// Diagnostics: one catalogue of messages with stable codes (diagnostic_kinds.def),
/// reported with a file and a source position, rendered clang style:
///
///     cdb_x.yaml:12:7: error: unknown key 'nulable' in column [FEL012]
///       nulable: false
///       ^
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "schema_model/source_location.h"

namespace felisc::model {

enum class Severity { Note, Warning, Error };
std::string_view severityName(Severity severity);  ///< "note", "warning", "error"

/// Every diagnostic felisc can report. Ids and texts live in diagnostic_kinds.def.
enum class DiagId {
#define FELISC_DIAG(ID, SEVERITY, CODE, FORMAT) ID,
#include "schema_model/diagnostic_kinds.def"
#undef FELISC_DIAG
};

struct DiagInfo {
  Severity severity;
  std::string_view code;    ///< stable code, e.g. "FEL012"
  std::string_view format;  ///< message with %0, %1, ... placeholders
};
const DiagInfo& diagInfo(DiagId id);

struct Diagnostic {
  DiagId id{};
  Severity severity = Severity::Error;
  std::string file;
  SourcePos pos;
  std::string message;  ///< formatted; lower-case start, no final period

  [[nodiscard]] std::string_view code() const { return diagInfo(id).code; }
};

/// Substitutes %0..%9 in a catalogue format.
std::string formatMessage(std::string_view format, std::initializer_list<std::string_view> args);

/// Collects the diagnostics of one run, in report order, with the texts of the
/// files they point into (the source registry), so that any of them renders
/// with its source line wherever it travels: renderDiagnostics() needs nothing else.
class Diagnostics {
 public:
  void report(DiagId id, const std::string& file, SourcePos pos,
              std::initializer_list<std::string_view> args = {});
  /// Reports with an explicit severity, e.g. a felis error downgraded to a warning.
  void report(DiagId id, Severity severity, const std::string& file, SourcePos pos,
              std::initializer_list<std::string_view> args = {});
  /// Appends `other`'s diagnostics and its sources.
  void append(const Diagnostics& other);

  /// Registers the text of `file`, which diagnostics may point into. The first
  /// text registered under a name stays.
  void addSource(const std::string& file, std::shared_ptr<const std::string> text);
  void addSource(const std::string& file, std::string_view text);
  /// The registered text of `file`, or empty.
  [[nodiscard]] std::string_view sourceOf(std::string_view file) const;

  [[nodiscard]] const std::vector<Diagnostic>& all() const { return items_; }
  [[nodiscard]] std::size_t errorCount() const { return errors_; }
  [[nodiscard]] std::size_t warningCount() const { return warnings_; }
  [[nodiscard]] bool hasErrors() const { return errors_ != 0; }
  [[nodiscard]] bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
  std::vector<std::pair<std::string, std::shared_ptr<const std::string>>> sources_;
};

/// Renders `file:line:col: severity: message [CODE]`, then the source line and a
/// caret when `source` (the whole file text) is given and the position is known.
std::string renderDiagnostic(const Diagnostic& diagnostic, std::string_view source = {});

/// Renders every diagnostic of `diagnostics` in order, each with the line of the
/// registered source it points into: the one printer of every command.
std::string renderDiagnostics(const Diagnostics& diagnostics);

}  // namespace felisc::model
