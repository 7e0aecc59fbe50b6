/// \file
/// The database side of a command line: the optional DB argument (psql's PG*
/// environment when it is left out) and the schema a command reads from it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "schema_model/diagnostic.h"

namespace felisc::catalog {
class Connection;
}

namespace felisc::cli {

/// The closest of `candidates` to `word` (edit distance at most 2, or a third of
/// its length for long words), or nothing: every did-you-mean of the command line.
std::optional<std::string> closestName(const std::string& word, const std::vector<std::string>& candidates);

/// Whether `argument` can only be a database: a postgresql:// or postgres:// URI
/// (SQLAlchemy's `+driver` included), or a conninfo `key=value` that is no file.
bool looksLikeDatabase(const std::string& argument);

/// Whether `argument` names a Felis side: an existing file, `-` (standard input),
/// or a name ending in .yaml or .yml (a REV:PATH, or a file that is missing).
bool isFelisArgument(const std::string& argument);

/// The positional arguments of `felisc drift [DB] FILE`, `felisc verify [DB]
/// [OLD] NEW`, `felisc inspect [DB]`, split into the database and the files.
struct DatabaseArguments {
  /// What libpq gets: empty when DB was left out, which is $FELIS_ENGINE_URL,
  /// else $CONSDB_URL, else the PG* environment, as psql (catalog::libpqConninfo).
  std::string database;
  std::vector<std::string> files;
};

/// Splits `positionals` where the command takes `min_files` to `max_files`
/// files after an optional DB: the first argument is DB when there are more
/// than `max_files`, when it can only be a database, or when there are more
/// than `min_files` and it is not a Felis side; the rest are the files.
DatabaseArguments splitDatabaseArgument(const std::vector<std::string>& positionals, std::size_t min_files,
                                        std::size_t max_files);

/// True when schema `schema` is in the database of `connection`; else reports
/// FEL508 "schema 'x' is not in the database", with a did-you-mean from the
/// schemas it has (FEL509), or the catalog query's error, and returns false.
bool checkSchemaInDatabase(catalog::Connection& connection, const std::string& schema,
                           model::Diagnostics& diagnostics);

}  // namespace felisc::cli
