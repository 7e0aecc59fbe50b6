#include "compiler/cli/output.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
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

bool hasIoError(const model::Diagnostics& diagnostics) {
  for (const model::Diagnostic& diagnostic : diagnostics.all())
    if (diagnostic.id == model::DiagId::err_io || diagnostic.id == model::DiagId::err_file_too_large)
      return true;
  return false;
}

}  // namespace felisc::cli
