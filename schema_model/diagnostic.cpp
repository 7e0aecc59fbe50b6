#include "schema_model/diagnostic.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>

namespace felisc::model {

namespace {

constexpr std::array kDiagInfos = {
#define FELISC_DIAG(ID, SEVERITY, CODE, FORMAT) DiagInfo{Severity::SEVERITY, CODE, FORMAT},
#include "schema_model/diagnostic_kinds.def"
#undef FELISC_DIAG
};

/// The text of line `line` (1-based) of `source`, without its line break.
std::string_view lineText(std::string_view source, std::uint32_t line) {
  std::size_t start = 0;
  for (std::uint32_t current = 1; current < line; ++current) {
    std::size_t next = source.find('\n', start);
    if (next == std::string_view::npos) return {};
    start = next + 1;
  }
  std::size_t end = source.find('\n', start);
  std::string_view text =
      source.substr(start, end == std::string_view::npos ? source.size() - start : end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

/// Length of the valid UTF-8 sequence at `at`, or 0 when the byte there does
/// not start one.
std::size_t utf8Length(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  std::size_t length = lead >= 0xF0 && lead <= 0xF4  ? 4
                       : lead >= 0xE0                ? 3
                       : lead >= 0xC2 && lead < 0xE0 ? 2
                                                     : 0;
  if (lead >= 0xF5 || at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i)
    if ((static_cast<unsigned char>(text[at + i]) & 0xC0) != 0x80) return 0;
  return length;
}

/// The source line as shown under a diagnostic, as clang shows it: control
/// characters as <U+0001>, bytes that are not UTF-8 as <FF>, and a line longer
/// than kShownWidth cut to a window around the caret with "..." at the cuts.
/// Returns the line and the caret line under it (tabs kept so both indent alike).
std::pair<std::string, std::string> shownLine(std::string_view text, std::uint32_t column) {
  constexpr std::size_t kShownWidth = 120;
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string line;
  std::string caret;
  std::size_t caret_at = std::string::npos;  // where the caret goes in `line`
  for (std::size_t i = 0; i < text.size();) {
    if (i + 1 == column) caret_at = line.size();
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80 ? 1 : utf8Length(text, i);
    if (byte == '\t' || (byte >= 0x20 && byte < 0x7F) || length > 1) {
      line.append(text.substr(i, length));
      caret += byte == '\t' ? '\t' : ' ';
      i += length;
      continue;
    }
    std::string shown = byte < 0x80 ? std::string("<U+00") + kHex[byte >> 4] + kHex[byte & 15] + ">"
                                    : std::string("<") + kHex[byte >> 4] + kHex[byte & 15] + ">";
    line += shown;
    caret.append(shown.size(), ' ');
    ++i;
  }
  if (caret_at == std::string::npos) caret_at = line.size();
  caret.resize(caret_at);
  caret += '^';
  if (line.size() <= kShownWidth) return {line, caret};
  // A window of kShownWidth around the caret, starting at most a third before it.
  std::size_t start = caret_at > kShownWidth / 3 ? caret_at - kShownWidth / 3 : 0;
  start = std::min(start, line.size() - kShownWidth);
  std::string window = (start > 0 ? "..." : "") + line.substr(start, kShownWidth) +
                       (start + kShownWidth < line.size() ? "..." : "");
  std::string window_caret = (start > 0 ? "   " : "") + caret.substr(start);
  return {window, window_caret};
}

}  // namespace

std::string_view severityName(Severity severity) {
  switch (severity) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

const DiagInfo& diagInfo(DiagId id) { return kDiagInfos.at(static_cast<std::size_t>(id)); }

std::string formatMessage(std::string_view format, std::initializer_list<std::string_view> args) {
  std::string out;
  out.reserve(format.size() + 32);
  for (std::size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c == '%' && i + 1 < format.size() && format[i + 1] >= '0' && format[i + 1] <= '9') {
      auto index = static_cast<std::size_t>(format[i + 1] - '0');
      if (index < args.size()) out += *(args.begin() + index);
      ++i;
      continue;
    }
    out += c;
  }
  return out;
}

void Diagnostics::report(DiagId id, const std::string& file, SourcePos pos,
                         std::initializer_list<std::string_view> args) {
  report(id, diagInfo(id).severity, file, pos, args);
}

void Diagnostics::report(DiagId id, Severity severity, const std::string& file, SourcePos pos,
                         std::initializer_list<std::string_view> args) {
  items_.push_back(Diagnostic{id, severity, file, pos, formatMessage(diagInfo(id).format, args)});
  if (severity == Severity::Error) ++errors_;
  if (severity == Severity::Warning) ++warnings_;
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  errors_ += other.errors_;
  warnings_ += other.warnings_;
  for (const auto& [file, text] : other.sources_) addSource(file, text);
}

void Diagnostics::addSource(const std::string& file, std::shared_ptr<const std::string> text) {
  if (!text || !sourceOf(file).empty()) return;
  sources_.emplace_back(file, std::move(text));
}

void Diagnostics::addSource(const std::string& file, std::string_view text) {
  if (!sourceOf(file).empty()) return;
  sources_.emplace_back(file, std::make_shared<const std::string>(text));
}

std::string_view Diagnostics::sourceOf(std::string_view file) const {
  for (const auto& [name, text] : sources_)
    if (name == file) return *text;
  return {};
}

std::string renderDiagnostic(const Diagnostic& diagnostic, std::string_view source) {
  std::string out = diagnostic.file.empty() ? std::string("felisc") : diagnostic.file;
  if (diagnostic.pos.known()) {
    out += ':' + std::to_string(diagnostic.pos.line) + ':' + std::to_string(diagnostic.pos.column);
  }
  out += ": ";
  out += severityName(diagnostic.severity);
  out += ": ";
  out += diagnostic.message;
  out += " [";
  out += diagnostic.code();
  out += "]\n";
  if (diagnostic.pos.known() && !source.empty()) {
    std::string_view text = lineText(source, diagnostic.pos.line);
    if (!text.empty()) {
      auto [line, caret] = shownLine(text, diagnostic.pos.column);
      out += "  " + line + "\n  " + caret + '\n';
    }
  }
  return out;
}

std::string renderDiagnostics(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& diagnostic : diagnostics.all())
    out += renderDiagnostic(diagnostic, diagnostics.sourceOf(diagnostic.file));
  return out;
}

}  // namespace felisc::model
