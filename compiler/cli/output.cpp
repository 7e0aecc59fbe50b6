#include "compiler/cli/output.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <vector>

namespace felisc::cli {

bool writeFileAtomically(const std::string& path, std::string_view text, std::ostream& err) {
  std::filesystem::path target(path);
  std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : ".";
  std::string pattern = (directory / ("." + target.filename().string() + ".felisc-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    err << "felisc: error: cannot write '" << path << "': " << std::strerror(errno) << '\n';
    return false;
  }
  bool ok = true;
  for (std::size_t written = 0; ok && written < text.size();) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  int saved_errno = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && std::rename(name.data(), path.c_str()) != 0) {
    saved_errno = errno;
    ok = false;
  }
  if (!ok) {
    std::remove(name.data());
    err << "felisc: error: cannot write '" << path << "': " << std::strerror(saved_errno) << '\n';
  }
  return ok;
}

bool writeOutput(const std::string& path, std::string_view text, std::ostream& out, std::ostream& err) {
  if (path.empty() || path == "-") {
    out << text;
    out.flush();
    return static_cast<bool>(out);
  }
  return writeFileAtomically(path, text, err);
}

void printDiagnostics(const model::Diagnostics& diagnostics, std::string_view source, std::ostream& err) {
  for (const model::Diagnostic& diagnostic : diagnostics.all())
    err << model::renderDiagnostic(diagnostic,
                                   source.empty() ? diagnostics.sourceOf(diagnostic.file) : source);
}

std::string colorizeDiagnosticLine(std::string_view line) {
  static constexpr std::string_view kReset = "\x1b[0m";
  std::string_view body = line.substr(0, line.find_last_not_of("\r\n") + 1);
  if (!body.empty() && body.find_first_not_of(" ^~") == std::string_view::npos && body.find('^') != body.npos)
    return "\x1b[1;32m" + std::string(body) + std::string(kReset) + std::string(line.substr(body.size()));
  struct Severity {
    std::string_view word;
    std::string_view color;
  };
  for (Severity severity : {Severity{"error:", "\x1b[1;31m"}, Severity{"warning:", "\x1b[1;35m"},
                            Severity{"note:", "\x1b[1;36m"}}) {
    // The severity follows "file:line:col: " or "felisc: ", never inside the message.
    std::size_t at = line.find(std::string(" ") + std::string(severity.word));
    if (at == std::string_view::npos) continue;
    std::string_view prefix = line.substr(0, at);
    // A shown source line starts with spaces: never coloured.
    if (prefix.empty() || prefix.front() == ' ' || !prefix.ends_with(':') ||
        prefix.find(": ") != std::string_view::npos)
      continue;
    return std::string(line.substr(0, at + 1)) + std::string(severity.color) + std::string(severity.word) +
           std::string(kReset) + std::string(line.substr(at + 1 + severity.word.size()));
  }
  return std::string(line);
}

namespace {

std::vector<std::string> profileHintFor(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  if (names.empty()) return out;
  constexpr std::size_t kShown = 3;
  std::string list;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) list += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > kShown) list += " and " + std::to_string(names.size() - kShown) + " more";
  out.push_back("felisc: note: tables of the file are views in the database (" + list +
                "): was it deployed with a profile? compare with --profile PROFILE\n");
  return out;
}

}  // namespace

std::vector<std::string> profileHint(const std::vector<model::Difference>& differences) {
  std::set<std::string> missing_tables;
  std::set<std::string> unexpected_views;
  for (const model::Difference& difference : differences) {
    if (difference.path.size() != 1) continue;
    const std::string& object = difference.path[0];
    if (difference.what == "missing" && object.starts_with("table ")) missing_tables.insert(object.substr(6));
    if (difference.what == "unexpected" && object.starts_with("view "))
      unexpected_views.insert(object.substr(5));
  }
  std::vector<std::string> names;
  for (const auto& name : missing_tables)
    if (unexpected_views.contains(name)) names.push_back(name);
  return profileHintFor(names);
}

std::vector<std::string> profileHint(const model::Schema& file, const model::Schema& database) {
  std::set<std::string> views;
  for (const model::View& view : database.views) views.insert(view.name);
  std::vector<std::string> names;
  for (const model::Table& table : file.tables)
    if (views.contains(table.name)) names.push_back(table.name);
  return profileHintFor(names);
}

bool hasIoError(const model::Diagnostics& diagnostics) {
  for (const model::Diagnostic& diagnostic : diagnostics.all())
    if (diagnostic.id == model::DiagId::err_io || diagnostic.id == model::DiagId::err_file_too_large)
      return true;
  return false;
}

}  // namespace felisc::cli
