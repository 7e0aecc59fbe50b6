/// \file
/// Input files shared by subcommands that plan a migration (diff, verify).
#pragma once

#include <vector>

#include <map>
#include <optional>
#include <ostream>
#include <string>

namespace felisc::cli {

/// Reads `--backfill FILE` (format: diff_engine/backfill_file.h): "table.column"
/// -> SQL. An empty `path` gives no backfills. Problems are printed on `err`;
/// nullopt when the file cannot be read or has errors.
std::optional<std::map<std::string, std::string>> readBackfills(const std::string& path, std::ostream& err);

/// A PostgreSQL duration as --lock-timeout takes it: a number with an optional
/// unit (10s, 500ms, 2min, 1.5h; ms without a unit), or 0 / off for none.
bool isDuration(const std::string& text);

/// CLI11 check of a duration option: empty when `text` is a duration, else the message.
std::string durationError(const std::string& text);

/// The setting a timeout option (isDuration()) gives the script: none for 0 and off.
std::string timeoutSetting(const std::string& text);

/// Splits per-schema option values "SCHEMA:VALUE" (migrate's --rename and
/// --backfill) into SCHEMA -> values; reports a value without a schema on `err`
/// and returns nullopt.
std::optional<std::map<std::string, std::vector<std::string>>> perSchemaValues(
    const std::vector<std::string>& values, const std::string& option, std::ostream& err);

}  // namespace felisc::cli
