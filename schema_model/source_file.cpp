#include "schema_model/source_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace felisc::model {

std::optional<std::string> readSourceFile(const std::string& path, model::Diagnostics& diagnostics,
                                          std::size_t max_bytes) {
  // "-" is standard input, as in most Unix tools (`felisc validate - < x.yaml`).
  const bool standard_input = path == "-";
  std::error_code error;
  if (!standard_input && std::filesystem::is_directory(path, error)) {
    diagnostics.report(model::DiagId::err_io, path, {}, {"is a directory"});
    return std::nullopt;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(
      standard_input ? stdin : std::fopen(path.c_str(), "rb"),
      standard_input ? +[](std::FILE*) { return 0; } : &std::fclose);
  if (!file) {
    diagnostics.report(model::DiagId::err_io, path, {}, {std::strerror(errno)});
    return std::nullopt;
  }
  std::string text;
  char buffer[1 << 16];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    if (text.size() + read > max_bytes) {
      diagnostics.report(model::DiagId::err_file_too_large, path, {}, {std::to_string(max_bytes)});
      return std::nullopt;
    }
    text.append(buffer, read);
  }
  if (std::ferror(file.get())) {
    diagnostics.report(model::DiagId::err_io, path, {}, {std::strerror(errno)});
    return std::nullopt;
  }
  return text;
}

}  // namespace felisc::model
