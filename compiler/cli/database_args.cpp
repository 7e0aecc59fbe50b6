#include "compiler/cli/database_args.h"

#include <algorithm>
#include <filesystem>

#include "compiler/catalog/connection.h"
#include "compiler/felis/validator.h"

namespace felisc::cli {

std::optional<std::string> closestName(const std::string& word, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    std::size_t distance = felis::editDistance(word, candidate, limit);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

bool looksLikeDatabase(const std::string& argument) {
  for (const char* scheme : {"postgresql://", "postgres://", "postgresql+", "postgres+"})
    if (argument.starts_with(scheme)) return true;
  std::error_code error;
  return argument.find('=') != std::string::npos && !std::filesystem::exists(argument, error);
}

bool isFelisArgument(const std::string& argument) {
  if (argument == "-" || argument.ends_with(".yaml") || argument.ends_with(".yml")) return true;
  std::error_code error;
  return std::filesystem::is_regular_file(argument, error);
}

DatabaseArguments splitDatabaseArgument(const std::vector<std::string>& positionals, std::size_t min_files,
                                        std::size_t max_files) {
  DatabaseArguments split;
  const bool has_database =
      !positionals.empty() && (positionals.size() > max_files || looksLikeDatabase(positionals.front()) ||
                               (positionals.size() > min_files && !isFelisArgument(positionals.front())));
  auto files = positionals.begin();
  if (has_database) split.database = *files++;
  split.files.assign(files, positionals.end());
  return split;
}

bool checkSchemaInDatabase(catalog::Connection& connection, const std::string& schema,
                           model::Diagnostics& diagnostics) {
  catalog::Error error;
  // The schemas a user may mean: not PostgreSQL's own, nor other sessions' temporary ones.
  std::optional<catalog::Result> rows = connection.exec(
      "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_(toast|temp_|toast_temp_)' "
      "ORDER BY nspname",
      error);
  if (!rows) {
    diagnostics.report(model::DiagId::err_catalog_query, "", {}, {connection.scrub(error.message)});
    return false;
  }
  std::vector<std::string> names;
  for (int row = 0; row < rows->rows(); ++row) names.emplace_back(rows->get(row, 0));
  if (std::find(names.begin(), names.end(), schema) != names.end()) return true;
  if (std::optional<std::string> suggestion = closestName(schema, names))
    diagnostics.report(model::DiagId::err_schema_not_in_database_suggest, "", {}, {schema, *suggestion});
  else
    diagnostics.report(model::DiagId::err_schema_not_in_database, "", {}, {schema});
  return false;
}

}  // namespace felisc::cli
