#include "emitters/alembic/versions.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "schema_model/source_file.h"

namespace felisc::alembic {

namespace {

namespace fs = std::filesystem;

bool isSpace(char c) { return c == ' ' || c == '\t'; }

/// A statement `name[: annotation] = value` at the start of `line`; the value's
/// offset in the line, or npos.
std::size_t assignmentValue(std::string_view line, std::string_view name) {
  if (!line.starts_with(name)) return std::string_view::npos;
  std::size_t i = name.size();
  if (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) != 0 || line[i] == '_'))
    return std::string_view::npos;  // a longer name
  while (i < line.size() && isSpace(line[i])) ++i;
  if (i < line.size() && line[i] == ':') {  // annotation up to the '='
    i = line.find('=', i);
    if (i == std::string_view::npos) return std::string_view::npos;
  }
  if (i >= line.size() || line[i] != '=' || (i + 1 < line.size() && line[i + 1] == '='))
    return std::string_view::npos;
  ++i;
  while (i < line.size() && isSpace(line[i])) ++i;
  return i;
}

/// Reads Python literals from a value: None, '...' / "..." (optionally with a
/// u/r prefix, no escapes), or a tuple or list of those.
class LiteralReader {
 public:
  explicit LiteralReader(std::string_view text) : text_(text) {}

  /// The strings of the value (none for None); an error text on failure.
  bool read(std::vector<std::string>& out, std::string& error) {
    skipBlank();
    if (take("None")) return end(error);
    if (peek() == '(' || peek() == '[') {
      const char close = peek() == '(' ? ')' : ']';
      ++i_;
      for (;;) {
        skipBlank();
        if (peek() == close) {
          ++i_;
          return end(error);
        }
        std::string item;
        if (!string(item, error)) return false;
        out.push_back(std::move(item));
        skipBlank();
        if (peek() == ',') {
          ++i_;
          continue;
        }
        if (peek() != close) {
          error = "expected ',' or '" + std::string(1, close) + "'";
          return false;
        }
      }
    }
    std::string item;
    if (!string(item, error)) return false;
    out.push_back(std::move(item));
    return end(error);
  }

 private:
  [[nodiscard]] char peek() const { return i_ < text_.size() ? text_[i_] : '\0'; }
  bool take(std::string_view word) {
    if (!text_.substr(i_).starts_with(word)) return false;
    i_ += word.size();
    return true;
  }
  void skipBlank() {
    while (i_ < text_.size()) {
      if (std::isspace(static_cast<unsigned char>(text_[i_])) != 0) {
        ++i_;
      } else if (text_[i_] == '#') {
        while (i_ < text_.size() && text_[i_] != '\n') ++i_;
      } else {
        break;
      }
    }
  }
  bool string(std::string& out, std::string& error) {
    if (peek() == 'u' || peek() == 'r' || peek() == 'U' || peek() == 'R') ++i_;
    const char quote = peek();
    if (quote != '"' && quote != '\'') {
      error = "the value is not None, a string or a tuple of strings";
      return false;
    }
    std::size_t close = text_.find(quote, i_ + 1);
    std::size_t newline = text_.find('\n', i_ + 1);
    if (close == std::string_view::npos || close > newline) {
      error = "unterminated string";
      return false;
    }
    out = std::string(text_.substr(i_ + 1, close - i_ - 1));
    if (out.find('\\') != std::string::npos) {
      error = "a revision id with a backslash";
      return false;
    }
    i_ = close + 1;
    return true;
  }
  /// Only blanks and comments may follow, up to the end of the statement's line.
  bool end(std::string& error) {
    while (i_ < text_.size() && isSpace(text_[i_])) ++i_;
    if (i_ >= text_.size() || text_[i_] == '\n' || text_[i_] == '#' || text_[i_] == '\r') return true;
    error = "unexpected text after the value";
    return false;
  }

  std::string_view text_;
  std::size_t i_ = 0;
};

struct Assignment {
  std::size_t offset = std::string_view::npos;  ///< of the value in the text
  model::SourcePos pos;
};

/// The last module-level assignment of `revision` and `down_revision`.
void findAssignments(std::string_view text, Assignment& revision, Assignment& down_revision) {
  std::string_view triple;  // the delimiter of the triple-quoted string we are in
  std::uint32_t line_number = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t stop = text.find('\n', start);
    if (stop == std::string_view::npos) stop = text.size();
    std::string_view line = text.substr(start, stop - start);
    ++line_number;
    if (triple.empty()) {
      if (std::size_t at = assignmentValue(line, "revision"); at != std::string_view::npos)
        revision = {start + at, {line_number, 1}};
      if (std::size_t at = assignmentValue(line, "down_revision"); at != std::string_view::npos)
        down_revision = {start + at, {line_number, 1}};
    }
    for (std::size_t i = 0; i + 2 < line.size(); ++i) {
      std::string_view three = line.substr(i, 3);
      if (three != "\"\"\"" && three != "'''") continue;
      if (triple.empty()) {
        triple = three == "\"\"\"" ? "\"\"\"" : "'''";
      } else if (three == triple) {
        triple = {};
      } else {
        continue;
      }
      i += 2;
    }
    start = stop + 1;
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

std::optional<AlembicRevisionFile> parseAlembicRevisionFile(std::string_view text, const std::string& path,
                                                            model::Diagnostics& diagnostics) {
  Assignment revision;
  Assignment down_revision;
  findAssignments(text, revision, down_revision);
  if (revision.offset == std::string_view::npos) {
    diagnostics.report(model::DiagId::err_alembic_no_revision, path, {});
    return std::nullopt;
  }
  AlembicRevisionFile file;
  file.path = path;
  file.pos = revision.pos;
  std::vector<std::string> ids;
  std::string error;
  if (!LiteralReader(text.substr(revision.offset)).read(ids, error) || ids.size() != 1) {
    if (error.empty()) error = "the revision must be one string";
    diagnostics.report(model::DiagId::err_alembic_down_revision_syntax, path, revision.pos,
                       {"'revision': " + error});
    return std::nullopt;
  }
  file.revision = ids.front();
  if (down_revision.offset == std::string_view::npos) {
    diagnostics.report(model::DiagId::err_alembic_down_revision_syntax, path, {}, {"no assignment"});
    return std::nullopt;
  }
  if (!LiteralReader(text.substr(down_revision.offset)).read(file.down_revisions, error)) {
    diagnostics.report(model::DiagId::err_alembic_down_revision_syntax, path, down_revision.pos, {error});
    return std::nullopt;
  }
  // felisc's own header line (planHashLine()), at the start of a line.
  const std::string marker = planHashLine("");
  for (std::size_t at = text.find(marker); at != std::string_view::npos; at = text.find(marker, at + 1)) {
    if (at != 0 && text[at - 1] != '\n') continue;
    const std::size_t start = at + marker.size();
    const std::size_t end = text.find('\n', start);
    file.plan_hash = std::string(text.substr(start, end == std::string_view::npos ? end : end - start));
    break;
  }
  return file;
}

std::string planHashLine(std::string_view hash) { return "# felisc plan: " + std::string(hash); }

std::vector<std::string> alembicHeads(const std::vector<AlembicRevisionFile>& files) {
  std::set<std::string> followed;
  for (const auto& file : files) followed.insert(file.down_revisions.begin(), file.down_revisions.end());
  std::set<std::string> heads;
  for (const auto& file : files)
    if (!followed.contains(file.revision)) heads.insert(file.revision);
  return {heads.begin(), heads.end()};
}

std::optional<std::string> alembicHead(const std::vector<AlembicRevisionFile>& files,
                                       const std::string& directory, model::Diagnostics& diagnostics,
                                       const std::string& chosen_head) {
  std::map<std::string, const AlembicRevisionFile*> by_id;
  bool ok = true;
  for (const auto& file : files) {
    auto [it, inserted] = by_id.emplace(file.revision, &file);
    if (!inserted) {
      diagnostics.report(model::DiagId::err_alembic_duplicate_revision, file.path, file.pos,
                         {file.revision, it->second->path});
      ok = false;
    }
  }
  std::set<std::string> followed;
  for (const auto& file : files) {
    for (const auto& down : file.down_revisions) {
      followed.insert(down);
      if (!by_id.contains(down)) {
        diagnostics.report(model::DiagId::err_alembic_unknown_down_revision, file.path, file.pos, {down});
        ok = false;
      }
    }
  }
  if (!ok) return std::nullopt;
  // Every revision must lead down to a base; walking down from any revision
  // must never meet itself.
  std::map<std::string, int> state;  // 1: on the current path, 2: done
  std::vector<std::string> path;
  std::optional<std::vector<std::string>> cycle;
  auto visit = [&](auto&& self, const std::string& id) -> void {
    if (cycle || state[id] == 2) return;
    if (state[id] == 1) {
      auto from = std::find(path.begin(), path.end(), id);
      cycle = std::vector<std::string>(from, path.end());
      cycle->push_back(id);
      return;
    }
    state[id] = 1;
    path.push_back(id);
    for (const auto& down : by_id.at(id)->down_revisions) self(self, down);
    path.pop_back();
    state[id] = 2;
  };
  for (const auto& [id, file] : by_id) visit(visit, id);
  if (cycle) {
    std::string text;
    for (const auto& id : *cycle) text += (text.empty() ? "" : " -> ") + id;
    diagnostics.report(model::DiagId::err_alembic_cycle, by_id.at(cycle->front())->path,
                       by_id.at(cycle->front())->pos, {directory, text});
    return std::nullopt;
  }
  std::vector<std::string> heads;
  for (const auto& [id, file] : by_id)
    if (!followed.contains(id)) heads.push_back(id);
  if (!chosen_head.empty()) {
    if (std::find(heads.begin(), heads.end(), chosen_head) != heads.end()) return chosen_head;
    diagnostics.report(model::DiagId::err_alembic_several_heads, directory, {},
                       {directory, std::to_string(heads.size()),
                        joined(heads) + "; --head " + chosen_head + " is not one of them"});
    return std::nullopt;
  }
  if (heads.size() > 1) {
    diagnostics.report(model::DiagId::err_alembic_several_heads, directory, {},
                       {directory, std::to_string(heads.size()), joined(heads)});
    return std::nullopt;
  }
  if (heads.empty()) return std::nullopt;
  return heads.front();
}

const AlembicRevisionFile* AlembicVersions::carrying(std::string_view plan_hash) const {
  if (plan_hash.empty()) return nullptr;
  for (const auto& file : files)
    if (file.plan_hash == plan_hash) return &file;
  return nullptr;
}

std::string AlembicVersions::fileOf(std::string_view revision) const {
  for (const auto& file : files)
    if (file.revision == revision) return file.path;
  return {};
}

AlembicVersions readAlembicVersions(const std::string& versions_dir, const std::string& chosen_head) {
  AlembicVersions out;
  std::error_code error;
  if (!fs::exists(versions_dir, error)) return out;
  if (!fs::is_directory(versions_dir, error)) {
    out.diagnostics.report(model::DiagId::err_alembic_versions_dir, versions_dir, {},
                           {versions_dir, "not a directory"});
    return out;
  }
  out.exists = true;
  std::vector<fs::path> paths;
  fs::directory_iterator it(versions_dir, error);
  for (; !error && it != fs::directory_iterator(); it.increment(error)) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    // Alembic's own rule for candidate files, less its legacy .pyc handling.
    if (path.extension() != ".py" || name.starts_with(".") || name.starts_with("#") ||
        name.starts_with("__init__"))
      continue;
    paths.push_back(path);
  }
  if (error) {
    out.diagnostics.report(model::DiagId::err_alembic_versions_dir, versions_dir, {},
                           {versions_dir, error.message()});
    return out;
  }
  std::sort(paths.begin(), paths.end());
  std::map<std::string, std::string> texts;
  for (const fs::path& path : paths) {
    std::optional<std::string> text = model::readSourceFile(path.string(), out.diagnostics);
    if (!text) continue;
    if (auto file = parseAlembicRevisionFile(*text, path.string(), out.diagnostics))
      out.files.push_back(std::move(*file));
    texts.emplace(path.string(), std::move(*text));
  }
  out.heads = alembicHeads(out.files);
  if (out.ok()) out.head = alembicHead(out.files, versions_dir, out.diagnostics, chosen_head);
  for (const auto& diagnostic : out.diagnostics.all()) {
    auto text = texts.find(diagnostic.file);
    if (text == texts.end()) continue;
    out.diagnostics.addSource(text->first, std::make_shared<const std::string>(std::move(text->second)));
    texts.erase(text);
  }
  return out;
}

std::string renderAlembicDiagnostics(const AlembicVersions& versions) {
  return model::renderDiagnostics(versions.diagnostics);
}

}  // namespace felisc::alembic
