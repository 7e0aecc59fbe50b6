/// \file
/// Reading input files whole, with a size bound and I/O errors as diagnostics.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "schema_model/diagnostic.h"

namespace felisc::model {

/// Reads `path` whole. On failure (missing, unreadable, a directory, larger than
/// `max_bytes`) reports err_io / err_file_too_large and returns nullopt.
std::optional<std::string> readSourceFile(const std::string& path, model::Diagnostics& diagnostics,
                                          std::size_t max_bytes = 256u << 20);

}  // namespace felisc::model
