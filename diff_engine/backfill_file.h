/// \file
/// The `--backfill FILE` format: SQL per table.column, in one plain SQL file.
///
///     -- backfill: exposure.day_obs
///     (obs_id / 100000)::integer
///
///     -- backfill: exposure.band
///     UPDATE cdb_latiss.exposure SET band = 'r' WHERE band IS NULL
///
/// Each section starts with a marker line `-- backfill: <table>.<column>` and
/// holds the SQL up to the next marker, trimmed, a final `;` removed: either an
/// expression (felisc writes `UPDATE t SET c = (<expression>) WHERE c IS NULL`
/// around it) or a whole statement starting with UPDATE, WITH, INSERT, DELETE,
/// SELECT or DO, used as it is. Before the first marker only blank lines and
/// `--` comments may appear. The file is valid SQL text, so editors highlight it.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "schema_model/diagnostic.h"

namespace felisc::diff {

struct BackfillFile {
  std::map<std::string, std::string> backfills;  ///< "table.column" -> SQL
  model::Diagnostics diagnostics;
};

/// Parses the text of a backfill file; `file` names it in diagnostics.
BackfillFile parseBackfillFile(std::string_view text, const std::string& file);

}  // namespace felisc::diff
