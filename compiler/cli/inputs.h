/// \file
/// Input files shared by subcommands that plan a migration (diff, verify).
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>

namespace felisc::cli {

/// Reads `--backfill FILE` (format: diff_engine/backfill_file.h): "table.column"
/// -> SQL. An empty `path` gives no backfills. Problems are printed on `err`;
/// nullopt when the file cannot be read or has errors.
std::optional<std::map<std::string, std::string>> readBackfills(const std::string& path, std::ostream& err);

}  // namespace felisc::cli
