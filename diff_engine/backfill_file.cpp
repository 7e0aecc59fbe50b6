#include "diff_engine/backfill_file.h"

#include <cctype>
#include <optional>

namespace felisc::diff {

namespace {

constexpr std::string_view kMarker = "backfill:";

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) text.remove_suffix(1);
  return text;
}

/// The key of a marker line (`-- backfill: t.c`), or nullopt when the line is no marker.
std::optional<std::string_view> markerKey(std::string_view line) {
  line = trim(line);
  if (!line.starts_with("--")) return std::nullopt;
  line = trim(line.substr(2));
  if (!line.starts_with(kMarker)) return std::nullopt;
  return trim(line.substr(kMarker.size()));
}

struct Section {
  std::string key;
  std::uint32_t line = 0;
  std::string sql;
};

class Parser {
 public:
  explicit Parser(const std::string& file, BackfillFile& out) : file_(file), out_(out) {}

  void line(std::string_view text, std::uint32_t number) {
    if (auto key = markerKey(text)) {
      finish();
      std::string name(*key);
      auto dot = name.find('.');
      if (dot == std::string::npos || dot == 0 || dot + 1 == name.size() ||
          name.find(' ') != std::string::npos) {
        report(model::DiagId::err_backfill_marker, number, {name});
        section_.reset();
        skipping_ = true;
        return;
      }
      section_ = Section{name, number, {}};
      skipping_ = false;
      return;
    }
    if (section_) {
      section_->sql += std::string(text) + "\n";
      return;
    }
    std::string_view trimmed = trim(text);
    if (!skipping_ && !trimmed.empty() && !trimmed.starts_with("--"))
      report(model::DiagId::err_backfill_before_marker, number, {});
    if (!trimmed.empty() && !trimmed.starts_with("--")) skipping_ = true;  // one report per stray block
  }

  void finish() {
    if (!section_) return;
    std::string sql(trim(section_->sql));
    while (!sql.empty() && sql.back() == ';') sql = std::string(trim(sql.substr(0, sql.size() - 1)));
    if (sql.empty()) {
      report(model::DiagId::err_backfill_empty, section_->line, {section_->key});
    } else if (!out_.backfills.emplace(section_->key, sql).second) {
      report(model::DiagId::err_backfill_duplicate, section_->line, {section_->key});
    }
    section_.reset();
  }

 private:
  void report(model::DiagId id, std::uint32_t line, std::initializer_list<std::string_view> args) {
    out_.diagnostics.report(id, file_, model::SourcePos{line, 1}, args);
  }

  const std::string& file_;
  BackfillFile& out_;
  std::optional<Section> section_;
  bool skipping_ = false;
};

}  // namespace

BackfillFile parseBackfillFile(std::string_view text, const std::string& file) {
  BackfillFile out;
  Parser parser(file, out);
  std::uint32_t number = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    parser.line(line, ++number);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  parser.finish();
  return out;
}

}  // namespace felisc::diff
